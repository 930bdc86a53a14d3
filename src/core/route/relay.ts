/**
 * How server L reaches a delivery group (R72, R83, R85, R86, R87, R91, R106 for Edge sources, R118):
 * primary site, least-cost site path, the first hub site on it, and the next hop. Relay is direct
 * (R83) except through hub sites.
 */
import { compareNames } from '../model/names.js';
import type { Server } from '../model/topology.js';
import type { DeliveryGroup } from './delivery-groups.js';
import { orderGroupSites, siteCandidates, type GroupSite } from './primary-site.js';
import { siteOf, type RoutingIndex } from './routing-index.js';

import { computeTree, leafBase, leafTree, pathIndices, pathMaxSize, type PathTree } from './site-graph.js';
import type { Candidate, NextHop } from './types.js';
import { viewpoint } from './viewpoint.js';

export interface GroupRoute {
  group: DeliveryGroup;
  /** R72: L is a member; the routing destination itself is the next hop. */
  local: boolean;
  ordered: GroupSite[];
  primary: GroupSite | undefined;
  /** Site indices from L's site to the primary site (R93); built on first read. */
  readonly path: number[];
  /** The same as site names (the plan's `sitePath`; shared: read-only); built on first read. */
  readonly sitePath: string[];
  cost: number;
  hops: number;
  /** R87: smallest link limit on the path to the primary site. */
  maxSize: number;
  /** Set when the group is remote. */
  nextHop: NextHop | undefined;
  /** Site the next hop leads into (primary site or first hub, R85). */
  nextSite: number | undefined;
  /** Losing sites and paths with why (R81, R91), computed only when asked for. */
  explain: Explain;
  /** Why L cannot reach the group (R120). */
  failure: 'noServers' | 'noRoute' | undefined;
}

/**
 * GroupRoute with a lazy site path. Plans from a new (site, group) pair are the common case in a large
 * organization, and walking the path back site by site for its names cost more than the rest of the
 * route (a cache miss a site); most callers (the relay, the benchmark, later stops) never read it.
 * Shared and read-only like every route: the arrays are built once, on first read.
 */
class Route implements GroupRoute {
  local = false;
  cost = 0;
  hops = 0;
  maxSize = Infinity;
  nextHop: NextHop | undefined = undefined;
  nextSite: number | undefined = undefined;
  explain: Explain = NOTHING_TO_EXPLAIN;
  failure: 'noServers' | 'noRoute' | undefined = undefined;
  /** The tree the path follows (undefined: the one-site path of a local route), and its end; -1 = no path. */
  #tree: PathTree | undefined = undefined;
  #target = -1;
  #path: number[] | undefined = undefined;
  #sitePath: string[] | undefined = undefined;

  constructor(
    readonly group: DeliveryGroup,
    readonly ordered: GroupSite[],
    readonly primary: GroupSite | undefined,
    private readonly names: readonly string[],
  ) {}

  /** The path ends at `target`: along `tree` from its source, or `target` alone when tree is undefined. */
  alongTree(tree: PathTree | undefined, target: number): void {
    this.#tree = tree;
    this.#target = target;
  }

  get path(): number[] {
    if (this.#path === undefined) {
      if (this.#target < 0) this.#path = [];
      else if (!this.#tree) this.#path = [this.#target];
      else this.#path = pathIndices(this.#tree, this.#target)!;
    }
    return this.#path;
  }

  get sitePath(): string[] {
    this.#sitePath ??= this.path.map((s) => this.names[s]!);
    return this.#sitePath;
  }
}

/** R81: the least-cost path tree of a site, shared by all its servers; undefined for servers without a site. */
export function treeAt(index: RoutingIndex, site: number): PathTree | undefined {
  if (site < 0) return undefined;
  const trees = index.cache.trees;
  const found = trees.find(site);
  if (found) return found;
  // A site on a single link reads its neighbour's tree (no Dijkstra of its own).
  const base = leafBase(index.graph, site);
  return trees.keep(site, base >= 0 ? leafTree(index.graph, site, treeAt(index, base)!) : computeTree(index.graph, site));
}

/** Alternative paths into the primary site through its other neighbours, with why they lost (R81). */
function pathCandidates(index: RoutingIndex, tree: PathTree, target: number): Candidate[] {
  const graph = index.graph;
  const best = tree.pred(target);
  if (best < 0) return [];
  const result: Candidate[] = [];
  const bestPath = pathIndices(tree, target)!.map((i) => graph.names[i]!);
  for (const edge of graph.adjacency[target]!) {
    const u = edge.to;
    if (u === best || tree.cost(u) < 0) continue;
    const via = pathIndices(tree, u)!;
    if (via.includes(target)) continue; // not a simple path into the target
    const cost = tree.cost(u) + edge.cost;
    const hops = tree.hops(u) + 1;
    let reason: string;
    if (cost !== tree.cost(target)) reason = `cost ${cost} > ${tree.cost(target)}`;
    else if (hops !== tree.hops(target)) reason = `same cost ${cost}, ${hops} hops > ${tree.hops(target)}`;
    else reason = `same cost and hops; the site before ${graph.names[target]} is ${graph.names[u]}, which sorts after ${graph.names[best]}`;
    result.push({
      kind: 'path',
      name: [...via.map((i) => graph.names[i]!), graph.names[target]!].join(' → '),
      reason: `${reason} (chosen: ${bestPath.join(' → ')})`,
      rule: 'R81',
    });
  }
  // Neighbour order follows the config; sort so that explanations never depend on it.
  return result.sort((a, b) => compareNames(a.name, b.name));
}

export type Explain = () => Candidate[];
export const NOTHING_TO_EXPLAIN: Explain = () => [];

/**
 * R72/R91/R81 from L to a delivery group. Shared per viewpoint (see viewpoint.ts): a server outside the
 * group routes to it like every server of its site, so plans and the relay reuse one result instead of
 * re-ordering the group's sites and re-walking the path each time. Results are shared: read-only.
 */
export function routeToGroup(index: RoutingIndex, from: Server, group: DeliveryGroup, site = siteOf(index, from), keep = true): GroupRoute {
  const view = viewpoint(from, site, group.servers.includes(from));
  const routes = index.cache.groupRoutes;
  const found = routes.find(group, view);
  if (found) return found;
  // `keep` false: the caller keeps a result built on this route (a connector selection); one copy is enough.
  const route = computeRoute(index, from, site, group);
  return keep ? routes.keep(group, view, route) : route;
}

function computeRoute(index: RoutingIndex, from: Server, local: number, group: DeliveryGroup): GroupRoute {
  const tree = treeAt(index, local);
  const ordered = orderGroupSites(index, from, local, tree, group);
  const primary = ordered[0];
  const route = new Route(group, ordered, primary, index.graph.names);
  if (group.servers.length === 0) {
    route.failure = 'noServers';
    return route;
  }
  if (!primary) {
    route.failure = 'noRoute';
    return route;
  }
  // Explanations are built on demand: most callers (the relay, tables, benchmarks) never read them.
  route.explain = () => [...siteCandidates(index, tree, ordered), ...(primary.proximity === 2 ? pathCandidates(index, tree!, primary.site) : [])];
  if (primary.proximity === 0) {
    route.local = true;
    if (primary.site >= 0) route.alongTree(undefined, primary.site);
    return route;
  }
  const graph = index.graph;
  // The path's R87 limit and first hub (R85) were summarised by Dijkstra: read, not walked. The
  // site path itself is materialised only when read (JSON, renderers, back-off in walk.ts).
  const t = tree!;
  route.alongTree(t, primary.site);
  route.cost = primary.cost;
  route.hops = primary.hops;
  route.maxSize = pathMaxSize(graph, t, primary.site);
  const hub = primary.proximity === 2 ? t.firstHub(primary.site) : -1;
  if (hub >= 0) {
    // R85 (A4): stop at the first hub site on the path, as an AD site delivery group.
    route.nextSite = hub;
    route.nextHop = adSiteHop(index, hub);
    return route;
  }
  route.nextSite = primary.site;
  if (from.role === 'Mailbox' && primary.servers.every((s) => s.role === 'Edge')) {
    // R106/R118: Edge sources in L's site → straight to the Edge; in a remote site → that AD site.
    route.nextHop =
      primary.proximity === 1
        ? { domain: group.nextHopDomain, deliveryType: 'SmtpRelayWithinAdSiteToEdge', targets: primary.names, fallbacks: [] }
        : adSiteHop(index, primary.site);
    return route;
  }
  const targets = primary.names;
  let fallbacks: string[];
  if (primary.proximity === 2 && graph.hub[primary.site]) {
    // R86: a hub destination site: its members first, then its other Mailbox servers; no other sites.
    fallbacks = primary.others.slice();
  } else {
    // R88: the group's servers in its other sites, in R91 order; then (no local members) the primary site's other servers.
    fallbacks = [];
    for (let i = 1; i < ordered.length; i++) for (const name of ordered[i]!.names) fallbacks.push(name);
    if (primary.proximity === 2) for (const name of primary.others) fallbacks.push(name);
  }
  route.nextHop = { domain: group.nextHopDomain, deliveryType: group.relayType, targets, fallbacks };
  return route;
}

/** R85/R118: relaying to a whole AD site (a hub on the way, or Edge sources behind it); one queue per site. */
function adSiteHop(index: RoutingIndex, site: number): NextHop {
  return index.cache.adSiteHops.get(site, () => ({ domain: index.graph.names[site]!, deliveryType: 'SmtpRelayToRemoteAdSite', targets: index.siteMailboxServers[site]!.map((s) => s.name), fallbacks: [] }));
}
