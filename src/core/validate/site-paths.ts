/**
 * V6 needs to know which sites lie strictly inside some least-cost path between two sites with
 * Mailbox servers (R81, R85). Paths come from the routing core's site graph (one Dijkstra tree per
 * source site); no path search of its own here.
 */
import { buildSiteGraph, shortestPathTree } from '../route/site-graph.js';
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
  for (const source of serverSites) {
    if (open === 0) break; // every hub is on some path already: no need for more trees
    // The graph caches trees for routing; the ones computed only for this check are dropped again
    // so that a large organization does not keep one tree per site in memory.
    const cached = graph.trees.has(source);
    const tree = shortestPathTree(graph, source);
    if (!cached) graph.trees.delete(source);
    // Walk up from each target; a site already marked from this source has its ancestors marked too.
    const marked = new Uint8Array(n);
    for (const target of serverSites) {
      if (target === source || tree.cost[target]! < 0) continue;
      for (let s = tree.pred[target]!; s !== source && s !== -1 && !marked[s]; s = tree.pred[s]!) {
        marked[s] = 1;
        if (!inside[s] && graph.hub[s] && graph.hasServers[s] && graph.adjacency[s]!.length >= 2) open--;
        inside[s] = 1;
      }
    }
  }
  for (const h of hubs) if (!inside[h]) off.add(nameKey(graph.names[h]!));
  return off;
}
