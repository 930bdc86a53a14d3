/**
 * Receive connectors: the parameters of New-ReceiveConnector (R181). Settings whose default depends
 * on the connector (R23) stay optional here and are filled by `effective()`.
 */
import { z } from 'zod';
import { binding, duration, hostName, ipRange, name, size } from './leaf.js';

export const permissionGroups = ['None', 'AnonymousUsers', 'ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers', 'Partners', 'Custom'] as const;
export const authMechanisms = ['None', 'Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'] as const;
export const receiveConnectorUsages = ['Client', 'Custom', 'Internal', 'Internet', 'Partner'] as const;

const limit = () => z.union([z.number().int().min(0), z.literal('unlimited')]);

export const adPermissionSchema = z
  .strictObject({
    user: z.string().min(1).meta({ description: 'Principal, e.g. NT AUTHORITY\\ANONYMOUS LOGON', examples: ['NT AUTHORITY\\ANONYMOUS LOGON'] }),
    extendedRights: z.array(z.string().min(1)).min(1).meta({ examples: [['ms-Exch-SMTP-Accept-Any-Recipient']] }),
  })
  .meta({ description: 'Add-ADPermission -ExtendedRights on the connector (R43)' });

export const receiveConnectorSchema = z
  .strictObject({
    name: name().max(64, 'a receive connector name is at most 64 characters (R181)'),
    server: name().meta({ description: 'Server the connector belongs to' }),
    usage: z.enum(receiveConnectorUsages).optional().meta({ description: 'Usage type at creation (R35)' }),
    transportRole: z.enum(['FrontendTransport', 'HubTransport']).optional().meta({ description: 'Service on a Mailbox server; default FrontendTransport' }),
    bindings: z.array(binding()).optional().meta({ description: 'IP:port pairs it listens on; usage Client/Internal fix them (R35)' }),
    remoteIPRanges: z.array(ipRange()).optional().meta({ description: 'Client addresses it serves; default all IPv4 and IPv6' }),
    permissionGroups: z.array(z.enum(permissionGroups)).optional().meta({ description: 'Default from usage (R35); none for Custom' }),
    authMechanism: z.array(z.enum(authMechanisms)).optional().meta({ description: 'Default from usage (R35); Tls for Custom' }),
    adPermissions: z.array(adPermissionSchema).default([]),
    enabled: z.boolean().default(true),
    fqdn: hostName().optional(),
    banner: z.string().regex(/^220/, 'a banner starts with 220 (R50)').optional(),
    maxMessageSize: size().optional().meta({ default: '36MB' }),
    maxHeaderSize: size().optional().meta({ default: '256KB' }),
    maxRecipientsPerMessage: z.number().int().min(1).max(512_000).optional(),
    maxHopCount: z.number().int().min(1).max(500).optional(),
    maxLocalHopCount: z.number().int().min(0).max(50).optional(),
    maxInboundConnection: limit().optional(),
    maxInboundConnectionPerSource: limit().optional(),
    maxInboundConnectionPercentagePerSource: z.number().int().min(1).max(100).optional(),
    maxLogonFailures: z.number().int().min(0).max(10).optional(),
    maxProtocolErrors: limit().optional(),
    messageRateLimit: limit().optional(),
    messageRateSource: z.enum(['None', 'User', 'IPAddress', 'All']).optional(),
    connectionTimeout: duration().optional(),
    connectionInactivityTimeout: duration().optional(),
    tarpitInterval: duration().optional(),
    authTarpitInterval: duration().optional(),
    requireTLS: z.boolean().default(false),
    requireEHLODomain: z.boolean().default(false),
    enableAuthGSSAPI: z.boolean().default(false),
    extendedProtectionPolicy: z.enum(['None', 'Allow', 'Require']).default('None'),
    sizeEnabled: z.enum(['Enabled', 'Disabled', 'EnabledWithoutValue']).default('Enabled'),
    pipeliningEnabled: z.boolean().default(true),
    deliveryStatusNotificationEnabled: z.boolean().default(true),
    enhancedStatusCodesEnabled: z.boolean().default(true),
    eightBitMimeEnabled: z.boolean().default(true),
    binaryMimeEnabled: z.boolean().default(true),
    chunkingEnabled: z.boolean().default(true),
    longAddressesEnabled: z.boolean().default(false),
    orarEnabled: z.boolean().default(false),
    suppressXAnonymousTls: z.boolean().default(false),
    domainSecureEnabled: z.boolean().default(false),
    atrnEnabled: z.boolean().default(false).meta({ description: 'mxt: serve ATRN on-demand relay (R54)' }),
    smtpUtf8Enabled: z.boolean().default(true),
    bareLinefeedRejectionEnabled: z.boolean().default(false),
    tlsCertificateName: z.string().optional(),
    tlsDomainCapabilities: z.array(z.string()).default([]),
    defaultDomain: z.string().optional(),
    advertiseClientSettings: z.boolean().default(false),
    protocolLoggingLevel: z.enum(['None', 'Verbose']).optional(),
    rejectReservedTopLevelRecipientDomains: z.boolean().default(false),
    rejectReservedSecondLevelRecipientDomains: z.boolean().default(false),
    rejectSingleLabelRecipientDomains: z.boolean().default(false),
    serviceDiscoveryFqdn: z.string().optional(),
    comment: z.string().optional(),
  })
  .meta({ description: 'A receive connector (New-ReceiveConnector)' });
