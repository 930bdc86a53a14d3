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
  /** Names of `servers`, shared by every route to the group (read-only). */
  readonly names: string[];
  /** The members by site, in order of first member (R91 orders them per viewpoint). */
  readonly sites: readonly GroupSitePart[];
  /** The JSON form (`deliveryGroup` of a decision), shared by every decision (read-only). */
  readonly ref: DeliveryGroupRef;
  /** Names the group in the routing cache's keys (see RouteCache.keyId). */
  readonly id: number;
}

/** The members of a group in one site. */
export interface GroupSitePart {
  /** Site index, -1 for servers without a site (unsubscribed Edge). */
  readonly site: number;
  readonly servers: Server[];
  readonly names: string[];
  /** The site's other Mailbox servers, by name: fallbacks when the site is the primary one (R86, R88). */
  readonly others: readonly string[];
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

function partsBySite(index: RoutingIndex, servers: readonly Server[]): GroupSitePart[] {
  const bySite = new Map<number, Server[]>();
  for (const s of servers) {
    const site = siteOf(index, s);
    const list = bySite.get(site);
    if (list) list.push(s);
    else bySite.set(site, [s]);
  }
  return [...bySite].map(([site, inSite]) => ({
    site,
    servers: inSite,
    names: inSite.map((s) => s.name),
    others: site < 0 ? [] : index.siteMailboxServers[site]!.filter((s) => !inSite.includes(s)).map((s) => s.name),
  }));
}

function deliveryGroup(index: RoutingIndex, type: DeliveryGroupType, name: string, nextHopDomain: string, relayType: DeliveryType, servers: Server[]): DeliveryGroup {
  const names = servers.map((s) => s.name);
  return { type, name, nextHopDomain, relayType, servers, names, sites: partsBySite(index, servers), ref: { type, name, servers: names }, id: index.cache.keyId() };
}

/** R71 Routable DAG; relayed to with SmtpRelayToDag, NextHopDomain = DAG name (R97). */
export function dagGroup(index: RoutingIndex, dag: Dag): DeliveryGroup {
  return memo(index, dag, () => deliveryGroup(index, 'RoutableDag', dag.name, dag.name, 'SmtpRelayToDag', members(index, dag.members)));
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
  const group = deliveryGroup(index, 'MailboxDeliveryGroup', name, name, 'SmtpRelayToMailboxDeliveryGroup', servers);
  memo(index, index.siteMailboxServers[site]!, () => new Map<number, DeliveryGroup>()).set(version, group);
  return group;
}

/** R71 connector source servers (Mailbox or Edge); relayed to per R106. */
export function connectorGroup(index: RoutingIndex, connector: SendConnector): DeliveryGroup {
  return memo(index, connector, () => deliveryGroup(index, 'ConnectorSourceServers', connector.name, connector.name, 'SmtpRelayToConnectorSourceServers', members(index, connector.sourceTransportServers)));
}

/** R71/R99 server list of an expansion server: SmtpRelayToServers, NextHopDomain = its FQDN. */
export function serverListGroup(index: RoutingIndex, server: Server): DeliveryGroup {
  return memo(index, server, () => deliveryGroup(index, 'ServerList', server.fqdn, server.fqdn, 'SmtpRelayToServers', [server]));
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
