/**
 * Send and receive connectors, and the Edge subscriptions behind the `EdgeSync - …` connectors.
 * A default receive connector (R20, R22) that is as Exchange made it is left out: mxt creates it
 * (effective.ts); one changed is listed under its name with what changed. A server that lost one of
 * its defaults gets `defaultReceiveConnectors: false` and every connector it has, listed in full.
 */
import { nameKey, sameName } from '../model/names.js';
import type { Server } from '../model/topology.js';
import { defaultReceiveConnectorsOf, sharedReceiveDefaults } from '../schema/default-receive-connectors.js';
import { authMechanisms, permissionGroups } from '../schema/receive-connector.js';
import { sendConnectorSchema } from '../schema/send-connector.js';
import { adPermissionsOf, type DumpedPermission } from './ad-permissions.js';
import { field, readFields, type DumpItem, type Field, type ImportRun } from './fields.js';
import * as v from './values.js';

type Entry = Record<string, unknown>;
type Role = Server['role'];

export interface ServerFacts {
  role: Role;
  fqdn: string;
}

const SEND_FIELDS: readonly Field[] = [
  field.addressSpaces('addressSpaces'),
  field.names('sourceTransportServers'),
  field.boolean('dnsRoutingEnabled'),
  field.smartHosts('smartHosts'),
  field.enum('smartHostAuthMechanism', ['None', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative']),
];
const SEND_FIELDS_AFTER_CREDENTIAL: readonly Field[] = [
  field.integer('port'),
  field.boolean('isScopedConnector'),
  field.size('maxMessageSize'),
  field.boolean('enabled'),
  field.text('fqdn'),
  field.boolean('forceHELO'),
  field.boolean('frontendProxyEnabled'),
  field.boolean('ignoreSTARTTLS'),
  field.boolean('requireTLS'),
  field.enum('tlsAuthLevel', ['EncryptionOnly', 'CertificateValidation', 'DomainValidation']),
  field.text('tlsDomain'),
  field.text('tlsCertificateName'),
  field.boolean('domainSecureEnabled'),
  field.boolean('useExternalDNSServersEnabled'),
  field.duration('connectionInactivityTimeOut'),
  field.integer('smtpMaxMessagesPerConnection'),
  field.text('sourceIPAddress'),
  field.enum('protocolLoggingLevel', ['None', 'Verbose']),
  field.enum('errorPolicies', ['Default', 'DowngradeDnsFailures', 'DowngradeCustomFailures', 'UpgradeCustomFailures']),
  field.boolean('cloudServicesMailEnabled'),
  field.enum('connectorType', ['Default', 'XPremises']),
  field.text('comment'),
];

const SEND_DEFAULTS: Entry = {
  ...sendConnectorSchema.parse({ name: 'x' }),
  // A2 (usage is not in a dump: it only steers New-SendConnector's defaults).
  maxMessageSize: 35 * 1024 ** 2,
  // Exchange shows 0.0.0.0 for "any local address".
  sourceIPAddress: '0.0.0.0',
};

/** `EdgeSync - Paris to Internet`, `EdgeSync - Inbound to Paris` (R116): which site, which direction. */
export function edgeSyncConnector(name: string): { site: string; direction: 'internet' | 'inbound' } | undefined {
  const internet = /^EdgeSync - (.+) to Internet$/i.exec(name);
  if (internet) return { site: internet[1]!, direction: 'internet' };
  const inbound = /^EdgeSync - Inbound to (.+)$/i.exec(name);
  return inbound ? { site: inbound[1]!, direction: 'inbound' } : undefined;
}

/** `To Fabrikam` → `TO_FABRIKAM_PASSWORD`: the variable the config names (a dump never holds the password). */
function passwordVariable(connector: string): string {
  return `${connector.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'SMART_HOST'}_PASSWORD`;
}

export function sendConnector(run: ImportRun, item: DumpItem, servers: ReadonlyMap<string, ServerFacts>): Entry | undefined {
  const name = run.read(item, 'Name', v.text);
  if (name === undefined) {
    run.problem(item, 'a send connector without a Name');
    return undefined;
  }
  const out: Entry = { name };
  readFields(run, item, SEND_FIELDS, SEND_DEFAULTS, out);
  const credential = run.read(item, 'AuthenticationCredential', (value) =>
    v.isRecord(value) && typeof v.property(value, 'UserName') === 'string' ? { ok: true as const, value: String(v.property(value, 'UserName')).replace(/^\\/, '') } : { ok: false as const, error: 'not a credential with a UserName' },
  );
  if (credential !== undefined) out.authenticationCredential = { username: credential, passwordEnv: passwordVariable(name) };
  const sources = (out.sourceTransportServers as string[] | undefined) ?? [];
  const onEdge = sources.some((s) => servers.get(nameKey(s))?.role === 'Edge');
  readFields(run, item, SEND_FIELDS_AFTER_CREDENTIAL, { ...SEND_DEFAULTS, useExternalDNSServersEnabled: onEdge }, out);
  return out;
}

const RECEIVE_FIELDS: readonly Field[] = [
  field.enum('transportRole', ['FrontendTransport', 'HubTransport']),
  field.bindings('bindings'),
  field.ipRanges('remoteIPRanges'),
  field.flags('permissionGroups', permissionGroups),
  field.flags('authMechanism', authMechanisms),
  field.boolean('enabled'),
  field.text('fqdn'),
  field.text('banner'),
  field.size('maxMessageSize'),
  field.size('maxHeaderSize'),
  field.integer('maxRecipientsPerMessage'),
  field.integer('maxHopCount'),
  field.integer('maxLocalHopCount'),
  field.limit('maxInboundConnection'),
  field.limit('maxInboundConnectionPerSource'),
  field.integer('maxInboundConnectionPercentagePerSource'),
  field.integer('maxLogonFailures'),
  field.limit('maxProtocolErrors'),
  field.limit('messageRateLimit'),
  field.enum('messageRateSource', ['None', 'User', 'IPAddress', 'All']),
  field.duration('connectionTimeout'),
  field.duration('connectionInactivityTimeout'),
  field.duration('tarpitInterval'),
  field.duration('authTarpitInterval'),
  field.boolean('requireTLS'),
  field.boolean('requireEHLODomain'),
  field.boolean('enableAuthGSSAPI'),
  field.enum('extendedProtectionPolicy', ['None', 'Allow', 'Require']),
  field.enum('sizeEnabled', ['Enabled', 'Disabled', 'EnabledWithoutValue']),
  field.boolean('pipeliningEnabled'),
  field.boolean('deliveryStatusNotificationEnabled'),
  field.boolean('enhancedStatusCodesEnabled'),
  field.boolean('eightBitMimeEnabled'),
  field.boolean('binaryMimeEnabled'),
  field.boolean('chunkingEnabled'),
  field.boolean('longAddressesEnabled'),
  field.boolean('orarEnabled'),
  field.boolean('suppressXAnonymousTls'),
  field.boolean('domainSecureEnabled'),
  field.boolean('smtpUtf8Enabled'),
  field.boolean('bareLinefeedRejectionEnabled'),
  field.text('tlsCertificateName'),
  field.texts('tlsDomainCapabilities'),
  field.text('defaultDomain'),
  field.boolean('advertiseClientSettings'),
  field.enum('protocolLoggingLevel', ['None', 'Verbose']),
  field.boolean('rejectReservedTopLevelRecipientDomains'),
  field.boolean('rejectReservedSecondLevelRecipientDomains'),
  field.boolean('rejectSingleLabelRecipientDomains'),
  field.text('serviceDiscoveryFqdn'),
  field.text('comment'),
];

/** A receive connector read in full (every property the dump has), before defaults are left out. */
export interface DumpedReceiveConnector {
  item: DumpItem;
  name: string;
  server: string;
  settings: Entry;
}

/** Name and server: `Name` and `Server`, else the identity `EX01\Default Frontend EX01` or the DN. */
export function receiveConnector(run: ImportRun, item: DumpItem): DumpedReceiveConnector | undefined {
  const identity = run.read(item, 'Identity', v.text);
  const dn = run.read(item, 'DistinguishedName', v.text);
  const name = run.read(item, 'Name', v.text) ?? (identity?.includes('\\') ? identity.slice(identity.indexOf('\\') + 1) : undefined);
  let server = run.read(item, 'Server', v.objectName) ?? (identity?.includes('\\') ? identity.slice(0, identity.indexOf('\\')) : undefined);
  if (!server && dn) {
    // CN=<connector>,CN=SMTP Receive Connectors,CN=Protocols,CN=<server>,CN=Servers,…
    const parts = v.rdns(dn);
    const at = parts.findIndex((p) => /^CN=Protocols$/i.test(p));
    const named = at >= 0 && parts[at + 1] ? v.objectName(parts[at + 1]) : undefined;
    if (named?.ok) server = named.value;
  }
  if (!name || !server) {
    run.problem(item, 'a receive connector without a Name and a Server (or an Identity SERVER\\NAME)');
    return undefined;
  }
  const settings: Entry = {};
  readFields(run, item, RECEIVE_FIELDS, {}, settings);
  // PermissionGroups None is no group at all.
  if (Array.isArray(settings.permissionGroups)) settings.permissionGroups = (settings.permissionGroups as string[]).filter((g) => g !== 'None');
  return { item, name, server, settings };
}

/** A server keeps Exchange's default receive connectors unless one of them is gone from the dump. */
export function keepsDefaults(server: { name: string; role: Role }, dumped: readonly DumpedReceiveConnector[]): boolean {
  const mine = dumped.filter((c) => sameName(c.server, server.name));
  if (mine.length === 0) return true;
  return defaultReceiveConnectorsOf(server).every((d) => mine.some((c) => sameName(c.name, d.name)));
}

/**
 * The config entry of a dumped receive connector, with only what differs from what mxt would give
 * it; undefined for a default connector that is exactly as Exchange made it.
 */
export function receiveConnectorEntry(
  connector: DumpedReceiveConnector,
  server: { name: string; role: Role; fqdn: string; keepsDefaults: boolean },
  permissions: readonly DumpedPermission[],
): Entry | undefined {
  const replaced = server.keepsDefaults ? defaultReceiveConnectorsOf(server).find((d) => sameName(d.name, connector.name)) : undefined;
  const base: Entry = { ...sharedReceiveDefaults(server.role), ...(replaced?.settings ?? {}), fqdn: server.fqdn };
  const changed: Entry = {};
  const groups = (connector.settings.permissionGroups ?? base.permissionGroups) as string[];
  const granted = adPermissionsOf(connector.server, connector.name, groups, permissions);
  for (const f of RECEIVE_FIELDS) {
    // In the schema's order: adPermissions right after authMechanism.
    if (f.key === 'enabled' && granted.length > 0) changed.adPermissions = granted;
    if (!(f.key in connector.settings)) continue;
    if (f.key === 'transportRole' && server.role === 'Edge') continue;
    const value = connector.settings[f.key];
    const implied = f.norm ? f.norm(base[f.key]) : base[f.key];
    // The service a connector runs in reads best written out, except on a default that keeps its own.
    const always = f.key === 'transportRole' && !replaced;
    if (!always && v.sameValue(value, implied)) continue;
    changed[f.key] = value;
  }
  if (replaced && Object.keys(changed).length === 0) return undefined;
  return { name: connector.name, server: connector.server, ...changed };
}

/** Addresses a server's connectors bind to (not the wildcards): its own addresses (V23). */
export function boundAddresses(server: string, dumped: readonly DumpedReceiveConnector[]): string[] {
  const addresses: string[] = [];
  for (const c of dumped) {
    if (!sameName(c.server, server)) continue;
    for (const binding of (c.settings.bindings as string[] | undefined) ?? []) {
      const address = binding.replace(/^\[(.*)\]:\d+$/, '$1').replace(/:\d+$/, '');
      if (address !== '0.0.0.0' && address !== '::' && !addresses.includes(address)) addresses.push(address);
    }
  }
  return addresses;
}

export interface EdgeSubscriptionFacts {
  edgeServer: string;
  site: string;
}

/**
 * The subscriptions (from Get-EdgeSubscription, else told by the EdgeSync connectors' sources) with
 * the connectors they create (R116) as the dumped send connectors show them.
 */
export function edgeSubscriptions(subscriptions: readonly EdgeSubscriptionFacts[], sendConnectors: readonly Entry[], sendDumped: boolean): Entry[] {
  const synced = sendConnectors.flatMap((c) => {
    const sync = edgeSyncConnector(String(c.name));
    return sync ? [{ ...sync, sources: (c.sourceTransportServers as string[] | undefined) ?? [] }] : [];
  });
  const known: EdgeSubscriptionFacts[] = [...subscriptions];
  if (known.length === 0) {
    for (const s of synced) for (const edge of s.sources) if (!known.some((k) => sameName(k.edgeServer, edge))) known.push({ edgeServer: edge, site: s.site });
  }
  return known.map((sub) => {
    const makes = (direction: 'internet' | 'inbound') => !sendDumped || synced.some((s) => s.direction === direction && sameName(s.site, sub.site) && s.sources.some((e) => sameName(e, sub.edgeServer)));
    return {
      edgeServer: sub.edgeServer,
      site: sub.site,
      ...(makes('internet') ? {} : { createInternetSendConnector: false }),
      ...(makes('inbound') ? {} : { createInboundSendConnector: false }),
    };
  });
}
