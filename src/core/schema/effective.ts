/**
 * effective(): the one pure function that turns what the user wrote into the topology Exchange
 * would actually run (spec sections 3 and 13): default receive connectors per server (a listed
 * connector with a default's name replaces it; `defaultReceiveConnectors: false` drops them), the
 * send connectors of Edge subscriptions, and every context-dependent default.
 */
import { domainKey } from '../model/address.js';
import type { AddressSpace } from '../model/address-space.js';
import { indexByName, nameKey, sameName } from '../model/names.js';
import type {
  AcceptedDomain,
  ReceiveConnector,
  SendConnector,
  Server,
  Topology,
  TransportServiceSettings,
} from '../model/topology.js';
import {
  type DefaultReceiveConnector,
  defaultReceiveConnectorsOf,
  mailboxDeliveryConnectorOf,
  receiveUsageDefaults,
  sharedReceiveDefaults,
} from './default-receive-connectors.js';
import type { WrittenReceiveConnector, WrittenTopology } from './topology.js';

const MINUTE = 60_000;
const MB = 1024 ** 2;

/** R160, R163, R164, R166, R186: Mailbox and Edge differ in three intervals. */
export function transportServiceDefaults(role: Server['role']): TransportServiceSettings {
  const edge = role === 'Edge';
  return {
    messageExpirationTimeout: 2 * 24 * 60 * MINUTE,
    delayNotificationTimeout: 4 * 60 * MINUTE,
    transientFailureRetryCount: 6,
    transientFailureRetryInterval: (edge ? 10 : 5) * MINUTE,
    outboundConnectionFailureRetryInterval: (edge ? 30 : 10) * MINUTE,
    messageRetryInterval: 15 * MINUTE,
    queueMaxIdleTime: 3 * MINUTE,
    queueGlitchRetryCount: 4,
    queueGlitchRetryInterval: MINUTE,
    mailboxDeliveryQueueRetryInterval: 5 * MINUTE,
    maxIdleTimeBeforeResubmit: 12 * 60 * MINUTE,
    maxOutboundConnections: 1000,
    maxPerDomainOutboundConnections: 20,
    maxConnectionRatePerMinute: 1200,
    externalDNSServers: [],
    internalDNSServers: [],
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `{ ...base, ...over }` for the objects made once per server or connector. Copying key by key into
 * a fresh literal is ten times faster there: V8 gives the copy of a spread a hidden class of its own,
 * and every key added after the spread then makes yet another one (a few µs each, 25,000 servers).
 */
function overlay<T extends object, U extends object>(base: T, over: U): Omit<T, keyof U> & U {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) out[key] = (base as Record<string, unknown>)[key];
  for (const key of Object.keys(over)) out[key] = (over as Record<string, unknown>)[key];
  return out as Omit<T, keyof U> & U;
}

export function effective(written: WrittenTopology): Topology {
  const subscribedSite = new Map<string, string>();
  for (const sub of written.edgeSubscriptions) {
    if (!subscribedSite.has(nameKey(sub.edgeServer))) subscribedSite.set(nameKey(sub.edgeServer), sub.site);
  }

  // The organization-wide transport settings over the role's defaults, once per role (not per server).
  const orgService = definedOnly(written.transportService);
  const serviceByRole = { Mailbox: { ...transportServiceDefaults('Mailbox'), ...orgService }, Edge: { ...transportServiceDefaults('Edge'), ...orgService } };
  const servers: Server[] = written.servers.map((server, i) =>
    overlay(server, {
      fqdn: server.fqdn ?? `${server.name.toLowerCase()}`,
      site: server.role === 'Edge' ? subscribedSite.get(nameKey(server.name)) : server.site,
      transportService: server.transportService ? { ...serviceByRole[server.role], ...definedOnly(server.transportService) } : { ...serviceByRole[server.role] },
      origin: { kind: 'config' as const, path: ['servers', i] },
    }),
  );

  const serversByName = indexByName(servers, (s) => s.name);

  const acceptedDomains: AcceptedDomain[] = written.acceptedDomains.map((domain) => ({
    ...domain,
    name: domain.name ?? domain.domainName,
    addressBookEnabled: domain.addressBookEnabled ?? domain.domainType === 'Authoritative',
  }));

  return {
    ...written,
    transportService: { ...transportServiceDefaults('Mailbox'), ...definedOnly(written.transportService) },
    servers,
    acceptedDomains,
    sendConnectors: [
      ...written.sendConnectors.map((connector, i) => writtenSendConnector(connector, i, serversByName)),
      ...edgeSubscriptionConnectors(written, servers, acceptedDomains),
    ],
    receiveConnectors: receiveConnectors(written, servers),
  };
}

function writtenSendConnector(
  connector: WrittenTopology['sendConnectors'][number],
  index: number,
  byName: ReadonlyMap<string, Server>,
): SendConnector {
  const onEdge = connector.sourceTransportServers.some((s) => byName.get(nameKey(s))?.role === 'Edge');
  return overlay(connector, {
    // A2: 35 MB, except usage Internal: unlimited.
    maxMessageSize: connector.maxMessageSize ?? (connector.usage === 'Internal' ? Infinity : 35 * MB),
    useExternalDNSServersEnabled: connector.useExternalDNSServersEnabled ?? onEdge,
    origin: { kind: 'config' as const, path: ['sendConnectors', index] },
  });
}

/**
 * R116, R117: one pair of connectors per subscribed site, sourced on every Edge subscribed to it.
 * `--` is expanded here, as the Edge does: one address space per authoritative and internal relay
 * domain, and the site's Mailbox servers as smart hosts.
 */
function edgeSubscriptionConnectors(written: WrittenTopology, servers: Server[], domains: AcceptedDomain[]): SendConnector[] {
  const bySite = new Map<string, { site: string; index: number; internet: string[]; inbound: string[] }>();
  written.edgeSubscriptions.forEach((sub, index) => {
    const key = nameKey(sub.site);
    const entry = bySite.get(key) ?? { site: sub.site, index, internet: [], inbound: [] };
    if (sub.createInternetSendConnector) entry.internet.push(sub.edgeServer);
    if (sub.createInboundSendConnector) entry.inbound.push(sub.edgeServer);
    bySite.set(key, entry);
  });
  const base = {
    usage: undefined,
    smartHostAuthMechanism: 'None' as const,
    authenticationCredential: undefined,
    port: 25,
    isScopedConnector: false,
    maxMessageSize: 35 * MB,
    enabled: true,
    forceHELO: false,
    frontendProxyEnabled: false,
    ignoreSTARTTLS: false,
    requireTLS: false,
    useExternalDNSServersEnabled: true,
    connectionInactivityTimeOut: 10 * MINUTE,
    smtpMaxMessagesPerConnection: 20,
    protocolLoggingLevel: 'None' as const,
    errorPolicies: 'Default' as const,
    cloudServicesMailEnabled: false,
    connectorType: 'Default' as const,
  };
  const internalDomains: AddressSpace[] = domains
    .filter((d) => d.domainType !== 'ExternalRelay')
    .map((d) => ({ type: 'SMTP', address: domainKey(d.domainName), cost: 1 }));
  const result: SendConnector[] = [];
  for (const { site, index, internet, inbound } of bySite.values()) {
    const origin = { kind: 'edgeSubscription' as const, path: ['edgeSubscriptions', index] };
    if (internet.length > 0) {
      result.push({
        ...base,
        name: `EdgeSync - ${site} to Internet`,
        addressSpaces: [{ type: 'SMTP', address: '*', cost: 100 }],
        sourceTransportServers: internet,
        dnsRoutingEnabled: true,
        smartHosts: [],
        domainSecureEnabled: true,
        edgeSync: { site, direction: 'ToInternet' },
        origin,
      });
    }
    if (inbound.length > 0) {
      result.push({
        ...base,
        name: `EdgeSync - Inbound to ${site}`,
        addressSpaces: internalDomains,
        sourceTransportServers: inbound,
        dnsRoutingEnabled: false,
        smartHosts: servers.filter((s) => s.role === 'Mailbox' && s.site !== undefined && sameName(s.site, site)).map((s) => s.fqdn),
        domainSecureEnabled: false,
        edgeSync: { site, direction: 'Inbound' },
        origin,
      });
    }
  }
  return result;
}

function receiveConnectors(written: WrittenTopology, servers: Server[]): ReceiveConnector[] {
  const result: ReceiveConnector[] = [];
  const listedByServer = new Map<string, { connector: WrittenReceiveConnector; index: number }[]>();
  written.receiveConnectors.forEach((connector, index) => {
    const key = nameKey(connector.server);
    const listed = listedByServer.get(key);
    if (listed) listed.push({ connector, index });
    else listedByServer.set(key, [{ connector, index }]);
  });
  // Built once per role, not once per connector: tens of thousands of servers each get the implicit
  // delivery connector. The effective topology is read-only, so connectors may share the lists.
  const templates = { Mailbox: connectorTemplate('Mailbox'), Edge: connectorTemplate('Edge') };
  const sharedReceiveDefaultsOf = (role: Server['role']) => templates[role];
  for (const server of servers) {
    const mine = listedByServer.get(nameKey(server.name)) ?? [];
    listedByServer.delete(nameKey(server.name));
    const defaults = server.defaultReceiveConnectors ? defaultReceiveConnectorsOf(server) : [];
    for (const d of defaults) {
      if (mine.some(({ connector }) => sameName(connector.name, d.name))) continue;
      result.push(createdConnector(sharedReceiveDefaultsOf(server.role), d, server, { kind: 'default', path: server.origin.path }));
    }
    for (const { connector, index } of mine) {
      const replaced = defaults.find((d) => sameName(d.name, connector.name));
      result.push(listedReceiveConnector(connector, index, server, replaced?.settings ?? {}));
    }
    if (server.role === 'Mailbox') {
      result.push(createdConnector(sharedReceiveDefaultsOf(server.role), mailboxDeliveryConnectorOf(server), server, { kind: 'implicit', path: server.origin.path }));
    }
  }
  // Connectors of unknown servers are kept so validation can point at them (dangling reference).
  for (const { connector, index } of [...listedByServer.values()].flat().sort((a, b) => a.index - b.index)) {
    result.push(listedReceiveConnector(connector, index, undefined, {}));
  }
  return result;
}

/** The shared defaults (R23) with every key a created connector has, so that filling one in adds no key. */
function connectorTemplate(role: Server['role']): ReceiveConnector {
  return { ...sharedReceiveDefaults(role), name: '', server: '', fqdn: '', origin: { kind: 'default', path: [] } };
}

/**
 * A connector Exchange creates: a copy of the role's template with the connector's own settings on
 * top. Written as one copy of an object that already has every key, then assignments, not as a
 * literal of spreads and keys: V8 copies a literal's first spread in one step, but each key added
 * after it makes a new hidden class, about 10 µs for an object this wide, and this runs for every
 * server (25,000 times for the 5,000-site benchmark org).
 */
function createdConnector(template: ReceiveConnector, made: DefaultReceiveConnector, server: Server, origin: ReceiveConnector['origin']): ReceiveConnector {
  const connector = { ...template };
  connector.name = made.name;
  connector.server = server.name;
  connector.fqdn = server.fqdn;
  connector.origin = origin;
  return Object.assign(connector, made.settings);
}

function listedReceiveConnector(
  connector: WrittenReceiveConnector,
  index: number,
  server: Server | undefined,
  replaced: Partial<ReceiveConnector>,
): ReceiveConnector {
  const role = server?.role ?? 'Mailbox';
  const written = definedOnly(connector);
  return {
    ...sharedReceiveDefaults(role),
    ...receiveUsageDefaults(connector.usage, role),
    ...replaced,
    ...written,
    transportRole: role === 'Edge' ? 'Edge' : (connector.transportRole ?? replaced.transportRole ?? 'FrontendTransport'),
    fqdn: connector.fqdn ?? server?.fqdn ?? connector.server.toLowerCase(),
    origin: { kind: 'config', path: ['receiveConnectors', index] },
  } as ReceiveConnector;
}
