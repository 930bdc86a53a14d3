/**
 * The ONE table per object kind that every edit command, flag, wizard question and `list` column is
 * derived from: config key, flag (kebab-case of the key), how its text parses, one line of help.
 * Enum choices repeat the schema's enums (test/core/edit/kinds.test.ts keeps them equal) so that
 * this module stays import-free for the CLI's start-up.
 */
import { field, type FieldSpec, type ParseKind } from './fields.js';

export type KindId = 'site' | 'sitelink' | 'server' | 'dag' | 'database' | 'domain' | 'send' | 'receive';
export type Section = 'sites' | 'siteLinks' | 'servers' | 'databaseAvailabilityGroups' | 'mailboxDatabases' | 'acceptedDomains' | 'sendConnectors' | 'receiveConnectors';
export type Draft = Record<string, unknown>;

export interface EditKind {
  id: KindId;
  /** How messages name one object: "site", "send connector". */
  noun: string;
  section: Section;
  /** Keys that identify an entry (case-insensitive): `name`, `domainName`, or `server` + `name`. */
  identity: readonly string[];
  fields: readonly FieldSpec[];
  /** Keys an `add` needs once the usage preset is applied. */
  required: (draft: Draft) => string[];
  /** Columns of `list --format text`. */
  columns: readonly string[];
}

export const SEND_USAGES = ['Custom', 'Internal', 'Internet', 'Partner'] as const;
export const RECEIVE_USAGES = ['Client', 'Custom', 'Internal', 'Internet', 'Partner'] as const;
export const PERMISSION_GROUPS = ['None', 'AnonymousUsers', 'ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers', 'Partners', 'Custom'] as const;
export const AUTH_MECHANISMS = ['None', 'Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'] as const;
export const SERVER_ROLES = ['Mailbox', 'Edge'] as const;
export const DOMAIN_TYPES = ['Authoritative', 'InternalRelay', 'ExternalRelay'] as const;
export const SMART_HOST_AUTH = ['None', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'] as const;
export const TLS_AUTH_LEVELS = ['EncryptionOnly', 'CertificateValidation', 'DomainValidation'] as const;
export const LOGGING_LEVELS = ['None', 'Verbose'] as const;
export const ERROR_POLICIES = ['Default', 'DowngradeDnsFailures', 'DowngradeCustomFailures', 'UpgradeCustomFailures'] as const;
export const CONNECTOR_TYPES = ['Default', 'XPremises'] as const;
export const TRANSPORT_ROLES = ['FrontendTransport', 'HubTransport'] as const;
export const RATE_SOURCES = ['None', 'User', 'IPAddress', 'All'] as const;
export const PROTECTION_POLICIES = ['None', 'Allow', 'Require'] as const;
export const SIZE_ENABLED = ['Enabled', 'Disabled', 'EnabledWithoutValue'] as const;

/** Several keys of one parse kind sharing a description pattern (mostly booleans). */
function many(parse: ParseKind, keys: string[], describe: (key: string) => string): FieldSpec[] {
  return keys.map((key) => field(key, parse, describe(key)));
}
const setting = (key: string) => `${key} (Exchange parameter of the same name)`;
const named = (noun: string) => field('name', 'string', `${noun} name`);
const isMissing = (draft: Draft, key: string) => {
  const value = draft[key];
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
};
const missingOf = (draft: Draft, keys: string[]) => keys.filter((key) => isMissing(draft, key));

export const SITE: EditKind = {
  id: 'site',
  noun: 'site',
  section: 'sites',
  identity: ['name'],
  fields: [
    named('AD site'),
    field('hubSiteEnabled', 'bool', 'messages stop in this site when it lies on the least-cost path (R85)'),
    field('inboundMailEnabled', 'bool', 'false: the site\'s servers receive no mail (R92)'),
  ],
  required: (d) => missingOf(d, ['name']),
  columns: ['name', 'hubSiteEnabled', 'inboundMailEnabled'],
};

export const SITE_LINK: EditKind = {
  id: 'sitelink',
  noun: 'site link',
  section: 'siteLinks',
  identity: ['name'],
  fields: [
    named('site link'),
    field('sites', 'strings', 'two or more sites joined at one cost (R3)', { ref: 'site' }),
    field('cost', 'int', 'ADCost of the link, 1–99,999 (default 100)'),
    field('exchangeCost', 'int', 'overrides cost for Exchange routing (R90)'),
    field('maxMessageSize', 'size', 'largest message the link carries, e.g. 20MB or unlimited (R87)'),
  ],
  required: (d) => missingOf(d, ['name', 'sites']),
  columns: ['name', 'sites', 'cost', 'exchangeCost', 'maxMessageSize'],
};

/** `version` is left out: only 15 exists (schema), and `--version` is the program's own flag. */
export const SERVER: EditKind = {
  id: 'server',
  noun: 'server',
  section: 'servers',
  identity: ['name'],
  fields: [
    named('server'),
    field('role', 'enum', 'server role', { choices: SERVER_ROLES }),
    field('site', 'string', 'AD site of a Mailbox server (V2)', { ref: 'site' }),
    field('fqdn', 'string', 'server FQDN (default: name in lower case)'),
    field('addresses', 'ipAddresses', 'the server\'s IP addresses (bindings must use them, V23)'),
    field('defaultReceiveConnectors', 'bool', 'false drops the default receive connectors (R20/R22)'),
  ],
  // V2: a Mailbox server is in one site; an Edge server gets its site from a subscription.
  required: (d) => missingOf(d, d.role === 'Edge' ? ['name'] : ['name', 'site']),
  columns: ['name', 'role', 'site', 'fqdn', 'addresses'],
};

export const DAG: EditKind = {
  id: 'dag',
  noun: 'DAG',
  section: 'databaseAvailabilityGroups',
  identity: ['name'],
  fields: [named('database availability group'), field('members', 'strings', 'Mailbox servers of one version (V7)', { ref: 'mailboxServer' })],
  required: (d) => missingOf(d, ['name']),
  columns: ['name', 'members'],
};

export const DATABASE: EditKind = {
  id: 'database',
  noun: 'mailbox database',
  section: 'mailboxDatabases',
  identity: ['name'],
  fields: [
    named('mailbox database'),
    field('masterServerOrAvailabilityGroup', 'string', 'the hosting server, or the DAG holding its copies (R6)', { ref: 'serverOrDag' }),
    field('activationPreference', 'strings', 'DAG members holding copies, first = active copy (R6)', { ref: 'mailboxServer' }),
  ],
  required: (d) => missingOf(d, ['name', 'masterServerOrAvailabilityGroup']),
  columns: ['name', 'masterServerOrAvailabilityGroup', 'activationPreference'],
};

export const DOMAIN: EditKind = {
  id: 'domain',
  noun: 'accepted domain',
  section: 'acceptedDomains',
  identity: ['domainName'],
  fields: [
    field('domainName', 'string', 'contoso.com or *.contoso.com (V40)'),
    field('name', 'string', 'object name (default: the domain name)'),
    field('domainType', 'enum', 'how mail for the domain is handled (R61)', { choices: DOMAIN_TYPES }),
    field('default', 'bool', 'the default domain; exactly one (V41)'),
    field('addressBookEnabled', 'bool', 'recipient lookup (default true for Authoritative)'),
    field('matchSubDomains', 'bool', 'treat every subdomain as this domain (A16)'),
  ],
  required: (d) => missingOf(d, ['domainName']),
  columns: ['domainName', 'domainType', 'default'],
};

export const SEND_CONNECTOR: EditKind = {
  id: 'send',
  noun: 'send connector',
  section: 'sendConnectors',
  identity: ['name'],
  fields: [
    named('send connector'),
    field('addressSpaces', 'addressSpaces', 'address spaces [Type:]Address[;Cost], comma-separated, e.g. "SMTP:*;10" (R100)'),
    field('usage', 'enum', 'usage type at creation; Internal means unlimited size (R110, A2)', { choices: SEND_USAGES }),
    field('sourceTransportServers', 'strings', 'Mailbox or Edge servers that send through it (R110)', { ref: 'server' }),
    field('dnsRoutingEnabled', 'bool', 'true: MX lookup; false: smart hosts (R107)'),
    field('smartHosts', 'strings', 'smart hosts, comma-separated (with --dns-routing-enabled false)'),
    field('smartHostAuthMechanism', 'enum', 'smart host authentication (R46)', { choices: SMART_HOST_AUTH }),
    field('authenticationCredential', 'credential', 'smart host credential: "username=relay@contoso.com,passwordEnv=VARIABLE" (or passwordFile=PATH) (R46, V39)'),
    field('port', 'int', 'destination port (default 25)'),
    field('maxMessageSize', 'size', 'e.g. 20MB or unlimited (35MB; unlimited for usage Internal, A2)'),
    field('fqdn', 'string', 'FQDN given in EHLO (default: the source server\'s)'),
    field('tlsAuthLevel', 'enum', 'TLS authentication level, needs --require-tls (R108)', { choices: TLS_AUTH_LEVELS }),
    field('tlsDomain', 'string', 'domain checked with DomainValidation (R108)'),
    field('tlsCertificateName', 'string', '<I>issuer<S>subject of the certificate'),
    field('connectionInactivityTimeOut', 'duration', 'idle time before the connection closes (00:10:00)'),
    field('smtpMaxMessagesPerConnection', 'int', 'messages per connection (20)'),
    field('sourceIPAddress', 'string', 'local address used on an Edge (0.0.0.0)'),
    field('protocolLoggingLevel', 'enum', 'protocol log', { choices: LOGGING_LEVELS }),
    field('errorPolicies', 'enum', 'error policies of the connector', { choices: ERROR_POLICIES }),
    field('connectorType', 'enum', 'connector type', { choices: CONNECTOR_TYPES }),
    field('comment', 'string', 'free text'),
    ...many(
      'bool',
      ['isScopedConnector', 'enabled', 'forceHELO', 'frontendProxyEnabled', 'ignoreSTARTTLS', 'requireTLS', 'domainSecureEnabled', 'useExternalDNSServersEnabled', 'cloudServicesMailEnabled'],
      setting,
    ),
  ],
  // R180: AddressSpaces is required; R107/V33: smart-host routing needs smart hosts. SourceTransportServers
  // defaults to "the local server" in Exchange, which a config file has no notion of: required here.
  required: (d) => missingOf(d, ['name', 'addressSpaces', 'sourceTransportServers', ...(d.dnsRoutingEnabled === false ? ['smartHosts'] : [])]),
  columns: ['name', 'addressSpaces', 'sourceTransportServers', 'smartHosts'],
};

export const RECEIVE_CONNECTOR: EditKind = {
  id: 'receive',
  noun: 'receive connector',
  section: 'receiveConnectors',
  identity: ['server', 'name'],
  fields: [
    named('receive connector (at most 64 characters)'),
    field('server', 'string', 'server the connector belongs to', { ref: 'server' }),
    field('usage', 'enum', 'usage type at creation: sets permission groups, auth, fixed bindings (R35)', { choices: RECEIVE_USAGES }),
    field('transportRole', 'enum', 'service on a Mailbox server', { choices: TRANSPORT_ROLES }),
    field('bindings', 'bindings', 'IP:port pairs it listens on, e.g. 0.0.0.0:25 (R30)'),
    field('remoteIPRanges', 'ipRanges', 'client addresses it serves: 10.1.5.0/24, 10.0.0.1-10.0.0.9 (R34)'),
    field('permissionGroups', 'enums', 'permission groups, comma-separated (R35, R41)', { choices: PERMISSION_GROUPS }),
    field('authMechanism', 'enums', 'authentication mechanisms, comma-separated (R45)', { choices: AUTH_MECHANISMS }),
    field('adPermissions', 'adPermissions', 'extra grants (Add-ADPermission, R43): "NT AUTHORITY\\ANONYMOUS LOGON=ms-Exch-SMTP-Accept-Any-Recipient"; several separated by ";"'),
    field('fqdn', 'string', 'FQDN in the banner and EHLO reply'),
    field('banner', 'string', 'SMTP banner, starting with 220 (R50)'),
    field('maxMessageSize', 'size', 'e.g. 36MB (64KB–2GB)'),
    field('maxHeaderSize', 'size', 'e.g. 256KB'),
    field('maxRecipientsPerMessage', 'int', 'recipients per message (1–512,000)'),
    field('maxHopCount', 'int', 'Received headers before a loop NDR (1–500)'),
    field('maxLocalHopCount', 'int', 'local hops (0–50)'),
    field('maxInboundConnectionPercentagePerSource', 'int', 'percentage of connections one source may hold (1–100)'),
    field('maxLogonFailures', 'int', 'failed logons before the connection closes (0–10)'),
    ...many('limit', ['maxInboundConnection', 'maxInboundConnectionPerSource', 'maxProtocolErrors', 'messageRateLimit'], (key) => `${setting(key)}: a number or unlimited`),
    field('messageRateSource', 'enum', 'what the message rate limit counts', { choices: RATE_SOURCES }),
    ...many('duration', ['connectionTimeout', 'connectionInactivityTimeout', 'tarpitInterval', 'authTarpitInterval'], (key) => `${setting(key)}: 5m, 00:05:00`),
    field('extendedProtectionPolicy', 'enum', 'extended protection for authentication', { choices: PROTECTION_POLICIES }),
    field('sizeEnabled', 'enum', 'SIZE extension', { choices: SIZE_ENABLED }),
    field('tlsCertificateName', 'string', '<I>issuer<S>subject of the certificate'),
    field('tlsDomainCapabilities', 'strings', 'domain capabilities, comma-separated'),
    field('defaultDomain', 'string', 'accepted domain used for addresses without a domain'),
    field('protocolLoggingLevel', 'enum', 'protocol log', { choices: LOGGING_LEVELS }),
    field('comment', 'string', 'free text'),
    ...many(
      'bool',
      ['enabled', 'requireTLS', 'requireEHLODomain', 'enableAuthGSSAPI', 'domainSecureEnabled', 'pipeliningEnabled', 'chunkingEnabled', 'smtpUtf8Enabled', 'atrnEnabled', 'advertiseClientSettings'],
      setting,
    ),
  ],
  // R35: Bindings and RemoteIPRanges are required unless the usage fixes them: the preset fills fixed
  // bindings (Client, Internal); Internet's ranges are all IPv4 and may not be written.
  required: (d) => missingOf(d, ['name', 'server', 'bindings', ...(d.usage === 'Internet' ? [] : ['remoteIPRanges'])]),
  columns: ['server', 'name', 'usage', 'bindings', 'remoteIPRanges', 'permissionGroups'],
};

/** The kinds with a command group of their own (`mxt site …`); connectors live under `mxt connector`. */
export const OBJECT_KINDS: readonly EditKind[] = [SITE, SITE_LINK, SERVER, DAG, DATABASE, DOMAIN];
export const CONNECTOR_KINDS: readonly EditKind[] = [SEND_CONNECTOR, RECEIVE_CONNECTOR];
export const ALL_KINDS: readonly EditKind[] = [...OBJECT_KINDS, ...CONNECTOR_KINDS];

export function fieldOf(kind: EditKind, key: string): FieldSpec | undefined {
  return kind.fields.find((f) => f.key === key);
}
