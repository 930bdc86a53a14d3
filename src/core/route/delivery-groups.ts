/**
 * Delivery groups (R71) and the routing destination of a database (R6, R95). A group is a set of
 * servers plus the NextHopDomain and delivery type used to relay to it from outside.
 */
import { compareNames, nameKey } from '../model/names.js';
import type { Dag, MailboxDatabase, SendConnector, Server } from '../model/topology.js';
import type { Availability } from './availability.js';
import { memo, siteOf, type RoutingIndex } from './routing-index.js';
import type { DeliveryGroupRef, DeliveryGroupType, DeliveryType } from './types.js';

export interface DeliveryGroup {
  type: DeliveryGroupType;
  name: string;
  /** NextHopDomain of a queue to this group. */
  nextHopDomain: string;
  /** Delivery type of a relay to this group from a server outside it. */
  relayType: DeliveryType;
  /** Members sorted by name (config order never matters). */
  servers: Server[];
}

const byName = (a: Server, b: Server): number => compareNames(a.name, b.name);

function members(index: RoutingIndex, names: readonly string[]): Server[] {
  const found = new Map<string, Server>();
  for (const n of names) {
    const s = index.servers.get(nameKey(n));
    if (s) found.set(nameKey(s.name), s);
  }
  return [...found.values()].sort(byName);
}

/** R71 Routable DAG; relayed to with SmtpRelayToDag, NextHopDomain = DAG name (R97). */
export function dagGroup(index: RoutingIndex, dag: Dag): DeliveryGroup {
  return memo(index, dag, () => ({ type: 'RoutableDag', name: dag.name, nextHopDomain: dag.name, relayType: 'SmtpRelayToDag', servers: members(index, dag.members) }));
}

/** A1/R98: `site:<lower-case site>; version:<n>`. */
export function mailboxGroupName(site: string, version: number): string {
  return `site:${site.toLowerCase()}; version:${version}`;
}

/** R71 mailbox delivery group: every Mailbox server of the site and version, DAG members included. */
export function mailboxGroup(index: RoutingIndex, site: number, version: number): DeliveryGroup {
  const servers0 = index.siteMailboxServers[site]!;
  return memo(index, servers0, () => new Map<number, DeliveryGroup>()).get(version) ?? makeMailboxGroup(index, site, version);
}

function makeMailboxGroup(index: RoutingIndex, site: number, version: number): DeliveryGroup {
  const name = mailboxGroupName(index.graph.names[site]!, version);
  const servers = index.siteMailboxServers[site]!.filter((s) => s.version === version);
  const group: DeliveryGroup = { type: 'MailboxDeliveryGroup', name, nextHopDomain: name, relayType: 'SmtpRelayToMailboxDeliveryGroup', servers };
  memo(index, index.siteMailboxServers[site]!, () => new Map<number, DeliveryGroup>()).set(version, group);
  return group;
}

/** R71 connector source servers (Mailbox or Edge); relayed to per R106. */
export function connectorGroup(index: RoutingIndex, connector: SendConnector): DeliveryGroup {
  return memo(index, connector, () => ({
    type: 'ConnectorSourceServers' as const,
    name: connector.name,
    nextHopDomain: connector.name,
    relayType: 'SmtpRelayToConnectorSourceServers' as const,
    servers: members(index, connector.sourceTransportServers),
  }));
}

/** R71/R99 server list of an expansion server: SmtpRelayToServers, NextHopDomain = its FQDN. */
export function serverListGroup(index: RoutingIndex, server: Server): DeliveryGroup {
  return memo(index, server, () => ({ type: 'ServerList' as const, name: server.fqdn, nextHopDomain: server.fqdn, relayType: 'SmtpRelayToServers' as const, servers: [server] }));
}

/** R71/R85 AD site delivery group: the Mailbox servers of a site (never its Edge servers). */
export function adSiteGroup(index: RoutingIndex, site: number): DeliveryGroup {
  const name = index.graph.names[site]!;
  return { type: 'AdSite', name, nextHopDomain: name, relayType: 'SmtpRelayToRemoteAdSite', servers: index.siteMailboxServers[site]! };
}

const serverNames = new WeakMap<readonly Server[], string[]>();

/** The names of a server list, computed once per list (routes share them: do not mutate). */
export function namesOf(servers: readonly Server[]): string[] {
  let names = serverNames.get(servers);
  if (!names) {
    names = servers.map((s) => s.name);
    serverNames.set(servers, names);
  }
  return names;
}

/** The JSON form of a group; the name list is computed once per group (do not mutate it). */
export function groupRef(group: DeliveryGroup): DeliveryGroupRef {
  return { type: group.type, name: group.name, servers: namesOf(group.servers) };
}

/**
 * R6: the active copy is the first server of activationPreference that is not down; a database of a
 * single server lives there. Undefined when no copy can be active.
 */
export function activeCopy(index: RoutingIndex, db: MailboxDatabase, avail: Availability): Server | undefined {
  const { host, copies } = memo(index, db, () => {
    const host = index.servers.get(nameKey(db.masterServerOrAvailabilityGroup));
    const dag = index.dags.get(nameKey(db.masterServerOrAvailabilityGroup));
    const preference = db.activationPreference ?? dag?.members ?? [];
    return { host, copies: preference.map((n) => index.servers.get(nameKey(n))).filter((s): s is Server => s !== undefined) };
  });
  if (host) return host;
  for (const s of copies) if (!avail.serverDown(s)) return s;
  return undefined;
}

/** R95: the destination delivery group of a database whose active copy is on X. */
export function databaseGroup(index: RoutingIndex, x: Server): DeliveryGroup | undefined {
  const dag = index.dagByServer.get(x) ?? index.dagOfServer.get(nameKey(x.name));
  if (dag) return dagGroup(index, dag);
  const site = siteOf(index, x);
  return site < 0 ? undefined : mailboxGroup(index, site, x.version);
}
