/**
 * `mxt export powershell`: the config as an Exchange Management Shell script (spec section 21).
 * Pure: takes the config as written (the plain data, to know which keys the file sets) with its
 * parsed form and the effective topology, returns the script text.
 *
 * Only keys the file sets become parameters (a default stays Exchange's), except where a cmdlet
 * needs one: New-ReceiveConnector's -Bindings and -RemoteIPRanges (R181), -DNSRoutingEnabled
 * beside a -SmartHostAuthMechanism (R180), New-MailboxDatabase's -Server. Commands are in R187's
 * order, each object after what it refers to. What runs elsewhere than in the organization's shell
 * (an Edge server's own settings, the two halves of an Edge subscription, and the send connectors
 * that need the subscription first) is written as comments tagged with where to run it.
 */
import { nameKey, sameName } from '../model/names.js';
import { formatAddressSpace } from '../model/address-space.js';
import type { ReceiveConnector, Topology } from '../model/topology.js';
import { defaultReceiveConnectorsOf } from '../schema/default-receive-connectors.js';
import type { WrittenTopology } from '../schema/topology.js';
import { psBool, psComment, psLimit, psList, psSize, psString, psTimeSpan } from './powershell-values.js';

export interface PowerShellExportInput {
  /** The file's plain data (what the user wrote), when it was read as data; else every parsed key counts as written. */
  raw: unknown;
  written: WrittenTopology;
  topology: Topology;
  /** The config file as the user names it, for the header. */
  sourceFile: string;
  version: string;
}

type Plain = Record<string, unknown>;

/** Keys whose values are sizes (bytes, Infinity = unlimited) or durations (ms): the rest is typed by its value. */
export const SIZE_KEYS = new Set(['maxSendSize', 'maxReceiveSize', 'maxMessageSize', 'maxHeaderSize']);
export const DURATION_KEYS = new Set([
  'safetyNetHoldTime', 'messageExpirationTimeout', 'delayNotificationTimeout', 'transientFailureRetryInterval', 'outboundConnectionFailureRetryInterval',
  'messageRetryInterval', 'queueMaxIdleTime', 'queueGlitchRetryInterval', 'mailboxDeliveryQueueRetryInterval', 'maxIdleTimeBeforeResubmit',
  'connectionInactivityTimeOut', 'connectionTimeout', 'connectionInactivityTimeout', 'tarpitInterval', 'authTarpitInterval',
]);
/** Where the key's Exchange name is not its first letter raised (Microsoft's own casing). */
const PARAMETER_NAMES: Record<string, string> = {
  dnsRoutingEnabled: 'DNSRoutingEnabled',
  tlsSendDomainSecureList: 'TLSSendDomainSecureList',
  tlsReceiveDomainSecureList: 'TLSReceiveDomainSecureList',
};
/** Receive connector parameters that take a ByteQuantifiedSize, not Unlimited (R181: 64 KB – 2 GB). */
const NO_UNLIMITED_SIZE = new Set(['maxHeaderSize', 'receive:maxMessageSize']);

export function parameterName(key: string): string {
  return PARAMETER_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** One line of the script: a command, or a comment. */
class Script {
  readonly lines: string[] = [];
  comment(text: string): void {
    this.lines.push(`# ${psComment(text)}`.trimEnd());
  }
  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
  section(title: string): void {
    this.blank();
    this.comment(`---- ${title} ----`);
  }
  /** A note on what is left out, tagged like the commands it goes with. */
  note(text: string, where?: string): void {
    this.comment(where ? `[${where}] not exported: ${text}` : `not exported: ${text}`);
  }
  /** A command; `where` set: written as a comment `# [where] command`, to be run there. */
  command(text: string, where?: string): void {
    this.lines.push(where ? `# [${psComment(where)}] ${text}` : text);
  }
}

/** `-Param value` pairs; a value of undefined leaves the key out, with a note when it cannot be exported. */
class Parameters {
  readonly parts: string[] = [];
  add(param: string, value: string | undefined): this {
    if (value !== undefined) this.parts.push(`-${param} ${value}`);
    return this;
  }
  text(): string {
    return this.parts.join(' ');
  }
}

/** The keys of a parsed object that the file itself sets (`raw`: the same object as written; none when the file leaves it out). */
function writtenKeys(raw: unknown, parsed: object): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  return Object.keys(raw).filter((key) => (raw as Plain)[key] !== undefined && key in parsed);
}

function rawAt(raw: unknown, ...path: (string | number)[]): unknown {
  let node = raw;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/**
 * A setting's value as the parameter takes it, or a reason it cannot be exported. `scope` tells
 * apart the receive connector's sizes, which take no Unlimited.
 */
function formatValue(key: string, value: unknown, scope = ''): { text: string } | { skip: string } {
  if (SIZE_KEYS.has(key) && typeof value === 'number') {
    if (value === Infinity && (NO_UNLIMITED_SIZE.has(key) || NO_UNLIMITED_SIZE.has(`${scope}:${key}`))) return { skip: `${key} is unlimited, which the parameter does not take (a size up to 2GB)` };
    return { text: psSize(value) };
  }
  if (DURATION_KEYS.has(key) && typeof value === 'number') {
    return value === Infinity ? { skip: `${key} is unlimited, which a TimeSpan parameter does not take` } : { text: psTimeSpan(value) };
  }
  if (typeof value === 'boolean') return { text: psBool(value) };
  if (typeof value === 'number' || value === 'unlimited') return { text: psLimit(value) };
  if (typeof value === 'string') return { text: psString(value) };
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return { text: psList(value) };
  return { skip: `${key} has no PowerShell form mxt writes` };
}

/** The written keys of one object as parameters, but those in `except`; notes on the ones left out go to the script. */
function settings(script: Script, params: Parameters, raw: unknown, parsed: object, except: ReadonlySet<string>, scope = '', where?: string): Parameters {
  for (const key of writtenKeys(raw, parsed)) {
    if (except.has(key)) continue;
    const value = formatValue(key, (parsed as Plain)[key], scope);
    if ('text' in value) params.add(parameterName(key), value.text);
    else script.note(value.skip, where);
  }
  return params;
}

export function exportPowerShell(given: PowerShellExportInput): string {
  // Without the plain data (a .js/.ts config), every parsed key counts as written.
  const input = given.raw === undefined ? { ...given, raw: given.written } : given;
  const { raw, written, topology } = input;
  const script = new Script();
  const edgeServers = new Set(written.servers.filter((s) => s.role === 'Edge').map((s) => nameKey(s.name)));
  const isEdge = (server: string) => edgeServers.has(nameKey(server));

  header(script, input);

  script.section('Accepted domains');
  written.acceptedDomains.forEach((domain, i) => {
    const r = rawAt(raw, 'acceptedDomains', i);
    const keys = new Set(writtenKeys(r, domain));
    const name = domain.name ?? domain.domainName;
    const create = new Parameters().add('Name', psString(name)).add('DomainName', psString(domain.domainName));
    if (keys.has('domainType')) create.add('DomainType', psString(domain.domainType));
    script.command(`New-AcceptedDomain ${create.text()}`);
    const set = new Parameters();
    if (keys.has('addressBookEnabled') && domain.addressBookEnabled !== undefined) set.add('AddressBookEnabled', psBool(domain.addressBookEnabled));
    if (keys.has('matchSubDomains')) set.add('MatchSubDomains', psBool(domain.matchSubDomains));
    if (keys.has('default') && domain.default) set.add('MakeDefault', '$true');
    if (set.parts.length > 0) script.command(`Set-AcceptedDomain -Identity ${psString(name)} ${set.text()}`);
  });
  if (written.acceptedDomains.length === 0) script.comment('none in the config');

  if (written.remoteDomains.length > 0) {
    script.section('Remote domains');
    for (const domain of written.remoteDomains) script.command(`New-RemoteDomain -Name ${psString(domain.name)} -DomainName ${psString(domain.domainName)}`);
  }

  script.section('Organization transport settings');
  const org = settings(script, new Parameters(), rawAt(raw, 'organization'), written.organization, new Set(['name']));
  if (org.parts.length > 0) script.command(`Set-TransportConfig ${org.text()}`);
  else script.comment('the config sets none of Set-TransportConfig\'s parameters');
  recipientFilter(script, input, written.servers.filter((s) => s.role === 'Edge').map((s) => s.name));

  sites(script, input);
  transportService(script, input);
  databases(script, input);
  receiveConnectors(script, input, isEdge);
  sendConnectors(script, input, isEdge);
  edgeSubscriptions(script, input);
  recipientsNote(script, topology);
  return `${script.lines.join('\n').replace(/\n+$/, '')}\n`;
}

function header(script: Script, input: PowerShellExportInput): void {
  const lines = [
    `Exchange Management Shell script generated by mxt ${input.version} from ${input.sourceFile}.`,
    'Run it in the Exchange Management Shell of the organization, top to bottom: it creates the objects',
    'the config describes (New-…) and sets what the config writes on existing ones (Set-…), each after',
    'what it refers to. A New- line fails for an object that already exists (the script then stops):',
    'remove the line, or turn it into the matching Set- command.',
    'Only the parameters the config sets are given; everything else keeps Exchange\'s default.',
    'Not covered: AD sites and site links themselves and their ADCost (Active Directory objects:',
    'create them in AD Sites and Services first), DAG witness servers and IP addresses, database',
    'paths, the servers themselves, secrets (a smart host password is asked for by Get-Credential),',
    'and recipients (mailboxes, groups, contacts: counted at the end, not created).',
    'Lines "# [WHERE] command" run elsewhere: in an Edge server\'s own shell, or after the Edge',
    'subscription is in place; copy them there.',
  ];
  for (const line of lines) script.comment(line);
  script.blank();
  script.command("$ErrorActionPreference = 'Stop'");
}

function recipientFilter(script: Script, input: PowerShellExportInput, edges: string[]): void {
  const r = rawAt(input.raw, 'recipientFilter');
  if (!writtenKeys(r, input.written.recipientFilter).includes('recipientValidationEnabled')) return;
  const command = `Set-RecipientFilterConfig -RecipientValidationEnabled ${psBool(input.written.recipientFilter.recipientValidationEnabled)}`;
  // Recipient Lookup is the Edge servers' (R73); without one, the Mailbox servers' anti-spam agents read it.
  if (edges.length === 0) script.command(command);
  for (const edge of edges) script.command(command, edge);
}

function sites(script: Script, input: PowerShellExportInput): void {
  const { raw, written } = input;
  script.section('AD sites and site links');
  script.comment('Sites and links are Active Directory objects that must exist already; Exchange only sets its own attributes on them.');
  written.sites.forEach((site, i) => {
    const params = settings(script, new Parameters(), rawAt(raw, 'sites', i), site, new Set(['name']));
    if (params.parts.length > 0) script.command(`Set-AdSite -Identity ${psString(site.name)} ${params.text()}`);
    else script.comment(`AD site ${site.name}: nothing to set`);
  });
  written.siteLinks.forEach((link, i) => {
    const r = rawAt(raw, 'siteLinks', i);
    const keys = new Set(writtenKeys(r, link));
    script.comment(`AD site link ${link.name} (${link.sites.join(', ')}): ADCost ${link.cost}${keys.has('cost') ? '' : ' (AD\'s default)'}, set in Active Directory`);
    const params = settings(script, new Parameters(), r, link, new Set(['name', 'sites', 'cost']));
    if (params.parts.length > 0) script.command(`Set-AdSiteLink -Identity ${psString(link.name)} ${params.text()}`);
  });
}

/** Org-wide transportService values apply to every server (mxt's defaults), a server's own ones over them (R166). */
function transportService(script: Script, input: PowerShellExportInput): void {
  const { raw, written } = input;
  const orgRaw = rawAt(raw, 'transportService');
  const orgKeys = writtenKeys(orgRaw, written.transportService);
  script.section('Transport service of each server');
  let any = false;
  written.servers.forEach((server, i) => {
    const ownRaw = rawAt(raw, 'servers', i, 'transportService');
    const own = server.transportService ?? {};
    const ownKeys = server.transportService ? writtenKeys(ownRaw, own) : [];
    const merged: Plain = {};
    for (const key of orgKeys) merged[key] = (written.transportService as Plain)[key];
    for (const key of ownKeys) merged[key] = (own as Plain)[key];
    if (Object.keys(merged).length === 0) return;
    any = true;
    const where = server.role === 'Edge' ? server.name : undefined;
    const params = settings(script, new Parameters(), merged, merged, new Set(), '', where);
    if (params.parts.length > 0) script.command(`Set-TransportService -Identity ${psString(server.name)} ${params.text()}`, where);
  });
  if (!any) script.comment('the config sets no Set-TransportService parameter');
}

function databases(script: Script, input: PowerShellExportInput): void {
  const { written } = input;
  if (written.databaseAvailabilityGroups.length > 0) {
    script.section('Database availability groups');
    script.comment('Add -WitnessServer and -WitnessDirectory to New-DatabaseAvailabilityGroup as your design needs: the config holds neither.');
    for (const dag of written.databaseAvailabilityGroups) {
      script.command(`New-DatabaseAvailabilityGroup -Name ${psString(dag.name)}`);
      for (const member of dag.members) script.command(`Add-DatabaseAvailabilityGroupServer -Identity ${psString(dag.name)} -MailboxServer ${psString(member)}`);
    }
  }
  if (written.mailboxDatabases.length === 0) return;
  script.section('Mailbox databases');
  for (const db of written.mailboxDatabases) {
    const dag = written.databaseAvailabilityGroups.find((d) => sameName(d.name, db.masterServerOrAvailabilityGroup));
    // A DAG database is created on its first preferred member (its active copy), then copied to the others in order.
    const copies = dag ? (db.activationPreference && db.activationPreference.length > 0 ? db.activationPreference : dag.members.slice(0, 1)) : [db.masterServerOrAvailabilityGroup];
    const first = copies[0];
    if (first === undefined) {
      script.comment(`mailbox database ${db.name}: DAG ${db.masterServerOrAvailabilityGroup} has no member to create it on`);
      continue;
    }
    script.command(`New-MailboxDatabase -Name ${psString(db.name)} -Server ${psString(first)}`);
    script.command(`Mount-Database -Identity ${psString(db.name)}`);
    copies.slice(1).forEach((server, i) => {
      script.command(`Add-MailboxDatabaseCopy -Identity ${psString(db.name)} -MailboxServer ${psString(server)} -ActivationPreference ${i + 2}`);
    });
  }
}

/** Receive connector keys that are not Set-/New- parameters: identity, creation-only, mxt's own (ATRN, R54). */
const RECEIVE_IDENTITY = new Set(['name', 'server', 'usage', 'transportRole', 'adPermissions', 'atrnEnabled']);
/** Set-ReceiveConnector only (R181). */
const RECEIVE_SET_ONLY = new Set(['bareLinefeedRejectionEnabled', 'smtpUtf8Enabled']);

function receiveConnectors(script: Script, input: PowerShellExportInput, isEdge: (server: string) => boolean): void {
  const { raw, written, topology } = input;
  const dropped = written.servers.filter((s) => !s.defaultReceiveConnectors);
  if (written.receiveConnectors.length === 0 && dropped.length === 0) return;
  script.section('Receive connectors, server by server');
  for (const server of dropped) {
    // Removing them is not the script's to do: Default Frontend and Default <server> carry the org's own mail.
    script.comment(`${server.name}: the config drops Exchange's default receive connectors; the script leaves them as they are (disable or remove them by hand if that is meant)`);
  }
  const order = written.receiveConnectors.map((connector, index) => ({ connector, index }));
  // Server by server (R187), in the order the servers are listed; the file's order within one.
  const serverIndex = (name: string) => {
    const at = written.servers.findIndex((s) => sameName(s.name, name));
    return at < 0 ? written.servers.length : at;
  };
  order.sort((a, b) => serverIndex(a.connector.server) - serverIndex(b.connector.server) || a.index - b.index);
  for (const { connector, index } of order) {
    const r = rawAt(raw, 'receiveConnectors', index);
    const keys = new Set(writtenKeys(r, connector));
    const server = written.servers.find((s) => sameName(s.name, connector.server));
    const where = isEdge(connector.server) ? connector.server : undefined;
    const identity = psString(`${connector.server}\\${connector.name}`);
    const replacesDefault =
      server !== undefined && server.defaultReceiveConnectors && defaultReceiveConnectorsOf(server).some((d) => sameName(d.name, connector.name));
    script.comment(`${connector.server}\\${connector.name}`);
    if (keys.has('atrnEnabled')) script.note('atrnEnabled is mxt\'s own (Exchange serves no ATRN)', where);
    if (replacesDefault) {
      // Exchange created this one at setup (R20, R22): only the settings the file writes change.
      if (keys.has('usage') || keys.has('transportRole')) script.note('usage and transportRole of a default connector are fixed at its creation', where);
      const params = settings(script, new Parameters(), r, connector, RECEIVE_IDENTITY, 'receive', where);
      if (params.parts.length > 0) script.command(`Set-ReceiveConnector -Identity ${identity} ${params.text()}`, where);
    } else {
      const effective = topology.receiveConnectors.find((c) => sameName(c.server, connector.server) && sameName(c.name, connector.name) && c.origin.kind === 'config');
      const create = new Parameters().add('Name', psString(connector.name)).add('Server', psString(connector.server));
      if (keys.has('usage')) create.add('Usage', connector.usage && psString(connector.usage));
      if (keys.has('transportRole') && !where) create.add('TransportRole', connector.transportRole && psString(connector.transportRole));
      // Every parameter set of New-ReceiveConnector wants the bindings and remote ranges (R181): the effective ones when not written.
      create.add('Bindings', psList(listOf(connector.bindings, effective, 'bindings')));
      create.add('RemoteIPRanges', psList(listOf(connector.remoteIPRanges, effective, 'remoteIPRanges')));
      const params = settings(script, create, r, connector, new Set([...RECEIVE_IDENTITY, ...RECEIVE_SET_ONLY, 'bindings', 'remoteIPRanges']), 'receive', where);
      script.command(`New-ReceiveConnector ${params.text()}`, where);
      const later = new Parameters();
      for (const key of RECEIVE_SET_ONLY) if (keys.has(key)) later.add(parameterName(key), psBool((connector as Plain)[key] === true));
      if (later.parts.length > 0) script.command(`Set-ReceiveConnector -Identity ${identity} ${later.text()}`, where);
    }
    for (const grant of connector.adPermissions) {
      script.command(`Get-ReceiveConnector -Identity ${identity} | Add-ADPermission -User ${psString(grant.user)} -ExtendedRights ${psList(grant.extendedRights)}`, where);
    }
  }
}

function listOf(written: string[] | undefined, effective: ReceiveConnector | undefined, key: 'bindings' | 'remoteIPRanges'): string[] {
  return written ?? effective?.[key] ?? [];
}

/** Send connector keys written otherwise than key → -Key value. */
const SEND_SPECIAL = new Set(['name', 'addressSpaces', 'authenticationCredential']);

function sendConnectors(script: Script, input: PowerShellExportInput, isEdge: (server: string) => boolean): void {
  const { raw, written } = input;
  if (written.sendConnectors.length === 0) return;
  script.section('Send connectors');
  written.sendConnectors.forEach((connector, i) => {
    const r = rawAt(raw, 'sendConnectors', i);
    const keys = new Set(writtenKeys(r, connector));
    // An Edge server is a source server only once its subscription exists (R185): after it.
    const edgeSourced = connector.sourceTransportServers.some(isEdge);
    const where = edgeSourced ? 'after the Edge subscription' : undefined;
    script.comment(connector.name);
    if (connector.addressSpaces.length === 0) {
      script.note('New-SendConnector needs -AddressSpaces, and the config gives none', where);
      return;
    }
    const params = new Parameters().add('Name', psString(connector.name)).add('AddressSpaces', psList(connector.addressSpaces.map(formatAddressSpace)));
    settings(script, params, r, connector, SEND_SPECIAL, 'send', where);
    // R180: a SmartHostAuthMechanism other than None needs -DNSRoutingEnabled given explicitly.
    if (!keys.has('dnsRoutingEnabled') && keys.has('smartHostAuthMechanism') && connector.smartHostAuthMechanism !== 'None') {
      params.add('DNSRoutingEnabled', psBool(connector.dnsRoutingEnabled));
    }
    const credential = connector.authenticationCredential;
    if (credential) {
      const from = credential.passwordEnv ? `mxt reads it from $${credential.passwordEnv}` : credential.passwordFile ? `mxt reads it from ${credential.passwordFile}` : 'mxt holds none';
      params.add('AuthenticationCredential', `(Get-Credential -UserName ${psString(credential.username)} -Message ${psString(`Smart host password for send connector ${connector.name} (${from})`)})`);
    }
    script.command(`New-SendConnector ${params.text()}`, where);
  });
}

function edgeSubscriptions(script: Script, input: PowerShellExportInput): void {
  const { raw, written } = input;
  if (written.edgeSubscriptions.length === 0) return;
  script.section('Edge subscriptions');
  script.comment('Two halves on two machines: export the subscription file on the Edge server, copy it to a Mailbox server');
  script.comment('of the site and import it there (within 24 hours); then run any line tagged [after the Edge subscription].');
  written.edgeSubscriptions.forEach((sub, i) => {
    const keys = new Set(writtenKeys(rawAt(raw, 'edgeSubscriptions', i), sub));
    const file = `C:\\EdgeSubscription-${sub.edgeServer}.xml`;
    script.command(`New-EdgeSubscription -FileName ${psString(file)}`, sub.edgeServer);
    const params = new Parameters().add('FileData', `([System.IO.File]::ReadAllBytes(${psString(file)}))`).add('Site', psString(sub.site));
    if (keys.has('createInternetSendConnector')) params.add('CreateInternetSendConnector', psBool(sub.createInternetSendConnector));
    if (keys.has('createInboundSendConnector')) params.add('CreateInboundSendConnector', psBool(sub.createInboundSendConnector));
    script.command(`New-EdgeSubscription ${params.text()}`, `a Mailbox server in ${sub.site}`);
  });
}

function recipientsNote(script: Script, topology: Topology): void {
  const r = topology.recipients;
  const counts = [
    [r.mailboxes.length, 'mailbox', 'mailboxes'],
    [r.distributionGroups.length, 'distribution group', 'distribution groups'],
    [r.mailContacts.length, 'mail contact', 'mail contacts'],
    [r.mailUsers.length, 'mail user', 'mail users'],
  ] as const;
  const shown = counts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  if (shown.length === 0) return;
  script.section('Recipients');
  script.comment(`Not exported: ${shown.join(', ')} (create them with the recipient cmdlets or your provisioning).`);
}
