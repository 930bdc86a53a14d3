/** Send connectors: the parameters of New-SendConnector (R180) and their defaults (R110). */
import { z } from 'zod';
import { addressSpace, duration, hostName, name, size } from './leaf.js';

export const sendConnectorUsages = ['Custom', 'Internal', 'Internet', 'Partner'] as const;

export const credentialSchema = z
  .strictObject({
    username: z.string().min(1),
    passwordEnv: z.string().min(1).optional().meta({ description: 'Environment variable holding the password' }),
    passwordFile: z.string().min(1).optional().meta({ description: 'File holding the password' }),
  })
  .meta({ description: 'Smart host credential; the password itself is never stored in the config' });

export const sendConnectorSchema = z
  .strictObject({
    name: name(),
    addressSpaces: z.array(addressSpace()).default([]).meta({ description: 'Address spaces the connector serves (R100)' }),
    usage: z.enum(sendConnectorUsages).optional().meta({ description: 'Usage type at creation; Internal makes MaxMessageSize unlimited (R110)' }),
    sourceTransportServers: z.array(name()).default([]).meta({ description: 'Mailbox or Edge servers that send through it' }),
    dnsRoutingEnabled: z.boolean().default(true).meta({ description: 'true: MX lookup; false: smartHosts (R107)' }),
    smartHosts: z.array(hostName()).default([]),
    smartHostAuthMechanism: z.enum(['None', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative']).default('None'),
    authenticationCredential: credentialSchema.optional(),
    port: z.number().int().min(0).max(65535).default(25),
    isScopedConnector: z.boolean().default(false).meta({ description: 'Visible only in the sites of its source servers (R103)' }),
    maxMessageSize: size().optional().meta({ description: 'Default 35MB, unlimited for usage Internal (A2)' }),
    enabled: z.boolean().default(true),
    fqdn: hostName().optional(),
    forceHELO: z.boolean().default(false),
    frontendProxyEnabled: z.boolean().default(false).meta({ description: 'Proxy outbound mail through a Front End Transport service (R109)' }),
    ignoreSTARTTLS: z.boolean().default(false),
    requireTLS: z.boolean().default(false),
    tlsAuthLevel: z.enum(['EncryptionOnly', 'CertificateValidation', 'DomainValidation']).optional(),
    tlsDomain: z.string().optional(),
    tlsCertificateName: z.string().optional(),
    domainSecureEnabled: z.boolean().default(false),
    useExternalDNSServersEnabled: z.boolean().optional(),
    connectionInactivityTimeOut: duration().default(600_000).meta({ default: '00:10:00' }),
    smtpMaxMessagesPerConnection: z.number().int().min(1).default(20),
    sourceIPAddress: z.string().optional(),
    protocolLoggingLevel: z.enum(['None', 'Verbose']).default('None'),
    errorPolicies: z.enum(['Default', 'DowngradeDnsFailures', 'DowngradeCustomFailures', 'UpgradeCustomFailures']).default('Default'),
    cloudServicesMailEnabled: z.boolean().default(false),
    connectorType: z.enum(['Default', 'XPremises']).default('Default'),
    comment: z.string().optional(),
  })
  .meta({ description: 'A send connector (New-SendConnector)' });
