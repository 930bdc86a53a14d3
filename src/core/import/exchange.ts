/**
 * `mxt import exchange`: an Exchange organization's transport configuration, dumped with
 * `Get-… | ConvertTo-Json`, as an mxt config (pure: the files come in already parsed). Only what
 * mxt's schema has is mapped; read-only and unmodelled properties are dropped and counted; values
 * equal to mxt's implied defaults are left out. Problems (an object no cmdlet is recognised in, a
 * value that cannot be read) come back located by file and JSON path.
 */
import { nameKey, sameName } from '../model/names.js';
import { transportServiceSettings } from './transport-service.js';
import {
  boundAddresses,
  edgeSubscriptions,
  edgeSyncConnector,
  keepsDefaults,
  receiveConnector,
  receiveConnectorEntry,
  sendConnector,
  type DumpedReceiveConnector,
  type EdgeSubscriptionFacts,
  type ServerFacts,
} from './connectors.js';
import { dumpedPermission } from './ad-permissions.js';
import { droppedOf, field, ImportRun, readFields, type DumpItem, type DumpPath, type Field, type ImportProblem } from './fields.js';
import { DUMP_KINDS, isCombined, kindOfName, kindOfObject, type DumpKind } from './kinds.js';
import { organizationSchema } from '../schema/organization.js';
import { siteLinkSchema, siteSchema } from '../schema/sites.js';
import * as v from './values.js';

export type { ImportProblem } from './fields.js';

export interface DumpFile {
  /** The file as the user named it (messages, the header comment). */
  file: string;
  value: unknown;
}

export interface ImportOutcome {
  /** The config, its sections in the examples' order. */
  config: Record<string, unknown>;
  /** Objects read, by kind. */
  objects: Partial<Record<DumpKind, number>>;
  /** Properties not mapped (read-only, or not modelled by mxt). */
  dropped: number;
  /** Servers that are neither Mailbox nor Edge (an Exchange 2010 Hub, a 2013 Client Access server), left out. */
  skippedServers: string[];
  problems: ImportProblem[];
}

type Entry = Record<string, unknown>;

/** The objects of the files, each with the kind of cmdlet it came from. */
function collect(run: ImportRun, files: readonly DumpFile[]): DumpItem[] {
  const items: DumpItem[] = [];
  const add = (file: string, value: unknown, path: DumpPath, hint: DumpKind | undefined) => {
    // Windows PowerShell writes an array given as -InputObject as { value: [...], Count: n }.
    if (v.isRecord(value) && Array.isArray(value.value) && Object.keys(value).every((k) => k === 'value' || k === 'Count')) {
      add(file, value.value, [...path, 'value'], hint);
      return;
    }
    const entries: [unknown, DumpPath][] = Array.isArray(value) ? value.map((entry, i) => [entry, [...path, i]]) : [[value, path]];
    for (const [entry, at] of entries) {
      const kind = kindOfObject(entry) ?? (v.isRecord(entry) ? hint : undefined);
      if (!kind || !v.isRecord(entry)) {
        run.problems.push({
          ruleId: 'import-unrecognised',
          file,
          path: at,
          message: v.isRecord(entry) ? 'no Get-… cmdlet of Exchange transport is recognised in this object' : `this is ${entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry}, not an object of a Get-… cmdlet`,
          hint: `give the output of Get-<Noun> | ConvertTo-Json -Depth 4 for one of ${DUMP_KINDS.join(', ')}, in a file named after the cmdlet (Get-SendConnector.json) or under its name in a combined file`,
        });
        continue;
      }
      items.push({ kind, file, path: at, object: entry, used: new Set() });
    }
  };
  for (const { file, value } of files) {
    if (isCombined(value)) for (const [key, section] of Object.entries(value)) add(file, section, [key], kindOfName(key));
    else add(file, value, [], kindOfName(file));
  }
  return items;
}

const SITE_FIELDS: readonly Field[] = [field.boolean('hubSiteEnabled'), field.boolean('inboundMailEnabled')];
const SITE_DEFAULTS = siteSchema.parse({ name: 'x' });
const LINK_DEFAULTS = siteLinkSchema.parse({ name: 'x', sites: [] });
const ORG_FIELDS: readonly Field[] = [
  field.size('maxSendSize'),
  field.size('maxReceiveSize'),
  field.limit('maxRecipientEnvelopeLimit'),
  field.boolean('externalDelayDSNEnabled'),
  field.boolean('internalDelayDSNEnabled'),
  field.boolean('shadowRedundancyEnabled'),
  field.boolean('rejectMessageOnShadowFailure'),
  field.enum('shadowMessagePreferenceSetting', ['PreferRemote', 'RemoteOnly', 'LocalOnly']),
  field.duration('safetyNetHoldTime'),
  field.texts('internalSMTPServers'),
  field.texts('tlsSendDomainSecureList'),
  field.texts('tlsReceiveDomainSecureList'),
];
const ORG_DEFAULTS = organizationSchema.parse({});

/** `Version 15.2 (Build 1118.7)`, `{ Major: 15 }` → 15. */
function majorVersion(value: unknown): v.Value {
  if (v.isRecord(value) && typeof v.property(value, 'Major') === 'number') return { ok: true, value: v.property(value, 'Major') };
  const match = typeof value === 'string' ? /(\d+)\.\d+/.exec(value) : null;
  return match ? { ok: true, value: Number(match[1]) } : { ok: false, error: `${JSON.stringify(value)} is not an Exchange version` };
}

/** SmtpDomainWithSubdomains: `contoso.com`, `*.contoso.com`, or `{ Domain, IncludeSubDomains, Address }`. */
function domainName(value: unknown): v.Value {
  if (typeof value === 'string') return { ok: true, value: value.trim() };
  if (v.isRecord(value)) {
    const address = v.property(value, 'Address');
    if (typeof address === 'string') return { ok: true, value: address };
    const domain = v.property(value, 'Domain');
    const text = v.isRecord(domain) ? v.property(domain, 'Domain') : domain;
    if (typeof text === 'string') return { ok: true, value: v.property(value, 'IncludeSubDomains') === true ? `*.${text}` : text };
  }
  return { ok: false, error: `${JSON.stringify(value)} is not a domain name` };
}

/** ActivationPreference: `[{ Key: EX01, Value: 1 }, …]` or `["[EX01, 1]", …]`, in preference order. */
function activationPreference(value: unknown): v.Value {
  const entries = Array.isArray(value) ? value : [value];
  const ranked: { server: string; rank: number }[] = [];
  for (const entry of entries) {
    if (v.isRecord(entry)) {
      const server = v.objectName(v.property(entry, 'Key'));
      const rank = v.integer(v.property(entry, 'Value'));
      if (!server.ok || !rank.ok) return { ok: false, error: `${JSON.stringify(entry)} is not { Key: server, Value: preference }` };
      ranked.push({ server: server.value, rank: rank.value });
    } else {
      const match = typeof entry === 'string' ? /^\[?\s*([^,\]]+?)\s*,\s*(\d+)\s*\]?$/.exec(entry) : null;
      if (!match) return { ok: false, error: `${JSON.stringify(entry)} is not [server, preference]` };
      ranked.push({ server: match[1]!, rank: Number(match[2]) });
    }
  }
  return { ok: true, value: ranked.sort((a, b) => a.rank - b.rank).map((r) => r.server) };
}

/** ExpansionServer is a legacyExchangeDN (`/o=Contoso/…/cn=Servers/cn=EX02`) or a name. */
function expansionServer(value: unknown): v.Value {
  if (typeof value !== 'string') return v.objectName(value);
  const cn = /\/cn=([^/]+)$/i.exec(value.trim());
  return { ok: true, value: cn ? cn[1] : value.trim() };
}

export function importExchange(files: readonly DumpFile[]): ImportOutcome {
  const run = new ImportRun();
  const items = collect(run, files);
  const of = (kind: DumpKind) => items.filter((i) => i.kind === kind);
  const config: Entry = {};
  const skippedServers: string[] = [];

  // organization: Get-OrganizationConfig's Name, else the organization every configuration DN names.
  const organization: Entry = {};
  const orgName = of('OrganizationConfig').map((i) => run.read(i, 'Name', v.text)).find(Boolean) ?? organizationFromDns(items);
  if (orgName && orgName !== ORG_DEFAULTS.name) organization.name = orgName;
  for (const item of of('TransportConfig')) readFields(run, item, ORG_FIELDS, ORG_DEFAULTS, organization);
  if (Object.keys(organization).length > 0) config.organization = organization;

  // servers first: the other sections need their roles.
  const serverItems = of('ExchangeServer');
  const receiveDumped: DumpedReceiveConnector[] = of('ReceiveConnector').flatMap((i) => receiveConnector(run, i) ?? []);
  const servers: Entry[] = [];
  const facts = new Map<string, ServerFacts & { name: string; keepsDefaults: boolean }>();
  for (const item of serverItems) {
    const name = run.read(item, 'Name', v.text);
    const roleText = run.read(item, 'ServerRole', v.text) ?? '';
    const edge = /edge/i.test(roleText) || run.read(item, 'IsEdgeServer', v.boolean) === true;
    const mailbox = /mailbox/i.test(roleText) || run.read(item, 'IsMailboxServer', v.boolean) === true;
    if (!name) {
      run.problem(item, 'a server without a Name');
      continue;
    }
    if (!edge && !mailbox) {
      skippedServers.push(name);
      continue;
    }
    const role = edge ? 'Edge' : 'Mailbox';
    const fqdn = run.read(item, 'Fqdn', v.text);
    const site = run.read(item, 'Site', v.objectName);
    const version = run.read(item, 'AdminDisplayVersion', majorVersion);
    const keeps = keepsDefaults({ name, role }, receiveDumped);
    const addresses = boundAddresses(name, receiveDumped);
    servers.push({
      name,
      role,
      ...(role === 'Mailbox' && site ? { site } : {}),
      ...(fqdn && fqdn.toLowerCase() !== name.toLowerCase() ? { fqdn } : {}),
      ...(addresses.length > 0 ? { addresses } : {}),
      ...(version !== undefined && version !== 15 ? { version } : {}),
      ...(keeps ? {} : { defaultReceiveConnectors: false }),
    });
    facts.set(nameKey(name), { name, role, fqdn: fqdn ?? name.toLowerCase(), keepsDefaults: keeps });
  }

  const transport = transportServiceSettings(run, of('TransportService'), facts);
  if (Object.keys(transport.organization).length > 0) config.transportService = transport.organization;
  for (const server of servers) {
    const overrides = transport.servers.get(nameKey(String(server.name)));
    if (overrides) server.transportService = overrides;
  }

  const sites = of('AdSite').flatMap((item) => {
    const name = run.read(item, 'Name', v.text);
    if (!name) return [];
    const out: Entry = { name };
    readFields(run, item, SITE_FIELDS, SITE_DEFAULTS, out);
    return [out];
  });
  if (sites.length > 0) config.sites = sites;

  const siteLinks = of('AdSiteLink').flatMap((item) => {
    const name = run.read(item, 'Name', v.text);
    if (!name) return [];
    const out: Entry = { name, sites: run.read(item, 'Sites', v.list(v.objectName)) ?? [] };
    const exchangeCost = run.read(item, 'ExchangeCost', v.integer);
    // Cost is ExchangeCost when set, else ADCost: only the AD cost is the link's own.
    const cost = run.read(item, 'ADCost', v.integer) ?? (exchangeCost === undefined ? run.read(item, 'Cost', v.integer) : undefined);
    item.used.add('cost');
    if (cost !== undefined && cost !== LINK_DEFAULTS.cost) out.cost = cost;
    if (exchangeCost !== undefined) out.exchangeCost = exchangeCost;
    readFields(run, item, [field.size('maxMessageSize')], LINK_DEFAULTS, out);
    return [out];
  });
  if (siteLinks.length > 0) config.siteLinks = siteLinks;
  if (servers.length > 0) config.servers = servers;

  const dags = of('DatabaseAvailabilityGroup').flatMap((item) => {
    const name = run.read(item, 'Name', v.text);
    return name ? [{ name, members: run.read(item, 'Servers', v.list(v.objectName)) ?? [] }] : [];
  });
  if (dags.length > 0) config.databaseAvailabilityGroups = dags;

  const databases = of('MailboxDatabase').flatMap((item) => {
    const name = run.read(item, 'Name', v.text);
    const master = run.read(item, 'MasterServerOrAvailabilityGroup', v.objectName);
    if (!name || !master) {
      run.problem(item, 'a mailbox database without a Name and a MasterServerOrAvailabilityGroup');
      return [];
    }
    const inDag = dags.some((d) => sameName(d.name, master));
    const preference = inDag ? (run.read(item, 'ActivationPreference', activationPreference) as string[] | undefined) : undefined;
    return [{ name, masterServerOrAvailabilityGroup: master, ...(preference && preference.length > 0 ? { activationPreference: preference } : {}) }];
  });
  if (databases.length > 0) config.mailboxDatabases = databases;

  const domains = of('AcceptedDomain').flatMap((item) => {
    const domain = run.read(item, 'DomainName', domainName) as string | undefined;
    if (!domain) return [];
    const name = run.read(item, 'Name', v.text);
    const type = run.read(item, 'DomainType', v.enumValue(['Authoritative', 'InternalRelay', 'ExternalRelay'] as const)) ?? 'Authoritative';
    const out: Entry = { ...(name && !sameName(name, domain) ? { name } : {}), domainName: domain, domainType: type };
    if (run.read(item, 'Default', v.boolean) === true) out.default = true;
    readFields(run, item, [field.boolean('addressBookEnabled'), field.boolean('matchSubDomains')], { addressBookEnabled: type === 'Authoritative', matchSubDomains: false }, out);
    return [out];
  });
  if (domains.length > 0) config.acceptedDomains = domains;

  const recipients = importRecipients(run, of);
  if (Object.keys(recipients).length > 0) config.recipients = recipients;

  const allSend = of('SendConnector').flatMap((item): Entry[] => { const c = sendConnector(run, item, facts); return c ? [c] : []; });
  const subscriptionFacts: EdgeSubscriptionFacts[] = of('EdgeSubscription').flatMap((item) => {
    const edgeServer = run.read(item, 'Name', v.objectName);
    const site = run.read(item, 'Site', v.objectName);
    if (!edgeServer || !site) {
      run.problem(item, 'an Edge subscription without a Name (the Edge server) and a Site');
      return [];
    }
    return [{ edgeServer, site }];
  });
  const subscriptions = edgeSubscriptions(subscriptionFacts, allSend, of('SendConnector').length > 0);
  // The EdgeSync connectors of a subscribed site are the subscription's: mxt makes them (R116).
  const send = allSend.filter((c) => {
    const sync = edgeSyncConnector(String(c.name));
    return !sync || !subscriptions.some((s) => sameName(String(s.site), sync.site));
  });
  if (send.length > 0) config.sendConnectors = send;

  const permissions = of('ADPermission').flatMap((item) => dumpedPermission(run, item) ?? []);
  const receive = receiveDumped.flatMap((c) => {
    const server = facts.get(nameKey(c.server)) ?? { name: c.server, role: 'Mailbox' as const, fqdn: c.server.toLowerCase(), keepsDefaults: true };
    return receiveConnectorEntry(c, server, permissions) ?? [];
  });
  if (receive.length > 0) config.receiveConnectors = receive;
  if (subscriptions.length > 0) config.edgeSubscriptions = subscriptions;

  const objects: Partial<Record<DumpKind, number>> = {};
  for (const item of items) objects[item.kind] = (objects[item.kind] ?? 0) + 1;
  return { config, objects, dropped: items.reduce((sum, item) => sum + droppedOf(item), 0), skippedServers, problems: run.problems };
}

function organizationFromDns(items: readonly DumpItem[]): string | undefined {
  for (const item of items) {
    const dn = v.property(item.object, 'DistinguishedName');
    const name = typeof dn === 'string' ? v.organizationOfDn(dn) : undefined;
    if (name) return name;
  }
  return undefined;
}

function importRecipients(run: ImportRun, of: (kind: DumpKind) => DumpItem[]): Entry {
  const address = (item: DumpItem) => run.read(item, 'PrimarySmtpAddress', v.smtpAddress);
  const mailboxes = of('Mailbox').flatMap((item) => {
    const primary = address(item);
    const database = run.read(item, 'Database', v.objectName);
    if (!primary || !database) return [];
    const proxies = (run.read(item, 'EmailAddresses', v.list((e) => (typeof e === 'string' && /^smtp:/i.test(e) ? v.smtpAddress(e) : { ok: true as const, value: '' }))) ?? []).filter((a) => a && a !== primary);
    const out: Entry = { address: primary, database, ...(proxies.length > 0 ? { emailAddresses: proxies } : {}) };
    readFields(run, item, [field.size('maxSendSize'), field.size('maxReceiveSize')], { maxSendSize: Infinity, maxReceiveSize: Infinity }, out);
    return [out];
  });
  const groups = of('DistributionGroup').flatMap((item) => {
    const primary = address(item);
    if (!primary) return [];
    // Get-DistributionGroup lists no members: a Members property added to the dump (Get-DistributionGroupMember) is read.
    const members = run.read(item, 'Members', v.list(v.smtpAddress)) ?? [];
    const server = run.read(item, 'ExpansionServer', expansionServer) as string | undefined;
    return [{ address: primary, ...(members.length > 0 ? { members } : {}), ...(server ? { expansionServer: server } : {}) }];
  });
  const contacts = (kind: DumpKind) =>
    of(kind).flatMap((item) => {
      const primary = address(item);
      const external = run.read(item, 'ExternalEmailAddress', v.smtpAddress);
      return primary && external ? [{ address: primary, externalEmailAddress: external }] : [];
    });
  const out: Entry = {};
  if (mailboxes.length > 0) out.mailboxes = mailboxes;
  if (groups.length > 0) out.distributionGroups = groups;
  const mailContacts = contacts('MailContact');
  if (mailContacts.length > 0) out.mailContacts = mailContacts;
  const mailUsers = contacts('MailUser');
  if (mailUsers.length > 0) out.mailUsers = mailUsers;
  return out;
}
