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
import { pathIndices, pathMaxSize, shortestPathTree, type PathTree } from './site-graph.js';
import type { Candidate, NextHop } from './types.js';

export interface GroupRoute {
  group: DeliveryGroup;
  /** R72: L is a member; the routing destination itself is the next hop. */
  local: boolean;
  ordered: GroupSite[];
  primary: GroupSite | undefined;
  /** Site indices from L's site to the primary site (R93). */
  path: number[];
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

export function treeFor(index: RoutingIndex, from: Server): PathTree | undefined {
  const site = siteOf(index, from);
  return site < 0 ? undefined : shortestPathTree(index.graph, site);
}

/** R85: the first hub site strictly between the path's ends that has Mailbox servers (R84). */
export function firstHub(index: RoutingIndex, path: readonly number[]): number | undefined {
  for (let i = 1; i < path.length - 1; i++) {
    const s = path[i]!;
    if (index.graph.hub[s] && index.graph.hasServers[s]) return s;
  }
  return undefined;
}

const names = (servers: readonly Server[]): string[] => servers.map((s) => s.name);

/** Alternative paths into the primary site through its other neighbours, with why they lost (R81). */
function pathCandidates(index: RoutingIndex, tree: PathTree, target: number): Candidate[] {
  const graph = index.graph;
  const best = tree.pred[target]!;
  if (best < 0) return [];
  const result: Candidate[] = [];
  const bestPath = pathIndices(tree, target)!.map((i) => graph.names[i]!);
  for (const edge of graph.adjacency[target]!) {
    const u = edge.to;
    if (u === best || tree.cost[u]! < 0) continue;
    const via = pathIndices(tree, u)!;
    if (via.includes(target)) continue; // not a simple path into the target
    const cost = tree.cost[u]! + edge.cost;
    const hops = tree.hops[u]! + 1;
    let reason: string;
    if (cost !== tree.cost[target]) reason = `cost ${cost} > ${tree.cost[target]}`;
    else if (hops !== tree.hops[target]) reason = `same cost ${cost}, ${hops} hops > ${tree.hops[target]}`;
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

export function routeToGroup(index: RoutingIndex, from: Server, group: DeliveryGroup): GroupRoute {
  const tree = treeFor(index, from);
  const { ordered } = orderGroupSites(index, from, tree, group.servers);
  const primary = ordered[0];
  // One object shape for every outcome keeps the hot path monomorphic.
  const route: GroupRoute = {
    group,
    local: false,
    ordered,
    primary,
    path: [],
    cost: 0,
    hops: 0,
    maxSize: Infinity,
    nextHop: undefined,
    nextSite: undefined,
    explain: NOTHING_TO_EXPLAIN,
    failure: undefined,
  };
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
    if (primary.site >= 0) route.path = [primary.site];
    return route;
  }
  route.path = pathIndices(tree!, primary.site)!;
  route.cost = primary.cost;
  route.hops = primary.hops;
  route.maxSize = pathMaxSize(index.graph, tree!, primary.site);
  const graph = index.graph;
  const hub = primary.proximity === 2 ? firstHub(index, route.path) : undefined;
  if (hub !== undefined) {
    // R85 (A4): stop at the first hub site on the path, as an AD site delivery group.
    route.nextSite = hub;
    route.nextHop = { domain: graph.names[hub]!, deliveryType: 'SmtpRelayToRemoteAdSite', targets: names(index.siteMailboxServers[hub]!), fallbacks: [] };
    return route;
  }
  route.nextSite = primary.site;
  if (from.role === 'Mailbox' && primary.servers.every((s) => s.role === 'Edge')) {
    // R106/R118: Edge sources in L's site → straight to the Edge; in a remote site → that AD site.
    route.nextHop =
      primary.proximity === 1
        ? { domain: group.nextHopDomain, deliveryType: 'SmtpRelayWithinAdSiteToEdge', targets: names(primary.servers), fallbacks: [] }
        : { domain: graph.names[primary.site]!, deliveryType: 'SmtpRelayToRemoteAdSite', targets: names(index.siteMailboxServers[primary.site]!), fallbacks: [] };
    return route;
  }
  const targets = names(primary.servers);
  let fallbacks: string[];
  if (primary.proximity === 2 && graph.hub[primary.site]) {
    // R86: a hub destination site: its members first, then its other Mailbox servers; no other sites.
    fallbacks = othersInSite(index, primary);
  } else {
    // R88: the group's servers in its other sites, in R91 order; then (no local members) the primary site's other servers.
    fallbacks = [];
    for (let i = 1; i < ordered.length; i++) for (const s of ordered[i]!.servers) fallbacks.push(s.name);
    if (primary.proximity === 2) fallbacks.push(...othersInSite(index, primary));
  }
  route.nextHop = { domain: group.nextHopDomain, deliveryType: group.relayType, targets, fallbacks };
  return route;
}

function othersInSite(index: RoutingIndex, primary: GroupSite): string[] {
  const result: string[] = [];
  for (const s of index.siteMailboxServers[primary.site]!) if (!primary.servers.includes(s)) result.push(s.name);
  return result;
}
