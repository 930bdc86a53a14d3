/**
 * The routing table: every routing destination (each DAG, each mailbox delivery group that hosts
 * databases, each send connector, each expansion server) as seen from each server.
 *
 * Servers of one site share their paths, so the table is computed per site in typed arrays (primary
 * site and next site of every destination, R85, R91) and turned into rows per server on demand
 * (`entriesFor`), applying what differs per server: membership of the destination group (R72, R96),
 * Edge servers using only their own connectors (R119), scoped connectors (R103).
 */
import { formatAddressSpace } from '../model/address-space.js';
import { compareNames, nameKey } from '../model/names.js';
import type { SendConnector, Server, Topology } from '../model/topology.js';
import { connectorGroup, dagGroup, mailboxGroup, serverListGroup, type DeliveryGroup } from './delivery-groups.js';
import { compareChains } from './primary-site.js';
import { routingIndex, siteOf, type RoutingIndex } from './routing-index.js';
import { pathIndices, pathMaxSize, shortestPathTree, treeFirstHub } from './site-graph.js';
import { smartHostsString } from './categorize.js';
import type { DeliveryType } from './types.js';

export type DestinationType = 'RoutableDag' | 'MailboxDeliveryGroup' | 'Connector' | 'ExpansionServer';

export interface Destination {
  type: DestinationType;
  name: string;
  group: DeliveryGroup;
  connector?: SendConnector;
  /** Distinct site indices of the group's servers. */
  sites: Int32Array;
}

export interface RouteTableEntry {
  server: string;
  destination: { type: DestinationType; name: string };
  addressSpaces?: string[];
  status: 'routed' | 'unreachable' | 'invisible';
  deliveryType: DeliveryType | null;
  /** NextHopDomain of the queue. */
  nextHop: string | null;
  targets: string[];
  primarySite: string | null;
  sitePath: string[];
  cost: number | null;
  /**
   * Largest message this route carries, in bytes (null: unlimited): the smallest site link limit on the path
   * (R87) and, for a connector, its own MaxMessageSize (R104). A changed limit is a changed route for `route diff`.
   */
  maxMessageSize: number | null;
  note?: string;
}

export interface RouteTable {
  topology: Topology;
  index: RoutingIndex;
  destinations: Destination[];
  /** Per source site index with servers: primary site of each destination (-1 none). */
  primary: Map<number, Int32Array>;
  /** Per source site: the site the next hop leads into (first hub, R85), -1 none; same array as primary when no hub exists. */
  next: Map<number, Int32Array>;
  /** Servers in table order (by name). */
  servers: Server[];
  entriesFor(server: Server): RouteTableEntry[];
}

function destinationsOf(index: RoutingIndex): Destination[] {
  const t = index.topology;
  const result: Destination[] = [];
  const sitesOf = (servers: readonly Server[]) => Int32Array.from(new Set(servers.map((s) => siteOf(index, s)).filter((s) => s >= 0)));
  const add = (type: DestinationType, name: string, group: DeliveryGroup, connector?: SendConnector) =>
    result.push({ type, name, group, ...(connector ? { connector } : {}), sites: sitesOf(group.servers) });
  for (const dag of [...index.dags.values()].sort((a, b) => compareNames(a.name, b.name))) add('RoutableDag', dag.name, dagGroup(index, dag));
  // Mailbox delivery groups serve databases on servers outside DAGs (R71); list those that host one.
  const mdg = new Map<string, DeliveryGroup>();
  for (const db of t.mailboxDatabases) {
    const host = index.servers.get(nameKey(db.masterServerOrAvailabilityGroup));
    if (!host || index.dagOfServer.has(nameKey(host.name))) continue;
    const site = siteOf(index, host);
    if (site < 0) continue;
    const group = mailboxGroup(index, site, host.version);
    mdg.set(group.name, group);
  }
  for (const group of [...mdg.values()].sort((a, b) => compareNames(a.name, b.name))) add('MailboxDeliveryGroup', group.name, group);
  for (const c of [...t.sendConnectors].sort((a, b) => compareNames(a.name, b.name))) add('Connector', c.name, connectorGroup(index, c), c);
  const expansion = new Map<string, Server>();
  for (const g of t.recipients.distributionGroups) {
    const e = g.expansionServer ? index.servers.get(nameKey(g.expansionServer)) : undefined;
    if (e) expansion.set(nameKey(e.name), e);
  }
  for (const e of [...expansion.values()].sort((a, b) => compareNames(a.name, b.name))) add('ExpansionServer', e.name, serverListGroup(index, e));
  return result;
}

export function buildRouteTable(topology: Topology, options: { sites?: number[] } = {}): RouteTable {
  const index = routingIndex(topology);
  const graph = index.graph;
  const destinations = destinationsOf(index);
  const anyHub = graph.hub.some((h, i) => h === 1 && graph.hasServers[i] === 1);
  const primary = new Map<number, Int32Array>();
  const next = new Map<number, Int32Array>();
  const sourceSites = new Set<number>();
  for (const server of topology.servers) {
    const s = siteOf(index, server);
    if (s >= 0) sourceSites.add(s);
  }
  // Destination sites in flat arrays: the inner loop below runs sites × destinations times.
  const offsets = new Int32Array(destinations.length + 1);
  destinations.forEach((d, i) => (offsets[i + 1] = offsets[i]! + d.sites.length));
  const flat = new Int32Array(offsets[destinations.length]!);
  destinations.forEach((d, i) => flat.set(d.sites, offsets[i]!));
  const rank = graph.rank;
  for (const s of options.sites ?? [...sourceSites].sort((a, b) => a - b)) {
    const tree = shortestPathTree(graph, s);
    const cost = tree.cost;
    const hops = tree.hops;
    const p = new Int32Array(destinations.length);
    for (let d = 0; d < destinations.length; d++) {
      // R91 at site granularity: local site first, then (cost, hops, names before the site, site name).
      let best = -1;
      for (let k = offsets[d]!, end = offsets[d + 1]!; k < end; k++) {
        const site = flat[k]!;
        if (cost[site]! < 0) continue;
        if (site === s) {
          best = site;
          break;
        }
        if (best < 0) {
          best = site;
          continue;
        }
        const diff = cost[site]! - cost[best]! || hops[site]! - hops[best]! || compareChains(graph, tree, site, best) || rank[site]! - rank[best]!;
        if (diff < 0) best = site;
      }
      p[d] = best;
    }
    primary.set(s, p);
    if (!anyHub) {
      next.set(s, p);
      continue;
    }
    // R85: Dijkstra already recorded each site's first hub on the way (site-graph.ts treeFirstHub).
    const n = new Int32Array(destinations.length);
    for (let d = 0; d < destinations.length; d++) {
      const target = p[d]!;
      const hub = target < 0 ? -1 : treeFirstHub(tree, target);
      n[d] = hub < 0 ? target : hub;
    }
    next.set(s, n);
  }
  const servers = [...index.servers.values()].sort((a, b) => compareNames(a.name, b.name));
  const table: RouteTable = {
    topology,
    index,
    destinations,
    primary,
    next,
    servers,
    entriesFor: (server) => entriesFor(table, server),
  };
  return table;
}

function entriesFor(table: RouteTable, server: Server): RouteTableEntry[] {
  const { index, destinations } = table;
  const graph = index.graph;
  const s = siteOf(index, server);
  const tree = s >= 0 ? shortestPathTree(graph, s) : undefined;
  const primaryRow = s >= 0 ? table.primary.get(s) : undefined;
  const nextRow = s >= 0 ? table.next.get(s) : undefined;
  const entries: RouteTableEntry[] = [];
  const isMember = (group: DeliveryGroup) => group.servers.some((m) => nameKey(m.name) === nameKey(server.name));
  destinations.forEach((dest, d) => {
    const c = dest.connector;
    // R119: an Edge server routes only through its own connectors.
    if (server.role === 'Edge' && !(c && isMember(dest.group))) return;
    const base = {
      server: server.name,
      destination: { type: dest.type, name: dest.name },
      ...(c ? { addressSpaces: c.addressSpaces.map(formatAddressSpace) } : {}),
      maxMessageSize: limit(c?.maxMessageSize ?? Infinity),
    };
    if (c?.edgeSync?.direction === 'Inbound' && !isMember(dest.group)) {
      entries.push({ ...base, status: 'invisible', deliveryType: null, nextHop: null, targets: [], primarySite: null, sitePath: [], cost: null, note: 'EdgeSync inbound connector: used only on its Edge servers (R117)' });
      return;
    }
    if (c?.isScopedConnector && !dest.group.servers.some((m) => nameKey(m.name) === nameKey(server.name) || (s >= 0 && siteOf(index, m) === s))) {
      entries.push({ ...base, status: 'invisible', deliveryType: null, nextHop: null, targets: [], primarySite: null, sitePath: [], cost: null, note: 'scoped connector (R103)' });
      return;
    }
    if (isMember(dest.group)) {
      // R72: the categorizing server is in the destination delivery group.
      const local = localEntry(dest, server);
      entries.push({ ...base, ...local, primarySite: s >= 0 ? graph.names[s]! : null, sitePath: s >= 0 ? [graph.names[s]!] : [], cost: 0 });
      return;
    }
    const p = primaryRow ? primaryRow[d]! : -1;
    if (p < 0 || !tree) {
      const why = dest.group.servers.length === 0 ? 'the delivery group has no servers' : 'no site path to the delivery group';
      entries.push({ ...base, status: 'unreachable', deliveryType: 'Unreachable', nextHop: 'Unreachable Domain', targets: [], primarySite: null, sitePath: [], cost: null, note: `${why} (R120)` });
      return;
    }
    const into = nextRow![d]!;
    const path = pathIndices(tree, p)!.map((i) => graph.names[i]!);
    const route = { primarySite: graph.names[p]!, sitePath: path, cost: tree.cost[p]!, maxMessageSize: limit(Math.min(pathMaxSize(graph, tree, p), c?.maxMessageSize ?? Infinity)) };
    const inPrimary = dest.group.servers.filter((m) => siteOf(index, m) === p);
    const siteServers = (site: number) => index.siteMailboxServers[site]!.map((m) => m.name);
    if (into !== p) {
      entries.push({ ...base, ...route, status: 'routed', deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: graph.names[into]!, targets: siteServers(into), note: 'hub site on the path (R85)' });
      return;
    }
    if (inPrimary.every((m) => m.role === 'Edge')) {
      // R106/R118.
      if (p === s) entries.push({ ...base, ...route, status: 'routed', deliveryType: 'SmtpRelayWithinAdSiteToEdge', nextHop: dest.group.nextHopDomain, targets: inPrimary.map((m) => m.name) });
      else entries.push({ ...base, ...route, status: 'routed', deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: graph.names[p]!, targets: siteServers(p) });
      return;
    }
    entries.push({ ...base, ...route, status: 'routed', deliveryType: dest.group.relayType, nextHop: dest.group.nextHopDomain, targets: inPrimary.map((m) => m.name) });
  });
  return entries;
}

/** Bytes, or null for unlimited (JSON has no Infinity). */
function limit(bytes: number): number | null {
  return bytes === Infinity ? null : bytes;
}

function localEntry(dest: Destination, server: Server): Pick<RouteTableEntry, 'status' | 'deliveryType' | 'nextHop' | 'targets' | 'note'> {
  const c = dest.connector;
  if (c) {
    // R106 first rows: the server sends itself.
    return c.dnsRoutingEnabled
      ? { status: 'routed', deliveryType: 'DnsConnectorDelivery', nextHop: '<recipient domain>', targets: ['MX'], note: 'source server (R106)' }
      : { status: 'routed', deliveryType: 'SmartHostConnectorDelivery', nextHop: smartHostsString(c), targets: c.smartHosts.map((h) => `${h}:${c.port}`), note: 'source server (R106)' };
  }
  if (dest.type === 'ExpansionServer') return { status: 'routed', deliveryType: null, nextHop: null, targets: [server.name], note: 'groups are expanded here (R99)' };
  return { status: 'routed', deliveryType: 'SmtpDeliveryToMailbox', nextHop: '<database>', targets: [], note: 'member of the delivery group: delivers to the active copy (R96)' };
}


/** All rows for the chosen servers (default: all), in server then destination order. */
export function tableRows(table: RouteTable, servers?: readonly Server[]): RouteTableEntry[] {
  return (servers ?? table.servers).flatMap((s) => table.entriesFor(s));
}

export interface RouteChange {
  server: string;
  destination: { type: DestinationType; name: string };
  change: 'added' | 'removed' | 'changed';
  before?: RouteTableEntry;
  after?: RouteTableEntry;
  /** Fields that differ, for `changed`. */
  fields: string[];
}

export interface RouteTableDiff {
  version: 1;
  changed: boolean;
  changes: RouteChange[];
}

const COMPARED = ['status', 'deliveryType', 'nextHop', 'targets', 'primarySite', 'sitePath', 'cost', 'maxMessageSize', 'addressSpaces'] as const;

function rowKey(row: RouteTableEntry): string {
  return `${nameKey(row.server)}\u0000${row.destination.type}\u0000${nameKey(row.destination.name)}`;
}

/** `route diff`: the rows that appear, disappear or change between two tables. */
export function diffTables(a: RouteTable, b: RouteTable): RouteTableDiff {
  const before = new Map(tableRows(a).map((r) => [rowKey(r), r]));
  const after = new Map(tableRows(b).map((r) => [rowKey(r), r]));
  const changes: RouteChange[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      changes.push({ server: old.server, destination: old.destination, change: 'removed', before: old, fields: [] });
      continue;
    }
    const fields = COMPARED.filter((f) => JSON.stringify(old[f] ?? null) !== JSON.stringify(now[f] ?? null));
    if (fields.length > 0) changes.push({ server: now.server, destination: now.destination, change: 'changed', before: old, after: now, fields: [...fields] });
  }
  for (const [key, now] of after) {
    if (!before.has(key)) changes.push({ server: now.server, destination: now.destination, change: 'added', after: now, fields: [] });
  }
  changes.sort((x, y) => compareNames(x.server, y.server) || compareNames(x.destination.type, y.destination.type) || compareNames(x.destination.name, y.destination.name));
  return { version: 1, changed: changes.length > 0, changes };
}
