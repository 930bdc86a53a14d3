/**
 * R91: order the sites of a multi-site delivery group as seen from server L. The first site is the
 * primary site (its servers are the targets), the others are fallbacks (R88).
 */
import type { Server } from '../model/topology.js';
import type { DeliveryGroup } from './delivery-groups.js';
import type { RoutingIndex } from './routing-index.js';
import { sortSmall } from './sort-small.js';
import type { PathTree, SiteGraph } from './site-graph.js';
import type { Candidate } from './types.js';

export interface GroupSite {
  /** Site index, -1 for servers without a site (unsubscribed Edge). */
  site: number;
  servers: Server[];
  /** Names of `servers` (shared: read-only). */
  names: string[];
  /** The site's Mailbox servers outside the group, by name (R86, R88; shared: read-only). */
  others: readonly string[];
  /** 0 = L itself is a member, 1 = a member in L's site, 2 = a remote site. */
  proximity: 0 | 1 | 2;
  cost: number;
  hops: number;
}

/** R81 key 3 for two different target sites: names of the sites before them, back towards the source. */
export function compareChains(graph: SiteGraph, tree: PathTree, a: number, b: number): number {
  let pa = tree.pred(a);
  let pb = tree.pred(b);
  while (pa !== pb && pa !== -1 && pb !== -1) {
    const d = graph.rank[pa]! - graph.rank[pb]!;
    if (d !== 0) return d;
    pa = tree.pred(pa);
    pb = tree.pred(pb);
  }
  return 0;
}

export function compareGroupSites(graph: SiteGraph, tree: PathTree | undefined, a: GroupSite, b: GroupSite): number {
  if (a.proximity !== b.proximity) return a.proximity - b.proximity;
  if (a.proximity < 2 || !tree) return 0;
  return a.cost - b.cost || a.hops - b.hops || compareChains(graph, tree, a.site, b.site) || graph.rank[a.site]! - graph.rank[b.site]!;
}

/** Group the servers by site and order them (R91); sites L's site cannot reach (R80) are left out. */
export function orderGroupSites(index: RoutingIndex, from: Server, local: number, tree: PathTree | undefined, group: DeliveryGroup): GroupSite[] {
  const ordered: GroupSite[] = [];
  for (const part of group.sites) {
    const site = part.site;
    let { servers: members, names } = part;
    if (site === local && members.includes(from)) {
      // R91 proximity: the categorizing server itself comes before its own site.
      ordered.push({ site: local, servers: [from], names: [from.name], others: part.others, proximity: 0, cost: 0, hops: 0 });
      members = members.filter((m) => m !== from);
      if (members.length === 0) continue;
      names = members.map((m) => m.name);
    }
    // R80: servers of sites L cannot reach are no candidates at all.
    if (site < 0 || !tree) continue;
    const cost = tree.cost(site);
    if (cost < 0) continue;
    ordered.push({ site, servers: members, names, others: part.others, proximity: site === local ? 1 : 2, cost, hops: tree.hops(site) });
  }
  if (ordered.length > 1) {
    const graph = index.graph;
    sortSmall(ordered, (a, b) => compareGroupSites(graph, tree, a, b));
  }
  return ordered;
}

/** Why each non-primary site lost to the primary one (for the plan's `candidates`). */
export function siteCandidates(index: RoutingIndex, tree: PathTree | undefined, ordered: readonly GroupSite[]): Candidate[] {
  const first = ordered[0];
  if (!first) return [];
  const names = index.graph.names;
  const label = (g: GroupSite) => (g.site < 0 ? g.servers[0]!.name : names[g.site]!);
  return ordered.slice(1).map((g) => {
    let reason: string;
    if (g.proximity === 1 && first.proximity === 0) reason = 'the categorizing server is itself a member (local server beats local site)';
    else if (first.proximity < 2) reason = 'the group has servers in the local site, which come before remote sites';
    else if (g.cost !== first.cost) reason = `path cost ${g.cost} > ${first.cost}`;
    else if (g.hops !== first.hops) reason = `same cost ${g.cost}, ${g.hops} hops > ${first.hops}`;
    else if (tree && compareChains(index.graph, tree, g.site, first.site) !== 0) {
      reason = `same cost and hops; the site before it on the path (${names[tree.pred(g.site)]}) sorts after ${names[tree.pred(first.site)]}`;
    } else reason = `same cost, hops and path; site name sorts after ${label(first)}`;
    return { kind: 'site' as const, name: label(g), reason: `not the primary site: ${reason}`, rule: 'R91' };
  });
}

/** The primary site of a group in a few numbers, without allocating (connector selection, R104/R105). */
export interface Reach {
  proximity: 0 | 1 | 2;
  site: number;
  cost: number;
  hops: number;
}

/** R91/R105 reduced to the winner: how close the nearest servers of `group` are to L; undefined when none is reachable. */
export function nearest(index: RoutingIndex, from: Server, local: number, tree: PathTree | undefined, group: DeliveryGroup): Reach | undefined {
  if (group.servers.includes(from)) return { proximity: 0, site: local, cost: 0, hops: 0 };
  const graph = index.graph;
  let best: Reach | undefined;
  for (const { site } of group.sites) {
    if (site < 0 || !tree || tree.cost(site) < 0) continue;
    if (site === local) {
      best = { proximity: 1, site, cost: 0, hops: 0 };
      continue;
    }
    if (best && best.proximity === 1) continue;
    const cost = tree.cost(site);
    const hops = tree.hops(site);
    const better =
      !best ||
      cost < best.cost ||
      (cost === best.cost && (hops < best.hops || (hops === best.hops && (compareChains(graph, tree, site, best.site) || graph.rank[site]! - graph.rank[best.site]!) < 0)));
    if (better) best = { proximity: 2, site, cost, hops };
  }
  return best;
}
