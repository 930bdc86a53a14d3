/**
 * Everything routing looks up, indexed once per topology (WeakMap): servers by name and FQDN, DAG
 * membership, Mailbox servers per site, recipients by address, accepted domains and send connector
 * address spaces by domain suffix. A plan is then a handful of map lookups plus cached site paths.
 */
import { domainKey } from '../model/address.js';
import { compareNames, nameKey } from '../model/names.js';
import type {
  AcceptedDomain,
  Dag,
  DistributionGroup,
  MailContact,
  Mailbox,
  MailboxDatabase,
  SendConnector,
  Server,
  Topology,
} from '../model/topology.js';
import type { AddressSpace } from '../model/address-space.js';
import { RouteCache, type CacheMode } from './route-cache.js';
import { buildSiteGraph, type SiteGraph } from './site-graph.js';

export type DirectoryEntry =
  | { kind: 'mailbox'; mailbox: Mailbox }
  | { kind: 'group'; group: DistributionGroup }
  | { kind: 'contact'; contact: MailContact }
  | { kind: 'mailUser'; contact: MailContact };

/** A server and its site index in the graph (-1: none). */
export interface ServerAt {
  readonly server: Server;
  readonly site: number;
}

export interface ConnectorSpace {
  connector: SendConnector;
  space: AddressSpace;
}

/** Accepted domains by what they match (R62), the part of the index validation needs on its own. */
export interface AcceptedDomainIndex {
  acceptedExact: Map<string, AcceptedDomain>;
  /** `*.s` accepted domains by s (R62). */
  acceptedWildcard: Map<string, AcceptedDomain>;
  /** Plain domains with matchSubDomains (A16), by domain. */
  acceptedSubdomains: Map<string, AcceptedDomain>;
}

export interface RoutingIndex extends AcceptedDomainIndex {
  topology: Topology;
  graph: SiteGraph;
  servers: Map<string, Server>;
  /** Servers and their site by the name exactly as written (names produced by routing itself; no lower-casing): one lookup per request. */
  serversByExactName: Map<string, ServerAt>;
  serversByFqdn: Map<string, Server>;
  /** Server nameKey → site index in the graph, -1 when it has none. */
  serverSite: Map<string, number>;
  /** The same by object, for the hot paths (no lower-casing per lookup). */
  siteByServer: Map<Server, number>;
  /** Send connectors by nameKey. */
  connectors: Map<string, SendConnector>;
  /** Site indices whose InboundMailEnabled is false (R92). */
  noInbound: Set<number>;
  /** Memo of per-object derived data (delivery groups), keyed by the object. */
  memo: Map<object, unknown>;
  /**
   * Every result routing keeps between requests (recipients, path trees, group routes, ranked connector
   * candidates, later-stop decisions, active copies), in one typed cache; its mode `off` computes each
   * afresh on every use (same answers, slower: the property tests compare the modes).
   */
  cache: RouteCache;
  dagOfServer: Map<string, Dag>;
  dagByServer: Map<Server, Dag>;
  dags: Map<string, Dag>;
  databases: Map<string, MailboxDatabase>;
  /** Mailbox servers (never Edge) of each site index, sorted by name. */
  siteMailboxServers: Server[][];
  directory: Map<string, DirectoryEntry>;
  /** SMTP address spaces: exact domain → entries. */
  spaceExact: Map<string, ConnectorSpace[]>;
  /** `*.s` address spaces by s. */
  spaceWildcard: Map<string, ConnectorSpace[]>;
  /** `*` address spaces. */
  spaceAny: ConnectorSpace[];
}

const indexes = new WeakMap<Topology, RoutingIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Ties between objects of the same name are broken by name so that config order never matters. */
function byConnectorName(a: ConnectorSpace, b: ConnectorSpace): number {
  return compareNames(a.connector.name, b.connector.name) || a.space.cost - b.space.cost;
}

export function routingIndex(topology: Topology): RoutingIndex {
  const cached = indexes.get(topology);
  if (cached) return cached;
  const index = buildIndex(topology, 'on');
  indexes.set(topology, index);
  return index;
}

/** A routing index of its own that caches no result (see `cache`); not shared with routingIndex(). */
export function uncachedRoutingIndex(topology: Topology): RoutingIndex {
  return buildIndex(topology, 'off');
}

/** A routing index of its own that caches like routingIndex() and freezes every cached result (tests: a write into a shared result throws). */
export function frozenRoutingIndex(topology: Topology): RoutingIndex {
  return buildIndex(topology, 'frozen');
}

const acceptedIndexes = new WeakMap<Topology, AcceptedDomainIndex>();

/**
 * The accepted domains indexed once per topology (WeakMap), shared by routingIndex(): the
 * recipient-domain rule needs only these, not the whole routing index of a large org.
 */
export function acceptedDomainIndex(topology: Topology): AcceptedDomainIndex {
  const cached = acceptedIndexes.get(topology);
  if (cached) return cached;
  const acceptedExact = new Map<string, AcceptedDomain>();
  const acceptedWildcard = new Map<string, AcceptedDomain>();
  const acceptedSubdomains = new Map<string, AcceptedDomain>();
  const sortedDomains = [...topology.acceptedDomains].sort((a, b) => compareNames(a.domainName, b.domainName) || compareNames(a.name, b.name));
  for (const domain of sortedDomains) {
    // R62: keyed in A-labels, so that `bücher.example` takes addresses written in either form.
    const name = domainKey(domain.domainName);
    if (name.startsWith('*.')) {
      if (!acceptedWildcard.has(name.slice(2))) acceptedWildcard.set(name.slice(2), domain);
    } else {
      if (!acceptedExact.has(name)) acceptedExact.set(name, domain);
      if (domain.matchSubDomains && !acceptedSubdomains.has(name)) acceptedSubdomains.set(name, domain);
    }
  }
  const index = { acceptedExact, acceptedWildcard, acceptedSubdomains };
  acceptedIndexes.set(topology, index);
  return index;
}

function buildIndex(topology: Topology, mode: CacheMode): RoutingIndex {
  const graph = buildSiteGraph(topology);
  const servers = new Map<string, Server>();
  const serversByFqdn = new Map<string, Server>();
  const serversByExactName = new Map<string, ServerAt>();
  const serverSite = new Map<string, number>();
  const siteByServer = new Map<Server, number>();
  const siteMailboxServers: Server[][] = graph.names.map(() => []);
  for (const server of topology.servers) {
    const key = nameKey(server.name);
    if (servers.has(key)) continue;
    servers.set(key, server);
    serversByFqdn.set(server.fqdn.toLowerCase(), server);
    const site = server.site === undefined ? -1 : (graph.index.get(nameKey(server.site)) ?? -1);
    serversByExactName.set(server.name, { server, site });
    serverSite.set(key, site);
    siteByServer.set(server, site);
    // R71/R84: AD site delivery groups hold Mailbox servers only, never subscribed Edge servers.
    if (site >= 0 && server.role === 'Mailbox') siteMailboxServers[site]!.push(server);
  }
  for (const list of siteMailboxServers) list.sort((a, b) => compareNames(a.name, b.name));
  const dags = new Map<string, Dag>();
  const dagOfServer = new Map<string, Dag>();
  for (const dag of topology.databaseAvailabilityGroups) {
    if (!dags.has(nameKey(dag.name))) dags.set(nameKey(dag.name), dag);
    // R5: a server is in at most one DAG; V-rules report violations, the first DAG wins here.
    for (const member of dag.members) if (!dagOfServer.has(nameKey(member))) dagOfServer.set(nameKey(member), dag);
  }
  const dagByServer = new Map<Server, Dag>();
  for (const [key, dag] of dagOfServer) {
    const server = servers.get(key);
    if (server) dagByServer.set(server, dag);
  }
  const databases = new Map<string, MailboxDatabase>();
  for (const db of topology.mailboxDatabases) if (!databases.has(nameKey(db.name))) databases.set(nameKey(db.name), db);

  const directory = new Map<string, DirectoryEntry>();
  const add = (address: string, entry: DirectoryEntry): void => {
    const key = directoryKey(address);
    if (!directory.has(key)) directory.set(key, entry);
  };
  const r = topology.recipients;
  for (const mailbox of r.mailboxes) {
    add(mailbox.address, { kind: 'mailbox', mailbox });
    for (const proxy of mailbox.emailAddresses) add(proxy, { kind: 'mailbox', mailbox });
  }
  for (const group of r.distributionGroups) add(group.address, { kind: 'group', group });
  for (const contact of r.mailContacts) add(contact.address, { kind: 'contact', contact });
  for (const contact of r.mailUsers) add(contact.address, { kind: 'mailUser', contact });

  const spaceExact = new Map<string, ConnectorSpace[]>();
  const spaceWildcard = new Map<string, ConnectorSpace[]>();
  const spaceAny: ConnectorSpace[] = [];
  for (const connector of topology.sendConnectors) {
    for (const space of connector.addressSpaces) {
      if (space.type !== 'SMTP') continue;
      const entry = { connector, space };
      if (space.address === '*') spaceAny.push(entry);
      else if (space.address.startsWith('*.')) push(spaceWildcard, space.address.slice(2), entry);
      else if (space.address !== '--') push(spaceExact, space.address, entry);
    }
  }
  spaceAny.sort(byConnectorName);
  for (const list of spaceExact.values()) list.sort(byConnectorName);
  for (const list of spaceWildcard.values()) list.sort(byConnectorName);

  const connectors = new Map<string, SendConnector>();
  for (const c of topology.sendConnectors) if (!connectors.has(nameKey(c.name))) connectors.set(nameKey(c.name), c);
  const noInbound = new Set<number>();
  for (const s of topology.sites) if (s.inboundMailEnabled === false) noInbound.add(graph.index.get(nameKey(s.name))!);

  const index: RoutingIndex = {
    topology,
    graph,
    servers,
    serversByExactName,
    serversByFqdn,
    serverSite,
    siteByServer,
    connectors,
    noInbound,
    memo: new Map(),
    cache: new RouteCache(mode, topology, graph.names.length),
    dagOfServer,
    dagByServer,
    dags,
    databases,
    siteMailboxServers,
    directory,
    ...acceptedDomainIndex(topology),
    spaceExact,
    spaceWildcard,
    spaceAny,
  };
  return index;
}

export function siteOf(index: RoutingIndex, server: Server): number {
  return index.siteByServer.get(server) ?? index.serverSite.get(nameKey(server.name)) ?? -1;
}

/** Compute once per topology and key object (delivery groups of DAGs, connectors, servers). */
export function memo<T>(index: RoutingIndex, key: object, make: () => T): T {
  let value = index.memo.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    index.memo.set(key, value);
  }
  return value;
}

export function siteName(index: RoutingIndex, site: number): string | null {
  return site < 0 ? null : index.graph.names[site]!;
}

/** The directory's key for an address: lower case and its domain in A-labels, so that `jö@bücher.example` and `jö@xn--bcher-kva.example` are one recipient. */
export function directoryKey(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at + 1).toLowerCase()}${domainKey(address.slice(at + 1))}`;
}

/** The parent domains of d, d first: `a.b.c` → `a.b.c`, `b.c`, `c`. */
export function* suffixes(domain: string): Generator<string> {
  let d = domain;
  for (;;) {
    yield d;
    const dot = d.indexOf('.');
    if (dot < 0) return;
    d = d.slice(dot + 1);
  }
}
