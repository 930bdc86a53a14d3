/**
 * The receive connectors Exchange creates on every server (R20, R21, R22) with the settings that
 * differ between them (R23), and the defaults every other connector starts from.
 */
import { ALL_IPV4, ALL_IPV6 } from '../model/ip-range.js';
import type { ReceiveConnector, Server } from '../model/topology.js';

type Defaults = Omit<ReceiveConnector, 'name' | 'server' | 'origin' | 'fqdn'>;

const MB = 1024 ** 2;
const ALL = [ALL_IPV4, ALL_IPV6];
const both = (port: number) => [`0.0.0.0:${port}`, `[::]:${port}`];

/** Settings every receive connector shares unless set (R23, New-ReceiveConnector). */
export function sharedReceiveDefaults(role: Server['role']): Defaults {
  const edge = role === 'Edge';
  return {
    transportRole: edge ? 'Edge' : 'FrontendTransport',
    bindings: [],
    remoteIPRanges: ALL,
    permissionGroups: [],
    authMechanism: ['Tls'],
    adPermissions: [],
    enabled: true,
    maxMessageSize: 36 * MB,
    maxHeaderSize: 256 * 1024,
    maxRecipientsPerMessage: 200,
    maxHopCount: 30,
    maxLocalHopCount: 8,
    maxInboundConnection: 5000,
    maxInboundConnectionPerSource: 20,
    maxInboundConnectionPercentagePerSource: 2,
    maxLogonFailures: 3,
    maxProtocolErrors: 5,
    messageRateLimit: edge ? 600 : 'unlimited',
    messageRateSource: 'IPAddress',
    connectionTimeout: edge ? 5 * 60_000 : 10 * 60_000,
    connectionInactivityTimeout: edge ? 60_000 : 5 * 60_000,
    tarpitInterval: 5000,
    authTarpitInterval: 5000,
    requireTLS: false,
    requireEHLODomain: false,
    enableAuthGSSAPI: false,
    extendedProtectionPolicy: 'None',
    sizeEnabled: 'Enabled',
    pipeliningEnabled: true,
    deliveryStatusNotificationEnabled: true,
    enhancedStatusCodesEnabled: true,
    eightBitMimeEnabled: true,
    binaryMimeEnabled: true,
    chunkingEnabled: true,
    longAddressesEnabled: false,
    orarEnabled: false,
    suppressXAnonymousTls: false,
    domainSecureEnabled: false,
    atrnEnabled: false,
    smtpUtf8Enabled: true,
    bareLinefeedRejectionEnabled: false,
    tlsDomainCapabilities: [],
    advertiseClientSettings: false,
    protocolLoggingLevel: 'None',
    rejectReservedTopLevelRecipientDomains: false,
    rejectReservedSecondLevelRecipientDomains: false,
    rejectSingleLabelRecipientDomains: false,
  };
}

export interface DefaultReceiveConnector {
  name: string;
  settings: Partial<Defaults>;
}

/** R20 (Mailbox) and R22 (Edge); R21's implicit Mailbox delivery connector comes last. */
export function defaultReceiveConnectorsOf(server: Pick<Server, 'name' | 'role'>): DefaultReceiveConnector[] {
  const s = server.name;
  if (server.role === 'Edge') {
    return [
      {
        name: `Default internal receive connector ${s}`,
        settings: {
          bindings: ['0.0.0.0:25'],
          remoteIPRanges: [ALL_IPV4],
          authMechanism: ['Tls', 'ExchangeServer'],
          permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Partners'],
        },
      },
    ];
  }
  const frontend = { transportRole: 'FrontendTransport' as const, remoteIPRanges: ALL };
  const hub = { transportRole: 'HubTransport' as const, remoteIPRanges: ALL };
  return [
    {
      name: `Default Frontend ${s}`,
      settings: {
        ...frontend,
        bindings: both(25),
        authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'Integrated'],
        permissionGroups: ['AnonymousUsers', 'ExchangeLegacyServers', 'ExchangeServers'],
        protocolLoggingLevel: 'Verbose',
      },
    },
    {
      name: `Client Frontend ${s}`,
      settings: {
        ...frontend,
        bindings: both(587),
        authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'],
        permissionGroups: ['ExchangeUsers'],
        messageRateLimit: 5,
      },
    },
    {
      name: `Outbound Proxy Frontend ${s}`,
      settings: {
        ...frontend,
        bindings: both(717),
        authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'Integrated'],
        permissionGroups: ['ExchangeServers'],
      },
    },
    {
      name: `Default ${s}`,
      settings: {
        ...hub,
        bindings: both(2525),
        authMechanism: ['Tls', 'BasicAuth', 'ExchangeServer', 'Integrated'],
        permissionGroups: ['ExchangeLegacyServers', 'ExchangeServers', 'ExchangeUsers'],
        maxRecipientsPerMessage: 5000,
        maxInboundConnectionPerSource: 'unlimited',
        maxInboundConnectionPercentagePerSource: 100,
        messageRateLimit: 'unlimited',
      },
    },
    {
      name: `Client Proxy ${s}`,
      settings: {
        ...hub,
        bindings: both(465),
        authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'Integrated'],
        permissionGroups: ['ExchangeServers', 'ExchangeUsers'],
        messageRateLimit: 5,
      },
    },
  ];
}

/** R21: invisible, not configurable; shown by `show effective`, never edited. */
export function mailboxDeliveryConnectorOf(server: Pick<Server, 'name'>): DefaultReceiveConnector {
  return {
    name: `Mailbox delivery Receive connector ${server.name}`,
    settings: {
      transportRole: 'MailboxDelivery',
      bindings: both(475),
      remoteIPRanges: ALL,
      authMechanism: ['ExchangeServer'],
      permissionGroups: ['ExchangeServers'],
    },
  };
}

/** R35: what a usage type sets when the connector does not say. */
export function receiveUsageDefaults(usage: string | undefined, role: Server['role']): Partial<Defaults> {
  switch (usage) {
    case 'Client':
      return { permissionGroups: ['ExchangeUsers'], authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'], bindings: ['0.0.0.0:587'] };
    case 'Internal':
      return {
        permissionGroups: role === 'Edge' ? ['ExchangeServers'] : ['ExchangeLegacyServers', 'ExchangeServers'],
        authMechanism: ['Tls', 'ExchangeServer'],
        bindings: ['0.0.0.0:25'],
      };
    case 'Internet':
      return { permissionGroups: ['AnonymousUsers'], authMechanism: ['Tls'], remoteIPRanges: [ALL_IPV4] };
    case 'Partner':
      return { permissionGroups: ['Partners'], authMechanism: ['Tls'] };
    default:
      return { permissionGroups: [], authMechanism: ['Tls'] };
  }
}
