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
   * keep it per target site in a few bits of its record instead of a double (R87).
   */
  readonly limitValues: Float64Array;
  /** Non-zero when a site is a hub site with Mailbox servers, i.e. one a path stops at (R84, R85): its place in relayHubs + 1. */
  readonly relayHub: Int32Array;
  /** The relay hub sites in index order; trees name a first hub by its place in this list. */
  readonly relayHubs: Int32Array;
  /** The R82-chosen edges; `csr.edge[k]` indexes this list. */
  readonly edges: readonly SiteEdge[];
  /** true when costs could overflow Int32 sums (very large graphs of expensive links). */
  readonly wideCosts: boolean;
  readonly maxEdgeCost: number;
  /** How every tree of this graph packs a site's labels into its record. */
  readonly treeLayout: TreeLayout;
  /** Source index → tree; filled lazily by shortestPathTree. */
  readonly trees: Map<number, PathTree>;
}

/** Where one label sits in a site's record: word of the record, bit shift, mask. */
interface Field {
  readonly word: number;
  readonly shift: number;
  readonly mask: number;
}

/**
 * The record of one site in a tree, sized from the graph's bounds (most organizations: two 32-bit
 * words). A plan reads a target's labels from one record, one cache line, instead of one array each;
 * a 5,000-site org keeps a tree per site. No field straddles two words.
 */
export interface TreeLayout {
  readonly words: number;
  /** cost + 1, 0 = unreachable; undefined when costs are wide (then kept in a Float64Array beside the records). */
  readonly cost: Field | undefined;
  /** pred + 1, 0 = none (the source and unreachable sites). */
  readonly pred: Field;
  readonly hops: Field;
  /** The smallest link limit of the path (R87), as `infinity` − its index into limitValues (0: no limit, as for unreachable sites). */
  readonly limit: Field;
  /** The index of Infinity in limitValues (the last). */
  readonly infinity: number;
  /** The first relay hub strictly between source and site (R85): its place in relayHubs + 1, 0 = none; undefined when the org has none. */
  readonly hub: Field | undefined;
}

type FieldName = 'cost' | 'pred' | 'hops' | 'limit' | 'hub';

/** Bits that hold every value 0..max. */
function bitsFor(max: number): number {
  return max <= 1 ? 1 : 32 - Math.clz32(max);
}

/** First fit, widest first: each field in the first word with room for it. */
function treeLayout(n: number, maxEdgeCost: number, wideCosts: boolean, classes: number, hubs: number): TreeLayout {
  const wanted: [name: FieldName, bits: number][] = [
    ['pred', bitsFor(n)],
    ['hops', bitsFor(n)],
    ['limit', bitsFor(classes - 1)],
  ];
  // cost + 1 ≤ maxEdgeCost·(n − 1) + 1 < 2^31 whenever costs are not wide.
  if (!wideCosts) wanted.push(['cost', bitsFor(maxEdgeCost * Math.max(n - 1, 0) + 1)]);
  if (hubs > 0) wanted.push(['hub', bitsFor(hubs)]);
  wanted.sort((a, b) => b[1] - a[1]);
  const used: number[] = [];
  const fields: Partial<Record<FieldName, Field>> = {};
  for (const [name, bits] of wanted) {
    let word = used.findIndex((u) => u + bits <= 32);
    if (word < 0) word = used.push(0) - 1;
    fields[name] = { word, shift: used[word]!, mask: bits >= 31 ? 0x7fffffff : (1 << bits) - 1 };
    used[word]! += bits;
  }
  return { words: used.length, cost: fields.cost, pred: fields.pred!, hops: fields.hops!, limit: fields.limit!, infinity: classes - 1, hub: fields.hub };
}

/** Least-cost paths from one source site to every site (R81), with the summaries plans read in O(1). Shared by every server of the source site; read-only. */
export interface PathTree {
  readonly source: number;
  /** Aggregate cost of the least-cost path to site t; -1 = unreachable. */
  cost(t: number): number;
  /** Site links on that path (0 for the source and unreachable sites). */
  hops(t: number): number;
  /** The site before t on the path; -1 for the source and unreachable sites. */
  pred(t: number): number;
  /** R87: the smallest link limit of the path to t, as an index into graph.limitValues (source and unreachable sites: Infinity). */
  limitClass(t: number): number;
  /** R85: the first relay hub strictly between the source and t, -1 when none. */
  firstHub(t: number): number;
}

/**
 * Dijkstra result for one source site: a record per site (TreeLayout), in one Int32Array, so that a
 * 5,000-site org can keep every tree in memory (8 bytes a site) and a target's labels are one read.
 */
class PackedTree implements PathTree {
  constructor(
    readonly source: number,
    private readonly layout: TreeLayout,
    private readonly records: Int32Array,
    private readonly relayHubs: Int32Array,
    private readonly wideCost: Float64Array | undefined,
  ) {}

  private field(t: number, f: Field): number {
    return (this.records[t * this.layout.words + f.word]! >>> f.shift) & f.mask;
  }

  /** Aggregate cost of the least-cost path to site t; -1 = unreachable. */
  cost(t: number): number {
    const f = this.layout.cost;
    return f ? this.field(t, f) - 1 : this.wideCost![t]!;
  }

  hops(t: number): number {
    return this.field(t, this.layout.hops);
  }

  /** The site before t on the path; -1 for the source and unreachable sites. */
  pred(t: number): number {
    return this.field(t, this.layout.pred) - 1;
  }

  /** R87: the smallest link limit of the path to t, as an index into graph.limitValues (source and unreachable sites: Infinity). */
  limitClass(t: number): number {
    return this.layout.infinity - this.field(t, this.layout.limit);
  }

  /** R85: the first relay hub strictly between the source and t, -1 when none. */
  firstHub(t: number): number {
    const f = this.layout.hub;
    if (!f) return -1;
    const place = this.field(t, f);
    return place === 0 ? -1 : this.relayHubs[place - 1]!;
  }
}

/**
 * The tree of a site with a single neighbour p (a branch office on one link, the common case of hub
 * and spoke): every path from it starts with that link, so its least-cost paths are p's with the
 * link in front (the R81 order of two such paths is the order of their parts from p: same first link,
 * same names back to p). Read through p's tree: no Dijkstra and no memory of its own.
 */
class LeafTree implements PathTree {
  constructor(
    readonly source: number,
    private readonly base: PathTree,
    /** The link to p (R82's choice): its cost and its limit class. */
    private readonly linkCost: number,
    private readonly linkLimit: number,
    private readonly infinity: number,
    /** p itself when it is a relay hub (R85), else -1. */
    private readonly hubAtBase: number,
  ) {}

  cost(t: number): number {
    if (t === this.source) return 0;
    const c = this.base.cost(t);
    return c < 0 ? -1 : c + this.linkCost;
  }

  hops(t: number): number {
    if (t === this.source || this.base.cost(t) < 0) return 0;
    return this.base.hops(t) + 1;
  }

  pred(t: number): number {
    if (t === this.source) return -1;
    return t === this.base.source ? this.source : this.base.pred(t);
  }

  limitClass(t: number): number {
    if (t === this.source || this.base.cost(t) < 0) return this.infinity;
    const l = this.base.limitClass(t);
    return l < this.linkLimit ? l : this.linkLimit;
  }

  firstHub(t: number): number {
    if (t === this.source || t === this.base.source || this.base.cost(t) < 0) return -1;
    return this.hubAtBase >= 0 ? this.hubAtBase : this.base.firstHub(t);
  }
}

/** The only neighbour of a site when it has one and that neighbour has others (its tree then derives from the neighbour's, see LeafTree); -1 otherwise. */
export function leafBase(graph: SiteGraph, site: number): number {
  const { start, to } = graph.csr;
  if (start[site + 1]! - start[site]! !== 1) return -1;
  const p = to[start[site]!]!;
  return start[p + 1]! - start[p]! >= 2 ? p : -1;
}

/** The tree of a leaf site (leafBase(graph, site) ≥ 0), read through the tree of its neighbour. */
export function leafTree(graph: SiteGraph, site: number, base: PathTree): PathTree {
  const k = graph.csr.start[site]!;
  const p = base.source;
  return new LeafTree(site, base, graph.csr.cost[k]!, graph.csr.limitClass[k]!, graph.treeLayout.infinity, graph.relayHub[p] ? p : -1);
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
  const relayHub = new Int32Array(n);
  const hubList: number[] = [];
  for (let i = 0; i < n; i++) {
    if (hub[i] && hasServers[i]) {
      hubList.push(i);
      relayHub[i] = hubList.length;
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
  const wideCosts = maxCost * n >= 2 ** 31 - 1;
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
    relayHubs: Int32Array.from(hubList),
    edges,
    wideCosts,
    maxEdgeCost: maxCost,
    treeLayout: treeLayout(n, maxCost, wideCosts, limitValues.length, hubList.length),
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

/**
 * Working labels of the Dijkstra being run, one array per label, reused from tree to tree (a table
 * build or a cold relay runs one Dijkstra per site): the inner loop works on arrays that stay in the
 * CPU cache, and each site's record is written into the tree once, when the site is settled.
 */
const scratch = {
  cost: new Int32Array(0),
  wideCost: new Float64Array(0),
  hops: new Int32Array(0),
  pred: new Int32Array(0),
  /** CSR slot of the edge from pred[v] to v (the link whose limit counts, R87). */
  predSlot: new Int32Array(0),
  limit: new Int32Array(0),
  /** First relay hub: place in graph.relayHubs + 1, 0 = none. */
  hub: new Int32Array(0),
  done: new Uint8Array(0),
  heapSite: new Int32Array(0),
  heapKey: new Float64Array(0),
  entrySite: new Int32Array(0),
  entryNext: new Int32Array(0),
  head: new Int32Array(0),
};

/**
 * One Dijkstra run: the label arrays (sized for the graph; only cost needs a reset, to -1 =
 * unreached: the others are written before they are read) and the tree's records, all zero, which
 * is what an unreachable site's record holds.
 */
class Run {
  readonly cost: Int32Array;
  readonly wideCost: Float64Array;
  readonly hops: Int32Array;
  readonly pred: Int32Array;
  readonly predSlot: Int32Array;
  readonly limit: Int32Array;
  readonly hub: Int32Array;
  readonly records: Int32Array;
  readonly #limitClass: Int32Array;
  readonly #relayHub: Int32Array;
  readonly #layout: TreeLayout;
  // The layout's word offsets and shifts as plain numbers (settle runs once per site and tree); word -1: no such field.
  readonly #words: number;
  readonly #infinity: number;
  readonly #costWord: number;
  readonly #costShift: number;
  readonly #predWord: number;
  readonly #predShift: number;
  readonly #hopsWord: number;
  readonly #hopsShift: number;
  readonly #limitWord: number;
  readonly #limitShift: number;
  readonly #hubWord: number;
  readonly #hubShift: number;

  constructor(
    private readonly graph: SiteGraph,
    readonly source: number,
    private readonly wide: boolean,
  ) {
    const n = graph.names.length;
    if (scratch.cost.length < n) {
      scratch.cost = new Int32Array(n);
      scratch.hops = new Int32Array(n);
      scratch.pred = new Int32Array(n);
      scratch.predSlot = new Int32Array(n);
      scratch.limit = new Int32Array(n);
      scratch.hub = new Int32Array(n);
      scratch.done = new Uint8Array(n);
    }
    if (wide && scratch.wideCost.length < n) scratch.wideCost = new Float64Array(n);
    ({ cost: this.cost, wideCost: this.wideCost, hops: this.hops, pred: this.pred, predSlot: this.predSlot, limit: this.limit, hub: this.hub } = scratch);
    (wide ? this.wideCost : this.cost).fill(-1, 0, n);
    (wide ? this.wideCost : this.cost)[source] = 0;
    this.pred[source] = -1;
    this.hops[source] = 0;
    this.#limitClass = graph.csr.limitClass;
    this.#relayHub = graph.relayHub;
    const L = graph.treeLayout;
    this.#layout = L;
    this.#words = L.words;
    this.#infinity = L.infinity;
    this.#costWord = L.cost ? L.cost.word : -1;
    this.#costShift = L.cost ? L.cost.shift : 0;
    this.#predWord = L.pred.word;
    this.#predShift = L.pred.shift;
    this.#hopsWord = L.hops.word;
    this.#hopsShift = L.hops.shift;
    this.#limitWord = L.limit.word;
    this.#limitShift = L.limit.shift;
    this.#hubWord = L.hub ? L.hub.word : -1;
    this.#hubShift = L.hub ? L.hub.shift : 0;
    this.records = new Int32Array(n * L.words);
  }

  /**
   * Site u is settled: its labels are final, and so are its summaries (limit R87, first hub R85),
   * computed from its predecessor's, which was settled before it. Its record is written now.
   */
  settle(u: number, cost: number): void {
    const p = this.pred[u]!;
    const top = this.#infinity;
    let limit = top;
    let hub = 0;
    if (p >= 0) {
      const lp = this.limit[p]!;
      const lk = this.#limitClass[this.predSlot[u]!]!;
      limit = lk < lp ? lk : lp;
      // R85: the hub nearest the source wins; the source itself never counts.
      hub = this.hub[p]!;
      if (hub === 0 && p !== this.source) hub = this.#relayHub[p]!;
    }
    this.limit[u] = limit;
    this.hub[u] = hub;
    const r = this.records;
    const at = u * this.#words;
    if (this.#costWord >= 0) r[at + this.#costWord] |= (cost + 1) << this.#costShift;
    r[at + this.#predWord] |= (p + 1) << this.#predShift;
    r[at + this.#hopsWord] |= this.hops[u]! << this.#hopsShift;
    r[at + this.#limitWord] |= (top - limit) << this.#limitShift;
    if (this.#hubWord >= 0) r[at + this.#hubWord] |= hub << this.#hubShift;
  }

  tree(): PathTree {
    return new PackedTree(this.source, this.#layout, this.records, this.graph.relayHubs, this.wide ? this.wideCost.slice(0, this.graph.names.length) : undefined);
  }
}

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
  const run = new Run(graph, source, false);
  const { cost, hops, pred, predSlot } = run;
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
      run.settle(u, c);
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
  return run.tree();
}

export function heapTree(graph: SiteGraph, source: number): PathTree {
  const n = graph.names.length;
  const { start, to, cost: edgeCost } = graph.csr;
  const wide = graph.wideCosts;
  const run = new Run(graph, source, wide);
  const { hops, pred, predSlot } = run;
  const cost = wide ? run.wideCost : run.cost;
  const rank = graph.rank;
  // Binary heap with lazy deletion; key = cost * 2^16 + hops (exact in a double), ties popped in any order.
  // Scratch buffers are reused between calls: a table build runs one Dijkstra per site.
  const capacity = to.length + 1;
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
  push(source, 0);
  while (size > 0) {
    const u = pop();
    if (done[u]) continue;
    done[u] = 1;
    run.settle(u, cost[u]!);
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
  return run.tree();
}

/** Site indices from the tree's source to `target`, both included; undefined when unreachable. */
export function pathIndices(tree: PathTree, target: number): number[] | undefined {
  if (tree.cost(target) < 0) return undefined;
  const path: number[] = [];
  for (let s = target; s !== -1; s = tree.pred(s)) path.push(s);
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
  return graph.limitValues[tree.limitClass(target)]!;
}

export function sitePath(graph: SiteGraph, tree: PathTree, target: number): SitePath | undefined {
  const indices = pathIndices(tree, target);
  if (!indices) return undefined;
  const links: string[] = [];
  for (let i = 1; i < indices.length; i++) links.push(edgeBetween(graph, indices[i - 1]!, indices[i]!)!.link);
  return {
    site: graph.names[target]!,
    cost: tree.cost(target),
    hops: tree.hops(target),
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
