/**
 * The AD site link graph and least-cost paths over it (R80–R84, R87, R90).
 *
 * Sites are far fewer than servers, so paths are computed once per source site (Dijkstra) and the
 * result (a shortest-path tree in typed arrays) is cached on the graph; the graph is cached per topology.
 * Paths are materialised only when asked for: a 5,000-site org has 25 million site pairs.
 */
import type { Topology } from '../model/topology.js';
import { compareNames, nameKey } from '../model/names.js';

/** One undirected edge after R82 picked the best of parallel links. */
export interface SiteEdge {
  to: number;
  cost: number;
  maxMessageSize: number;
  link: string;
}

export interface SiteGraph {
  /** Site names as written, by index. */
  readonly names: readonly string[];
  /** nameKey(site) → index. */
  readonly index: ReadonlyMap<string, number>;
  /** Rank of each site in ordinal case-insensitive name order (R81 key 3), ties by index. */
  readonly rank: Int32Array;
  readonly hub: Uint8Array;
  /** 1 when the site has at least one Mailbox server (R84: only those can relay). */
  readonly hasServers: Uint8Array;
  readonly adjacency: readonly (readonly SiteEdge[])[];
  /** The same edges in compressed rows for the Dijkstra inner loop. */
  readonly csr: { start: Int32Array; to: Int32Array; cost: Int32Array; maxSize: Float64Array; edge: Int32Array; limitClass: Int32Array };
  /**
   * The distinct link MaxMessageSize values in ascending order, Infinity last. A link's limit is stored
   * as its index here (`csr.limitClass`), so the smallest limit of a path is the smallest index: trees
   * keep it per target site in one or two bytes instead of a double (R87).
   */
  readonly limitValues: Float64Array;
  /** 1 when a site is a hub site with Mailbox servers, i.e. one a path stops at (R84, R85). */
  readonly relayHub: Uint8Array;
  /** false when no site qualifies for relayHub: trees then carry no first-hub array. */
  readonly anyRelayHub: boolean;
  /** The R82-chosen edges; `csr.edge[k]` indexes this list. */
  readonly edges: readonly SiteEdge[];
  /** true when costs could overflow Int32 sums (very large graphs of expensive links). */
  readonly wideCosts: boolean;
  readonly maxEdgeCost: number;
  /** Source index → tree; filled lazily by shortestPathTree. */
  readonly trees: Map<number, PathTree>;
}

/**
 * Dijkstra result for one source site, in typed arrays (about 13 bytes a site, one buffer) so that a
 * 5,000-site org can keep every tree in memory. `pred[t] = -1` for the source and unreachable sites.
 */
export interface PathTree {
  source: number;
  /** Aggregate cost; -1 = unreachable. */
  cost: Int32Array | Float64Array;
  hops: Uint16Array | Int32Array;
  pred: Int32Array;
  /**
   * Filled during Dijkstra along with pred, so that a plan reads in O(1) what it would otherwise walk
   * the path back for (one cache miss a site in a 5,000-site org): the smallest link limit of the path
   * to each site (R87), as an index into graph.limitValues (source and unreachable sites: Infinity)…
   */
  limit: Uint8Array | Uint16Array | Int32Array;
  /** …and the first relay hub strictly between source and site (R85), plus one (0 = none); absent when the org has none. */
  firstHub: Uint16Array | Int32Array | undefined;
}

/** What callers see for one reachable target site. */
export interface SitePath {
  site: string;
  cost: number;
  hops: number;
  /** Site names from source to target, both included. */
  path: string[];
  /** Names of the links used, in path order. */
  links: string[];
  /** Smallest MaxMessageSize of the links on the path (R87); Infinity when unlimited or local. */
  maxMessageSize: number;
}

const graphs = new WeakMap<Topology, SiteGraph>();

/** R3/R90: Exchange uses ExchangeCost when set, else the AD cost. */
export function linkCost(link: { cost: number; exchangeCost?: number | undefined }): number {
  return link.exchangeCost ?? link.cost;
}

/** R82: between parallel links joining the same two sites: lower cost, then larger MaxMessageSize, then lower name. */
function betterEdge(a: SiteEdge, b: SiteEdge): boolean {
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.maxMessageSize !== b.maxMessageSize) return a.maxMessageSize > b.maxMessageSize;
  return compareNames(a.link, b.link) < 0;
}

export function buildSiteGraph(topology: Topology): SiteGraph {
  const cached = graphs.get(topology);
  if (cached) return cached;
  const names: string[] = [];
  const index = new Map<string, number>();
  const add = (site: string): number => {
    const key = nameKey(site);
    let i = index.get(key);
    if (i === undefined) {
      i = names.length;
      names.push(site);
      index.set(key, i);
    }
    return i;
  };
  for (const site of topology.sites) add(site.name);
  // Links may name sites that are not declared (V-rules report it); they still carry paths.
  for (const link of topology.siteLinks) for (const s of link.sites) add(s);
  const n = names.length;
  const hub = new Uint8Array(n);
  for (const site of topology.sites) if (site.hubSiteEnabled) hub[index.get(nameKey(site.name))!] = 1;
  const hasServers = new Uint8Array(n);
  for (const server of topology.servers) {
    if (server.role !== 'Mailbox' || !server.site) continue;
    const i = index.get(nameKey(server.site));
    if (i !== undefined) hasServers[i] = 1;
  }
  // R80: one edge per pair of member sites of every link; R82 keeps the best parallel edge per pair.
  const best = new Map<number, SiteEdge>();
  const pairs: [number, number][] = [];
  for (const link of topology.siteLinks) {
    const members = [...new Set(link.sites.map((s) => index.get(nameKey(s))!))];
    const cost = linkCost(link);
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = Math.min(members[x]!, members[y]!);
        const b = Math.max(members[x]!, members[y]!);
        const key = a * n + b;
        const edge: SiteEdge = { to: b, cost, maxMessageSize: link.maxMessageSize, link: link.name };
        const current = best.get(key);
        if (!current) pairs.push([a, b]);
        if (!current || betterEdge(edge, current)) best.set(key, edge);
      }
    }
  }
  const adjacency: SiteEdge[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of pairs) {
    const e = best.get(a * n + b)!;
    adjacency[a]!.push({ ...e, to: b });
    adjacency[b]!.push({ ...e, to: a });
  }
  const order = names.map((_, i) => i).sort((a, b) => compareNames(names[a]!, names[b]!) || a - b);
  const rank = new Int32Array(n);
  order.forEach((site, r) => (rank[site] = r));
  const relayHub = new Uint8Array(n);
  let anyRelayHub = false;
  for (let i = 0; i < n; i++) {
    if (hub[i] && hasServers[i]) {
      relayHub[i] = 1;
      anyRelayHub = true;
    }
  }
  const limitValues = Float64Array.from(new Set([...adjacency.flat().map((e) => e.maxMessageSize), Infinity])).sort();
  const limitIndex = new Map<number, number>();
  limitValues.forEach((v, i) => limitIndex.set(v, i));
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + adjacency[i]!.length;
  const to = new Int32Array(start[n]!);
  const cost = new Int32Array(start[n]!);
  const maxSize = new Float64Array(start[n]!);
  const edgeIndex = new Int32Array(start[n]!);
  const limitClass = new Int32Array(start[n]!);
  const edges: SiteEdge[] = [];
  let maxCost = 0;
  for (let i = 0; i < n; i++) {
    adjacency[i]!.forEach((e, k) => {
      to[start[i]! + k] = e.to;
      cost[start[i]! + k] = e.cost;
      maxSize[start[i]! + k] = e.maxMessageSize;
      edgeIndex[start[i]! + k] = edges.length;
      limitClass[start[i]! + k] = limitIndex.get(e.maxMessageSize)!;
      edges.push(e);
      maxCost = Math.max(maxCost, e.cost);
    });
  }
  const graph: SiteGraph = {
    names,
    index,
    rank,
    hub,
    hasServers,
    adjacency,
    csr: { start, to, cost, maxSize, edge: edgeIndex, limitClass },
    limitValues,
    relayHub,
    anyRelayHub,
    edges,
    wideCosts: maxCost * n >= 2 ** 31 - 1,
    maxEdgeCost: maxCost,
    trees: new Map(),
  };
  graphs.set(topology, graph);
  return graph;
}

/**
 * R81: Dijkstra with labels (cost, hops, predecessor). Costs are ≥ 1, so every candidate predecessor of
 * a site with an equal (cost, hops) label is settled before that site is; comparing the predecessors'
 * names then is the "name of the site before T, then the one before it…" rule, because each predecessor
 * has exactly one best path of its own. Equal labels are never replaced.
 */
export function shortestPathTree(graph: SiteGraph, source: number): PathTree {
  const cached = graph.trees.get(source);
  if (cached) return cached;
  const tree = computeTree(graph, source);
  graph.trees.set(source, tree);
  return tree;
}

const scratch = {
  done: new Uint8Array(0),
  heapSite: new Int32Array(0),
  heapKey: new Float64Array(0),
  entrySite: new Int32Array(0),
  entryNext: new Int32Array(0),
  head: new Int32Array(0),
  predSlot: new Int32Array(0),
};

/** Same as shortestPathTree without touching the cache (for callers that stream over every source). */
export function computeTree(graph: SiteGraph, source: number): PathTree {
  return graph.maxEdgeCost <= DIAL_LIMIT && !graph.wideCosts ? dialTree(graph, source) : heapTree(graph, source);
}

/** Bucket queues pay one slot per unit of cost; beyond this link cost a binary heap is cheaper. */
const DIAL_LIMIT = 4096;

/**
 * Dijkstra with a circular bucket queue (Dial): costs are whole numbers ≥ 1, so all sites of one
 * aggregate cost are final together and the buckets are scanned once in cost order. Same labels and
 * tie-breaks as heapTree (R81); several times faster on the sparse graphs of real site topologies.
 */
export function dialTree(graph: SiteGraph, source: number): PathTree {
  const { start, to, cost: edgeCost } = graph.csr;
  const width = graph.maxEdgeCost + 1;
  const { cost, hops, pred, limit, firstHub } = treeArrays(graph, false);
  const { predSlot, summarise } = pathSummaries(graph, source, pred, limit, firstHub);
  const rank = graph.rank;
  // Buckets are singly linked lists of queue entries; an entry whose site got a lower cost later is
  // stale and skipped when its bucket comes round (lazy deletion, at most one entry per relaxation).
  const capacity = to.length + 1;
  if (scratch.entrySite.length < capacity) {
    scratch.entrySite = new Int32Array(capacity);
    scratch.entryNext = new Int32Array(capacity);
  }
  if (scratch.head.length < width) scratch.head = new Int32Array(width);
  const { entrySite, entryNext, head } = scratch;
  head.fill(-1, 0, width);
  let entries = 0;
  cost[source] = 0;
  entrySite[0] = source;
  entryNext[0] = -1;
  head[0] = 0;
  entries = 1;
  let queued = 1;
  for (let c = 0; queued > 0; c++) {
    const b = c % width;
    let e = head[b]!;
    head[b] = -1;
    while (e >= 0) {
      const u = entrySite[e]!;
      e = entryNext[e]!;
      queued--;
      if (cost[u] !== c) continue; // stale: u was reached more cheaply later
      summarise(u);
      const hu = hops[u]! + 1;
      const ru = rank[u]!;
      for (let k = start[u]!, end = start[u + 1]!; k < end; k++) {
        const v = to[k]!;
        const nc = c + edgeCost[k]!;
        const cv = cost[v]!;
        // Settled sites have cost ≤ c < nc, so they never pass this test.
        if (cv >= 0 && (nc > cv || (nc === cv && (hu > hops[v]! || (hu === hops[v]! && ru >= rank[pred[v]!]!))))) continue;
        if (cv !== nc) {
          const bucket = nc % width;
          entrySite[entries] = v;
          entryNext[entries] = head[bucket]!;
          head[bucket] = entries++;
          queued++;
        }
        cost[v] = nc;
        hops[v] = hu;
        pred[v] = u;
        predSlot[v] = k;
      }
    }
  }
  return { source, cost, hops, pred, limit, firstHub };
}

export function heapTree(graph: SiteGraph, source: number): PathTree {
  const n = graph.names.length;
  const { start, to, cost: edgeCost } = graph.csr;
  const { cost, hops, pred, limit, firstHub } = treeArrays(graph, graph.wideCosts);
  const { predSlot, summarise } = pathSummaries(graph, source, pred, limit, firstHub);
  const rank = graph.rank;
  // Binary heap with lazy deletion; key = cost * 2^16 + hops (exact in a double), ties popped in any order.
  // Scratch buffers are reused between calls: a table build runs one Dijkstra per site.
  const capacity = to.length + 1;
  if (scratch.done.length < n) scratch.done = new Uint8Array(n);
  if (scratch.heapSite.length < capacity) {
    scratch.heapSite = new Int32Array(capacity);
    scratch.heapKey = new Float64Array(capacity);
  }
  const done = scratch.done;
  done.fill(0, 0, n);
  const heapSite = scratch.heapSite;
  const heapKey = scratch.heapKey;
  let size = 0;
  const push = (site: number, key: number): void => {
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapKey[p]! <= key) break;
      heapSite[i] = heapSite[p]!;
      heapKey[i] = heapKey[p]!;
      i = p;
    }
    heapSite[i] = site;
    heapKey[i] = key;
  };
  const pop = (): number => {
    const top = heapSite[0]!;
    size--;
    if (size > 0) {
      const site = heapSite[size]!;
      const key = heapKey[size]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && heapKey[r]! < heapKey[l]! ? r : l;
        if (heapKey[m]! >= key) break;
        heapSite[i] = heapSite[m]!;
        heapKey[i] = heapKey[m]!;
        i = m;
      }
      heapSite[i] = site;
      heapKey[i] = key;
    }
    return top;
  };
  cost[source] = 0;
  push(source, 0);
  while (size > 0) {
    const u = pop();
    if (done[u]) continue;
    done[u] = 1;
    summarise(u);
    const cu = cost[u]!;
    const hu = hops[u]!;
    const ru = rank[u]!;
    for (let k = start[u]!, end = start[u + 1]!; k < end; k++) {
      const v = to[k]!;
      if (done[v]) continue;
      const c = cu + edgeCost[k]!;
      const h = hu + 1;
      const cv = cost[v]!;
      if (cv >= 0 && (c > cv || (c === cv && (h > hops[v]! || (h === hops[v]! && ru >= rank[pred[v]!]!))))) continue;
      cost[v] = c;
      hops[v] = h;
      pred[v] = u;
      predSlot[v] = k;
      push(v, c * 65_536 + h);
    }
  }
  return { source, cost, hops, pred, limit, firstHub };
}

/**
 * A tree's arrays in the narrowest types that hold them (every tree is kept: memory counts), as views
 * on one buffer: one allocation per tree instead of five (a table build makes one tree per site, and
 * each separate backing store costs an allocation and GC bookkeeping). Initial values: cost and pred
 * -1 (unreachable), hops 0, limit Infinity (the last class: the source and unreachable sites keep it),
 * firstHub 0 (none).
 */
function treeArrays(graph: SiteGraph, wideCost: boolean): Omit<PathTree, 'source'> {
  const n = graph.names.length;
  const classes = graph.limitValues.length;
  const narrowHops = n < 65_535;
  const limitBytes = classes <= 256 ? 1 : classes <= 65_536 ? 2 : 4;
  // Each array starts at a multiple of 8 bytes so that every view is aligned.
  const slot = (bytes: number): number => Math.ceil((bytes * n) / 8) * 8;
  const sizes = [slot(wideCost ? 8 : 4), slot(4), slot(narrowHops ? 2 : 4), graph.anyRelayHub ? slot(narrowHops ? 2 : 4) : 0, slot(limitBytes)];
  const buffer = new ArrayBuffer(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  const next = (i: number): number => {
    const offset = at;
    at += sizes[i]!;
    return offset;
  };
  const cost = wideCost ? new Float64Array(buffer, next(0), n).fill(-1) : new Int32Array(buffer, next(0), n).fill(-1);
  const pred = new Int32Array(buffer, next(1), n).fill(-1);
  const hops = narrowHops ? new Uint16Array(buffer, next(2), n) : new Int32Array(buffer, next(2), n);
  const hubAt = next(3);
  const firstHub = !graph.anyRelayHub ? undefined : narrowHops ? new Uint16Array(buffer, hubAt, n) : new Int32Array(buffer, hubAt, n);
  const limitAt = next(4);
  const limit = limitBytes === 1 ? new Uint8Array(buffer, limitAt, n) : limitBytes === 2 ? new Uint16Array(buffer, limitAt, n) : new Int32Array(buffer, limitAt, n);
  limit.fill(classes - 1);
  return { cost, hops, pred, limit, firstHub };
}

interface Summaries {
  /** Scratch: CSR slot of the edge from pred[v] to v (the link whose limit counts, R87). */
  predSlot: Int32Array;
  /** Fill the summaries of a site when it is settled: its predecessor is settled before it, so final. */
  summarise: (u: number) => void;
}

/**
 * The tree's summaries (limit, firstHub) filled once per settled site rather than at every relaxation
 * (the Dijkstra inner loop stays as lean as it was: a table build runs it once per site).
 */
function pathSummaries(graph: SiteGraph, source: number, pred: Int32Array, limit: PathTree['limit'], firstHub: PathTree['firstHub']): Summaries {
  const n = graph.names.length;
  if (scratch.predSlot.length < n) scratch.predSlot = new Int32Array(n);
  const predSlot = scratch.predSlot;
  const limitClass = graph.csr.limitClass;
  const relayHub = graph.relayHub;
  const summarise = (u: number): void => {
    const p = pred[u]!;
    if (p < 0) return;
    const lp = limit[p]!;
    const lk = limitClass[predSlot[u]!]!;
    limit[u] = lk < lp ? lk : lp;
    // R85: the hub nearest the source wins; the source itself never counts.
    if (firstHub) firstHub[u] = firstHub[p]! !== 0 || p === source || !relayHub[p] ? firstHub[p]! : p + 1;
  };
  return { predSlot, summarise };
}

/** R85 from the tree: the first relay hub strictly between the source and `target`, -1 when none. */
export function treeFirstHub(tree: PathTree, target: number): number {
  return tree.firstHub ? tree.firstHub[target]! - 1 : -1;
}

/** Site indices from the tree's source to `target`, both included; undefined when unreachable. */
export function pathIndices(tree: PathTree, target: number): number[] | undefined {
  if (tree.cost[target]! < 0) return undefined;
  const path: number[] = [];
  for (let s = target; s !== -1; s = tree.pred[s]!) path.push(s);
  return path.reverse();
}

/** The link used between two adjacent sites of a path (the R82 winner). */
export function edgeBetween(graph: SiteGraph, a: number, b: number): SiteEdge | undefined {
  const k = edgeSlot(graph, a, b);
  return k < 0 ? undefined : graph.edges[graph.csr.edge[k]!];
}

/** CSR slot of the edge a→b, -1 when none. */
function edgeSlot(graph: SiteGraph, a: number, b: number): number {
  const { start, to } = graph.csr;
  for (let k = start[a]!, end = start[a + 1]!; k < end; k++) if (to[k] === b) return k;
  return -1;
}

/** R87: the smallest MaxMessageSize of the links on the tree's path to `target` (Infinity when local), recorded by Dijkstra. */
export function pathMaxSize(graph: SiteGraph, tree: PathTree, target: number): number {
  return graph.limitValues[tree.limit[target]!]!;
}

export function sitePath(graph: SiteGraph, tree: PathTree, target: number): SitePath | undefined {
  const indices = pathIndices(tree, target);
  if (!indices) return undefined;
  const links: string[] = [];
  for (let i = 1; i < indices.length; i++) links.push(edgeBetween(graph, indices[i - 1]!, indices[i]!)!.link);
  return {
    site: graph.names[target]!,
    cost: tree.cost[target]!,
    hops: tree.hops[target]!,
    path: indices.map((i) => graph.names[i]!),
    links,
    maxMessageSize: pathMaxSize(graph, tree, target),
  };
}

/**
 * Least-cost paths from one site to every reachable site (the source included, cost 0), keyed by
 * nameKey(site). R84: sites without Mailbox servers are included (they may be ends of paths a caller
 * asks about); `graph.hasServers` tells which can relay.
 */
export function leastCostPaths(graph: SiteGraph, fromSite: string): Map<string, SitePath> {
  const source = graph.index.get(nameKey(fromSite));
  const result = new Map<string, SitePath>();
  if (source === undefined) return result;
  const tree = shortestPathTree(graph, source);
  for (let t = 0; t < graph.names.length; t++) {
    const p = sitePath(graph, tree, t);
    if (p) result.set(nameKey(graph.names[t]!), p);
  }
  return result;
}
