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
function many(parse: ParseKind, described: Record<string, string>): FieldSpec[] {
  return Object.entries(described).map(([key, description]) => field(key, parse, description));
}
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
    field('hubSiteEnabled', 'bool', 'true: mail passing through this site on its least-cost path stops and is relayed here'),
    field('inboundMailEnabled', 'bool', 'false: the site\'s servers are never chosen to receive mail from other sites'),
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
    field('sites', 'strings', 'the two or more AD sites the link joins, comma-separated', { ref: 'site' }),
    field('cost', 'int', 'AD cost of the link, 1–99,999 (default 100): routing picks the cheapest path'),
    field('exchangeCost', 'int', 'cost used by Exchange routing instead of the AD cost, 1–99,999'),
    field('maxMessageSize', 'size', 'largest message the link carries, e.g. 20MB or unlimited'),
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
    field('role', 'enum', 'Mailbox (in an AD site) or Edge (in the perimeter, joined by a subscription)', { choices: SERVER_ROLES }),
    field('site', 'string', 'AD site of a Mailbox server', { ref: 'site' }),
    field('fqdn', 'string', 'the server\'s fully qualified domain name (default: the name in lower case)'),
    field('addresses', 'ipAddresses', 'the server\'s IP addresses, comma-separated; receive connector bindings must use them'),
    field('defaultReceiveConnectors', 'bool', 'false: the server has none of the receive connectors Exchange creates at setup'),
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
  fields: [named('database availability group'), field('members', 'strings', 'Mailbox servers of the DAG, comma-separated', { ref: 'mailboxServer' })],
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
    field('masterServerOrAvailabilityGroup', 'string', 'the Mailbox server hosting the database, or the DAG holding its copies', { ref: 'serverOrDag' }),
    field('activationPreference', 'strings', 'DAG members holding copies, comma-separated; the first holds the active copy', { ref: 'mailboxServer' }),
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
    field('domainName', 'string', 'the domain: contoso.com, or *.contoso.com for every subdomain too'),
    field('name', 'string', 'display name of the accepted domain (default: the domain itself)'),
    field('domainType', 'enum', 'Authoritative: mailboxes here; InternalRelay: some elsewhere, relay the rest; ExternalRelay: none here, relay all', { choices: DOMAIN_TYPES }),
    field('default', 'bool', 'true: the organization\'s default domain (exactly one is)'),
    field('addressBookEnabled', 'bool', 'true: recipients are looked up and unknown ones refused (default true for Authoritative)'),
    field('matchSubDomains', 'bool', 'true: mail for every subdomain is accepted as for this domain'),
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
    field('addressSpaces', 'addressSpaces', 'domains the connector sends to, [Type:]Address[;Cost], comma-separated, e.g. "SMTP:*;10"'),
    field('usage', 'enum', 'what the connector is for; Internal also lifts the 35MB size limit', { choices: SEND_USAGES }),
    field('sourceTransportServers', 'strings', 'Mailbox or Edge servers that send through the connector, comma-separated', { ref: 'server' }),
    field('dnsRoutingEnabled', 'bool', 'true: deliver to the MX hosts of the recipient domain; false: through the smart hosts'),
    field('smartHosts', 'strings', 'host names or IP addresses mail is handed to, comma-separated (implies --dns-routing-enabled false)'),
    field('smartHostAuthMechanism', 'enum', 'how the connector authenticates to the smart hosts', { choices: SMART_HOST_AUTH }),
    field('authenticationCredential', 'credential', 'user name for BasicAuth and where its password is (never the password itself): "username=USER,passwordEnv=VARIABLE" or "username=USER,passwordFile=PATH"'),
    field('port', 'int', 'TCP port of the smart hosts or MX hosts (default 25)'),
    field('maxMessageSize', 'size', 'largest message the connector sends, e.g. 20MB or unlimited (default 35MB, unlimited for usage Internal)'),
    field('fqdn', 'string', 'name the connector gives in EHLO (default: the source server\'s FQDN)'),
    field('tlsAuthLevel', 'enum', 'what the remote TLS certificate must prove (needs --require-tls true)', { choices: TLS_AUTH_LEVELS }),
    field('tlsDomain', 'string', 'domain the remote certificate must name, with --tls-auth-level DomainValidation'),
    field('tlsCertificateName', 'string', 'certificate the server presents, as <I>issuer<S>subject'),
    field('connectionInactivityTimeOut', 'duration', 'idle time before an outbound connection is closed, e.g. 10m (default 00:10:00)'),
    field('smtpMaxMessagesPerConnection', 'int', 'messages sent over one connection before it is closed (default 20)'),
    field('sourceIPAddress', 'string', 'local IP address an Edge server sends from (default 0.0.0.0: any)'),
    field('protocolLoggingLevel', 'enum', 'Verbose: log every SMTP command and reply of the connector', { choices: LOGGING_LEVELS }),
    field('errorPolicies', 'enum', 'which delivery failures count as temporary or permanent', { choices: ERROR_POLICIES }),
    field('connectorType', 'enum', 'XPremises: a hybrid connector to Exchange Online', { choices: CONNECTOR_TYPES }),
    field('comment', 'string', 'a note for admins, not used by routing'),
    ...many('bool', {
      isScopedConnector: 'true: only servers of the source servers\' AD site may use the connector',
      enabled: 'false: the connector exists but is not used',
      forceHELO: 'true: send HELO instead of EHLO',
      frontendProxyEnabled: 'true: outbound mail leaves through a Front End Transport service',
      ignoreSTARTTLS: 'true: never use TLS even when the remote host offers it',
      requireTLS: 'true: send only over TLS; without it the message waits in the queue',
      domainSecureEnabled: 'true: mutual TLS (domain security) with the partner domains',
      useExternalDNSServersEnabled: 'true: look MX hosts up with the external DNS servers of the transport service',
      cloudServicesMailEnabled: 'true: keep the headers Exchange Online needs in a hybrid setup',
    }),
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
    field('name', 'string', 'receive connector name, at most 64 characters'),
    field('server', 'string', 'Mailbox or Edge server the connector listens on', { ref: 'server' }),
    field('usage', 'enum', 'what the connector is for: sets its permission groups, authentication and, for Client and Internal, its bindings', { choices: RECEIVE_USAGES }),
    field('transportRole', 'enum', 'which service of a Mailbox server listens: FrontendTransport (clients, the Internet) or HubTransport', { choices: TRANSPORT_ROLES }),
    field('bindings', 'bindings', 'local IP:port pairs the connector listens on, comma-separated, e.g. 0.0.0.0:25'),
    field('remoteIPRanges', 'ipRanges', 'client addresses the connector serves, comma-separated: 10.1.5.0/24, 10.0.0.1-10.0.0.9'),
    field('permissionGroups', 'enums', 'who may use the connector, comma-separated; with none every session is refused', { choices: PERMISSION_GROUPS }),
    field('authMechanism', 'enums', 'how clients may authenticate, comma-separated', { choices: AUTH_MECHANISMS }),
    field('adPermissions', 'adPermissions', 'extra rights granted as Add-ADPermission does: "NT AUTHORITY\\ANONYMOUS LOGON=ms-Exch-SMTP-Accept-Any-Recipient"; several separated by ";"'),
    field('fqdn', 'string', 'name given in the banner and the EHLO reply'),
    field('banner', 'string', 'SMTP greeting sent on connect, starting with 220'),
    field('maxMessageSize', 'size', 'largest message accepted, e.g. 36MB (64KB–2GB)'),
    field('maxHeaderSize', 'size', 'largest message header accepted, e.g. 256KB'),
    field('maxRecipientsPerMessage', 'int', 'recipients accepted per message (1–512,000)'),
    field('maxHopCount', 'int', 'Received headers a message may carry before it is refused as a loop (1–500)'),
    field('maxLocalHopCount', 'int', 'Received headers from this organization a message may carry (0–50)'),
    field('maxInboundConnectionPercentagePerSource', 'int', 'share of the connections one client address may hold, in percent (1–100)'),
    field('maxLogonFailures', 'int', 'failed logons before the connection is closed (0–10)'),
    ...many('limit', {
      maxInboundConnection: 'open connections the connector accepts at once: a number or unlimited',
      maxInboundConnectionPerSource: 'open connections one client address may hold: a number or unlimited',
      maxProtocolErrors: 'SMTP protocol errors before the connection is closed: a number or unlimited',
      messageRateLimit: 'messages a client may send per minute: a number or unlimited',
    }),
    field('messageRateSource', 'enum', 'what the message rate limit counts per: user, client address, or both', { choices: RATE_SOURCES }),
    ...many('duration', {
      connectionTimeout: 'longest a connection may stay open, e.g. 10m or 00:10:00',
      connectionInactivityTimeout: 'idle time before a connection is closed, e.g. 5m (below the connection timeout)',
      tarpitInterval: 'delay added to replies to suspect senders, e.g. 5s',
      authTarpitInterval: 'delay added after a failed logon, e.g. 5s',
    }),
    field('extendedProtectionPolicy', 'enum', 'channel binding for Integrated authentication: off, allowed or required', { choices: PROTECTION_POLICIES }),
    field('sizeEnabled', 'enum', 'whether EHLO offers the SIZE extension, with or without the limit', { choices: SIZE_ENABLED }),
    field('tlsCertificateName', 'string', 'certificate the server presents, as <I>issuer<S>subject'),
    field('tlsDomainCapabilities', 'strings', 'extra rights for partners proving a domain by TLS, comma-separated (domain:capability)'),
    field('defaultDomain', 'string', 'accepted domain added to addresses that have none'),
    field('protocolLoggingLevel', 'enum', 'Verbose: log every SMTP command and reply of the connector', { choices: LOGGING_LEVELS }),
    field('comment', 'string', 'a note for admins, not used by routing'),
    ...many('bool', {
      enabled: 'false: the connector exists but takes no sessions',
      requireTLS: 'true: clients must start TLS before they send mail',
      requireEHLODomain: 'true: clients must give a domain name in EHLO',
      enableAuthGSSAPI: 'true: offer Kerberos (GSSAPI) with Integrated authentication',
      domainSecureEnabled: 'true: mutual TLS (domain security) with partner domains',
      pipeliningEnabled: 'false: do not offer the PIPELINING extension',
      chunkingEnabled: 'false: do not offer CHUNKING (BDAT)',
      smtpUtf8Enabled: 'false: do not offer SMTPUTF8 (internationalized addresses)',
      atrnEnabled: 'true: offer ATRN (authenticated turn)',
      advertiseClientSettings: 'true: show the connector\'s settings to mail clients in Outlook on the web',
    }),
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
