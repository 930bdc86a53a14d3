/**
 * Which `Get-…` cmdlet a dumped object came from: told by the properties only that cmdlet's objects
 * have together, else by the file's name (`Get-SendConnector.json`, `send-connectors.json`) or the
 * key of a combined file (`{ "Get-SendConnector": [ … ] }`).
 */
import { isRecord, property } from './values.js';

export const DUMP_KINDS = [
  'AdSite',
  'AdSiteLink',
  'ExchangeServer',
  'TransportService',
  'DatabaseAvailabilityGroup',
  'MailboxDatabase',
  'AcceptedDomain',
  'SendConnector',
  'ReceiveConnector',
  'ADPermission',
  'TransportConfig',
  'EdgeSubscription',
  'OrganizationConfig',
  'Mailbox',
  'DistributionGroup',
  'MailContact',
  'MailUser',
] as const;
export type DumpKind = (typeof DUMP_KINDS)[number];

/** Properties that together mark a cmdlet's objects; the first match wins, so more specific kinds come first. */
const SIGNATURES: readonly [DumpKind, readonly string[]][] = [
  ['SendConnector', ['AddressSpaces', 'SourceTransportServers']],
  ['ReceiveConnector', ['Bindings', 'RemoteIPRanges']],
  ['AcceptedDomain', ['DomainName', 'DomainType']],
  ['ADPermission', ['User', 'ExtendedRights', 'Deny']],
  ['AdSiteLink', ['ADCost', 'Sites']],
  ['AdSiteLink', ['ExchangeCost', 'Sites']],
  ['AdSite', ['HubSiteEnabled']],
  ['MailboxDatabase', ['MasterServerOrAvailabilityGroup']],
  ['DatabaseAvailabilityGroup', ['Servers', 'WitnessServer']],
  ['ExchangeServer', ['ServerRole', 'AdminDisplayVersion']],
  ['ExchangeServer', ['ServerRole', 'IsEdgeServer']],
  ['TransportConfig', ['MaxSendSize', 'MaxReceiveSize', 'ShadowRedundancyEnabled']],
  ['TransportService', ['MessageExpirationTimeout', 'TransientFailureRetryCount']],
  ['Mailbox', ['PrimarySmtpAddress', 'Database']],
  ['DistributionGroup', ['PrimarySmtpAddress', 'ExpansionServer']],
  ['MailUser', ['ExternalEmailAddress', 'RecipientTypeDetails', 'UserPrincipalName']],
  ['MailContact', ['ExternalEmailAddress', 'PrimarySmtpAddress']],
  ['EdgeSubscription', ['Site', 'Domain']],
];

/** The kind an object's properties tell; undefined when they tell none. */
export function kindOfObject(object: unknown): DumpKind | undefined {
  if (!isRecord(object)) return undefined;
  for (const [kind, keys] of SIGNATURES) {
    if (keys.every((key) => property(object, key) !== undefined)) {
      // An Edge subscription has no role; a server object with Site and Domain is a server.
      if (kind === 'EdgeSubscription' && property(object, 'ServerRole') !== undefined) continue;
      return kind;
    }
  }
  return undefined;
}

/** Words of a file name or combined-file key that name a kind, lower case without separators. */
const HINTS: Record<string, DumpKind> = {
  adsite: 'AdSite',
  site: 'AdSite',
  adsitelink: 'AdSiteLink',
  sitelink: 'AdSiteLink',
  exchangeserver: 'ExchangeServer',
  server: 'ExchangeServer',
  transportservice: 'TransportService',
  transportserver: 'TransportService',
  databaseavailabilitygroup: 'DatabaseAvailabilityGroup',
  dag: 'DatabaseAvailabilityGroup',
  mailboxdatabase: 'MailboxDatabase',
  database: 'MailboxDatabase',
  accepteddomain: 'AcceptedDomain',
  sendconnector: 'SendConnector',
  receiveconnector: 'ReceiveConnector',
  adpermission: 'ADPermission',
  transportconfig: 'TransportConfig',
  edgesubscription: 'EdgeSubscription',
  organizationconfig: 'OrganizationConfig',
  mailbox: 'Mailbox',
  distributiongroup: 'DistributionGroup',
  mailcontact: 'MailContact',
  mailuser: 'MailUser',
};

/** `Get-SendConnector.json`, `contoso-send-connectors.json`, `Get-AdSiteLink` → the kind they name, if any. */
export function kindOfName(name: string): DumpKind | undefined {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  const words = base.toLowerCase().replace(/[^a-z]+/g, ' ').trim().split(' ');
  // The longest run of words that names a kind: "ad site link" is a site link, not a site.
  for (let length = words.length; length > 0; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      let joined = words.slice(start, start + length).join('');
      if (joined.startsWith('get') && HINTS[joined.slice(3).replace(/s$/, '')]) joined = joined.slice(3);
      const kind = HINTS[joined] ?? HINTS[joined.replace(/s$/, '')] ?? HINTS[joined.replace(/es$/, '')];
      if (kind) return kind;
    }
  }
  return undefined;
}

/** `{ "Get-SendConnector": [ … ], "Get-AdSite": { … } }`: every key names a cmdlet. */
export function isCombined(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => /^Get-[A-Za-z]+$/.test(key) && kindOfName(key) !== undefined);
}
