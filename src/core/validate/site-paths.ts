/**
 * V6 needs to know which sites lie strictly inside some least-cost path between two sites with
 * Mailbox servers (R81, R85). Paths come from the routing core's site graph (one Dijkstra tree per
 * source site); no path search of its own here.
 */
import { buildSiteGraph, computeTree, shortestPathTree, type PathTree, type SiteGraph } from '../route/site-graph.js';
import type { Topology } from '../model/topology.js';
import { nameKey } from '../model/names.js';

/** nameKeys of the hub sites that are never strictly between two server sites on a least-cost path. */
export function hubSitesOffEveryPath(topology: Topology): Set<string> {
  const graph = buildSiteGraph(topology);
  const n = graph.names.length;
  const hubs: number[] = [];
  // Hubs without Mailbox servers are V5's: R84 ignores them anyway. A hub with fewer than two
  // neighbours ends every path it is on, so it needs no path search at all.
  const off = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!graph.hub[i] || !graph.hasServers[i]) continue;
    if (graph.adjacency[i]!.length < 2) off.add(nameKey(graph.names[i]!));
    else hubs.push(i);
  }
  if (hubs.length === 0) return off;
  const inside = new Uint8Array(n);
  const serverSites: number[] = [];
  for (let i = 0; i < n; i++) if (graph.hasServers[i]) serverSites.push(i);
  let open = hubs.length;
  // A hub that lies on no path is only known to once every source has been tried: one tree per server
  // site, quadratic in the size of the org. Most such hubs can be shown off every path from their
  // neighbours' trees instead (offEveryPath); the sweep then stops once the rest are all marked.
  const proven = new Uint8Array(n);
  let sources = 0;
  for (const source of sweepOrder(graph, hubs, serverSites)) {
    if (sources++ === PROOF_AFTER) {
      for (const h of hubs) {
        if (!inside[h] && offEveryPath(graph, h)) {
          proven[h] = 1;
          open--;
        }
      }
    }
    if (open === 0) break; // every hub is on some path already, or proven off every path
    // The graph caches trees for routing; the ones computed only for this check are dropped again
    // so that a large organization does not keep one tree per site in memory.
    const cached = graph.trees.has(source);
    const tree = shortestPathTree(graph, source);
    if (!cached) graph.trees.delete(source);
    // Walk up from each target; a site already marked from this source has its ancestors marked too.
    const marked = new Uint8Array(n);
    for (const target of serverSites) {
      if (target === source || tree.cost(target) < 0) continue;
      for (let s = tree.pred(target); s !== source && s !== -1 && !marked[s]; s = tree.pred(s)) {
        marked[s] = 1;
        if (!inside[s] && !proven[s] && graph.hub[s] && graph.hasServers[s] && graph.adjacency[s]!.length >= 2) open--;
        inside[s] = 1;
      }
    }
  }
  for (const h of hubs) if (!inside[h]) off.add(nameKey(graph.names[h]!));
  return off;
}

/** Sources swept before the hubs still open are tested with offEveryPath (most hubs are on a path by then). */
const PROOF_AFTER = 16;

/**
 * True when no least-cost path has hub h strictly inside: for every two neighbours a and b of h, the
 * cheapest a–b path costs strictly less than going a → h → b. A path through h would enter from one
 * neighbour and leave to another, and a part of a least-cost path is itself least-cost (R81 ranks
 * by cost first), so it cannot pass h. False means "not shown", not "on a path".
 */
function offEveryPath(graph: SiteGraph, h: number): boolean {
  const neighbours = graph.adjacency[h]!;
  for (let i = 0; i < neighbours.length; i++) {
    const a = neighbours[i]!;
    let tree: PathTree | undefined;
    for (let j = 0; j < neighbours.length; j++) {
      const b = neighbours[j]!;
      if (b.to === a.to) continue;
      tree ??= graph.trees.get(a.to) ?? computeTree(graph, a.to);
      const direct = tree.cost(b.to);
      if (direct < 0 || direct >= a.cost + b.cost) return false;
    }
  }
  return true;
}

/**
 * Server sites in the order the sweep tries them: the hubs' own server-site neighbours first (a path
 * from next door is the likeliest to cross a hub, so the sweep can stop early), then the rest. The
 * order changes how soon the sweep stops, never which hubs end up marked.
 */
function sweepOrder(graph: SiteGraph, hubs: readonly number[], serverSites: readonly number[]): number[] {
  const first = new Set<number>();
  for (const h of hubs) for (const e of graph.adjacency[h]!) if (graph.hasServers[e.to]) first.add(e.to);
  return [...first, ...serverSites.filter((s) => !first.has(s))];
}
