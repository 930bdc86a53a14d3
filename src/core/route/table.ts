/**
 * The routing table: the routing decision (decision.ts) on each server for one representative address
 * of each class of addresses, and `route diff` over two such tables. A class holds every address the
 * categorizer treats alike on every server (R61–R64, R95, R99, R101, R104, R119): the mailboxes of one
 * database (and domain), the groups of one expansion server, the contacts of one target domain, and
 * the domains that match the same accepted domain and the same send connector address spaces. So the
 * table is exactly as complete as `route plan` (a plan changes for some address ⇔ some row changes),
 * and no routing rule is applied here: every row is `decideAt` for its representative.
 *
 * Rows are produced server by server (`serverRoutes`, a generator) so that a renderer can write them
 * as they come. The rows of a site are computed once, for a representative Mailbox server, and reused
 * for its other servers wherever none of them takes part in the route (see sharedRow).
 */
import { compareNames } from '../model/names.js';
import { jsonEqual } from '../model/json-equal.js';
import type { Server, Topology } from '../model/topology.js';
import { decideAt, indexOf, routeContext, type RouteContext } from './decision.js';
import { matchAccepted, domainOf } from './recipients.js';
import { matchingSpaces } from './connectors.js';
import { siteOf, type RoutingIndex } from './routing-index.js';
import { connectorGroup } from './delivery-groups.js';
import type { CategorizerDecision } from './types.js';

/** One class of addresses and the address that stands for it. */
export interface AddressClass {
  /** Stable identity across configs (the diff matches rows by it). */
  key: string;
  kind: 'mailbox' | 'group' | 'contact' | 'domain';
  /** What the class stands for, for people: `database DB1`, `domain fabrikam.com`, `any other domain`. */
  label: string;
  /** The representative address the row is the decision for. */
  address: string;
}

/** One row: the server, the class, and the decision for its representative, field by field as in `route plan` (no candidates). */
export type RouteTableEntry = { server: string; class: AddressClass } & Omit<CategorizerDecision, 'candidates'>;

export interface ServerRoutes {
  server: string;
  role: string;
  site: string | null;
  routes: RouteTableEntry[];
}

export interface RouteTable {
  topology: Topology;
  index: RoutingIndex;
  classes: AddressClass[];
  /** Servers in table order (by name). */
  servers: Server[];
  rowsFor(server: Server): RouteTableEntry[];
}

/** Local part of synthetic representatives: an address no directory object has (checked). */
const PROBE = 'mxt-route-probe';
/** Label of the synthetic subdomain that stands for "any other subdomain" of a wildcard. */
const ANY_SUB = 'mxt-any-subdomain';

function probeAddress(index: RoutingIndex, domain: string): string {
  let local = PROBE;
  for (let i = 2; index.directory.has(`${local}@${domain}`); i++) local = `${PROBE}-${i}`;
  return `${local}@${domain}`;
}

/**
 * The domains that tell every domain's treatment apart (R62, R101): each exact address space or
 * accepted domain; for each wildcard base s (`*.s`, matchSubDomains) s itself and one fresh subdomain
 * of s (standing for every subdomain whose longest configured suffix is s); the domains of the
 * directory's addresses; and one domain nothing configured matches (the rest of the world, `*`).
 */
function domainsOf(index: RoutingIndex): { domains: Set<string>; world: string } {
  const domains = new Set<string>();
  const base = (s: string) => {
    domains.add(s);
    domains.add(`${ANY_SUB}.${s}`);
  };
  for (const d of index.spaceExact.keys()) domains.add(d);
  for (const s of index.spaceWildcard.keys()) base(s);
  for (const d of index.acceptedExact.keys()) domains.add(d);
  for (const s of index.acceptedWildcard.keys()) base(s);
  for (const s of index.acceptedSubdomains.keys()) base(s);
  const r = index.topology.recipients;
  for (const m of r.mailboxes) domains.add(domainOf(m.address));
  for (const g of r.distributionGroups) domains.add(domainOf(g.address));
  for (const c of [...r.mailContacts, ...r.mailUsers]) {
    domains.add(domainOf(c.address));
    domains.add(domainOf(c.externalEmailAddress));
  }
  let world = 'mxt-other-domain.invalid';
  for (let i = 2; matchAccepted(index, world) || matchingSpaces(index, world).length > 0 || domains.has(world); i++) world = `mxt-other-domain-${i}.invalid`;
  return { domains, world };
}

/** The classes of addresses of a topology, in a stable order (kind, then key). */
export function addressClasses(topology: Topology | RoutingIndex): AddressClass[] {
  const index = indexOf(topology);
  const byKey = new Map<string, AddressClass>();
  const add = (c: AddressClass) => {
    if (!byKey.has(c.key)) byKey.set(c.key, c);
  };
  const r = index.topology.recipients;
  const sortedBy = <T extends { address: string }>(list: readonly T[]) => [...list].sort((a, b) => compareNames(a.address, b.address));
  // R95: a Mailbox server routes a mailbox by its database alone; an Edge server by its domain (R119).
  for (const m of sortedBy(r.mailboxes)) {
    const domain = domainOf(m.address);
    add({ key: `mailbox:${m.database.toLowerCase()}:${domain}`, kind: 'mailbox', label: `mailboxes on ${m.database} (@${domain})`, address: m.address.toLowerCase() });
  }
  // R99: by expansion server (none: expanded where categorized).
  for (const g of sortedBy(r.distributionGroups)) {
    const e = g.expansionServer ?? '';
    const domain = domainOf(g.address);
    add({ key: `group:${e.toLowerCase()}:${domain}`, kind: 'group', label: e ? `groups expanded on ${e} (@${domain})` : `groups without expansion server (@${domain})`, address: g.address.toLowerCase() });
  }
  // R64: by the external address's domain.
  for (const c of sortedBy([...r.mailContacts, ...r.mailUsers])) {
    const target = domainOf(c.externalEmailAddress);
    const domain = domainOf(c.address);
    add({ key: `contact:${target}:${domain}`, kind: 'contact', label: `contacts routed to @${target} (@${domain})`, address: c.address.toLowerCase() });
  }
  const { domains, world } = domainsOf(index);
  for (const d of [...domains].sort(compareNames)) add({ key: `domain:${d}`, kind: 'domain', label: `domain ${d}`, address: probeAddress(index, d) });
  add({ key: 'domain:*', kind: 'domain', label: 'any other domain', address: probeAddress(index, world) });
  const order = { mailbox: 0, group: 1, contact: 2, domain: 3 };
  return [...byKey.values()].sort((a, b) => order[a.kind] - order[b.kind] || compareNames(a.key, b.key));
}

interface Row {
  entry: RouteTableEntry;
  /** Servers of the delivery group the decision routed to (membership makes a server decide otherwise, R72, R96). */
  group: readonly Server[] | undefined;
}

function row(ctx: RouteContext, server: Server, cls: AddressClass): Row {
  const at = decideAt(ctx, server, cls.address);
  const d = at.decision;
  const entry: RouteTableEntry = {
    server: server.name,
    class: cls,
    recipient: d.recipient,
    status: d.status,
    recipientType: d.recipientType,
    acceptedDomain: d.acceptedDomain,
    routingDestination: d.routingDestination,
    deliveryGroup: d.deliveryGroup,
    deliveryType: d.deliveryType,
    nextHop: d.nextHop,
    connector: d.connector,
    sitePath: d.sitePath,
    sitePathCost: d.sitePathCost,
    aggregateCost: d.aggregateCost,
    cost: d.cost,
    maxMessageSize: d.maxMessageSize,
    reason: d.reason,
  };
  if (d.targetAddress !== undefined) entry.targetAddress = d.targetAddress;
  return { entry, group: at.categorized?.group?.servers };
}

/**
 * Servers of one site decide alike for a class unless one of them takes part in the route itself:
 * the routing decision reads the categorizing server only through its site and role (R81, R91, R104
 * 4a–b per site; R119 for Edge servers), its membership of the delivery group routed to (R72, R96:
 * a member delivers or expands itself), its being a source server of a candidate connector (R102,
 * R103, R105 proximity 0), and, for a group without expansion server, its own name (R99). A row of
 * the site's representative is reused for another server of the site (with its name) exactly when
 * none of these applies to either; the agreement property test checks every row against `route plan`.
 */
function sharedRow(rep: Server, server: Server, cls: AddressClass, r: Row, connectorSources: ReadonlySet<Server>): boolean {
  if (cls.kind === 'group' || connectorSources.has(rep) || connectorSources.has(server)) return false;
  return !r.group || (!r.group.includes(rep) && !r.group.includes(server));
}

export function buildRouteTable(topology: Topology | RoutingIndex, options: { classes?: AddressClass[] } = {}): RouteTable {
  const index = indexOf(topology);
  const ctx = routeContext(index, {}) as RouteContext;
  const classes = options.classes ?? addressClasses(index);
  const servers = [...index.servers.values()].sort((a, b) => compareNames(a.name, b.name));
  const connectorSources = new Set<Server>();
  for (const c of index.topology.sendConnectors) for (const s of connectorGroup(index, c).servers) connectorSources.add(s);
  // A site's representative: its first Mailbox server (name order) that is no connector's source server,
  // since a source server's rows are shared with nobody (sharedRow); else its first Mailbox server.
  const representative = new Map<number, Server>();
  for (const s of servers) {
    const site = siteOf(index, s);
    if (s.role !== 'Mailbox' || site < 0) continue;
    const known = representative.get(site);
    if (!known || (connectorSources.has(known) && !connectorSources.has(s))) representative.set(site, s);
  }
  // The last site's representative and its rows: servers of a site come one after another in name order (mostly).
  let repSite = -1;
  let repRows: Row[] = [];
  const rowsFor = (server: Server): RouteTableEntry[] => {
    const site = siteOf(index, server);
    const rep = representative.get(site);
    if (server.role !== 'Mailbox' || !rep) return classes.map((cls) => row(ctx, server, cls).entry);
    if (site !== repSite) {
      repSite = site;
      repRows = classes.map((cls) => row(ctx, rep, cls));
    }
    if (server === rep) return repRows.map((r) => r.entry);
    return classes.map((cls, i) => {
      const shared = repRows[i]!;
      return sharedRow(rep, server, cls, shared, connectorSources) ? { ...shared.entry, server: server.name } : row(ctx, server, cls).entry;
    });
  };
  return { topology: index.topology, index, classes, servers, rowsFor };
}

/** Server blocks one at a time (a renderer writes each as it comes). */
export function* serverRoutes(table: RouteTable, servers?: readonly Server[]): Generator<ServerRoutes> {
  for (const s of servers ?? table.servers) yield { server: s.name, role: s.role, site: s.site ?? null, routes: table.rowsFor(s) };
}

/** All rows for the chosen servers (default: all), in server then class order. */
export function tableRows(table: RouteTable, servers?: readonly Server[]): RouteTableEntry[] {
  return (servers ?? table.servers).flatMap((s) => table.rowsFor(s));
}

export interface RouteChange {
  server: string;
  class: AddressClass;
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

/** Every field of a row but its identity; `cost` is aggregateCost under product.md's name, compared once. */
export const COMPARED = [
  'status',
  'recipientType',
  'acceptedDomain',
  'targetAddress',
  'routingDestination',
  'deliveryGroup',
  'deliveryType',
  'nextHop',
  'connector',
  'sitePath',
  'sitePathCost',
  'aggregateCost',
  'maxMessageSize',
  'reason',
] as const;

const same = (a: unknown, b: unknown) => jsonEqual(a ?? null, b ?? null);

/**
 * `route diff`: both configs' classes (a class of either config is a class of addresses whose plans may
 * differ), each representative decided on both, for every server of either. A server present in one
 * config only shows as added or removed rows.
 */
export function diffTables(a: RouteTable, b: RouteTable): RouteTableDiff {
  const classes = new Map<string, AddressClass>();
  for (const c of b.classes) classes.set(c.key, c);
  for (const c of a.classes) if (!classes.has(c.key)) classes.set(c.key, c);
  const all = [...classes.values()].sort((x, y) => compareNames(x.key, y.key));
  const before = buildRouteTable(a.index, { classes: all });
  const after = buildRouteTable(b.index, { classes: all });
  const serversB = new Map(b.servers.map((s) => [s.name.toLowerCase(), s]));
  const serversA = new Map(a.servers.map((s) => [s.name.toLowerCase(), s]));
  const changes: RouteChange[] = [];
  // The rows of a site's servers share their field values (sharedRow): a pair of rows whose fields are
  // the very values of the pair compared last for that class differs in the same fields.
  const last: ({ old: RouteTableEntry; now: RouteTableEntry; fields: string[] } | undefined)[] = [];
  const changedFields = (old: RouteTableEntry, now: RouteTableEntry, i: number): string[] => {
    const prev = last[i];
    if (prev && COMPARED.every((f) => old[f] === prev.old[f] && now[f] === prev.now[f])) return prev.fields;
    const fields = COMPARED.filter((f) => !same(old[f], now[f]));
    last[i] = { old, now, fields };
    return fields;
  };
  for (const [key, sa] of serversA) {
    const sb = serversB.get(key);
    const rowsA = before.rowsFor(sa);
    if (!sb) {
      for (const r of rowsA) changes.push({ server: r.server, class: r.class, change: 'removed', before: r, fields: [] });
      continue;
    }
    const rowsB = after.rowsFor(sb);
    rowsA.forEach((old, i) => {
      const now = rowsB[i]!;
      const fields = changedFields(old, now, i);
      if (fields.length > 0) changes.push({ server: now.server, class: now.class, change: 'changed', before: old, after: now, fields: [...fields] });
    });
  }
  for (const [key, sb] of serversB) {
    if (serversA.has(key)) continue;
    for (const r of after.rowsFor(sb)) changes.push({ server: r.server, class: r.class, change: 'added', after: r, fields: [] });
  }
  changes.sort((x, y) => compareNames(x.server, y.server) || compareNames(x.class.key, y.class.key));
  return { version: 1, changed: changes.length > 0, changes };
}
