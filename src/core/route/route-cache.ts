/**
 * The routing index's one cache (issue 7): every result routing keeps between requests lives here, in
 * one typed field per kind of result, owned by the RoutingIndex of one topology. Nothing is cached
 * anywhere else (per-object derived data such as delivery groups is `memo`, not a result).
 *
 * Cached results are shared by every later request: their types are read-only, and in the `frozen`
 * mode (the property tests) each value is frozen as it is stored, so a caller that writes into a shared
 * result throws instead of silently changing later answers. In the `off` mode nothing is kept and every
 * result is computed afresh: same answers, slower (the property tests compare the modes).
 * Pure: no I/O.
 */
import type { Server, Topology } from '../model/topology.js';
import type { Availability } from './availability.js';
import type { Categorized, DatabaseTarget } from './categorize.js';
import type { AnyInfo, ConnectorSelection, DomainSpaces, RankedCandidates } from './connectors.js';
import type { DeliveryGroup } from './delivery-groups.js';
import type { ResolvedRecipient } from './recipients.js';
import type { GroupRoute } from './relay.js';
import type { PathTree } from './site-graph.js';
import type { NextHop } from './types.js';
import { ViewCache } from './viewpoint.js';

/** `on`: cache; `off`: compute every result afresh; `frozen`: cache and freeze what is stored (tests). */
export type CacheMode = 'on' | 'off' | 'frozen';

/** Freezes a stored result and the plain objects and arrays it holds; topology objects and typed arrays are left alone. */
export class Freezer {
  readonly #model = new WeakSet<object>();

  constructor(topology: Topology) {
    const t = topology;
    for (const list of [t.sites, t.siteLinks, t.servers, t.databaseAvailabilityGroups, t.mailboxDatabases, t.acceptedDomains, t.sendConnectors, t.receiveConnectors, t.edgeSubscriptions]) {
      for (const o of list as readonly object[]) this.#model.add(o);
    }
    const r = t.recipients;
    for (const list of [r.mailboxes, r.distributionGroups, r.mailContacts, r.mailUsers]) for (const o of list as readonly object[]) this.#model.add(o);
  }

  freeze<T>(value: T, depth = 4): T {
    if (typeof value !== 'object' || value === null || depth === 0 || ArrayBuffer.isView(value) || this.#model.has(value)) return value;
    if (value instanceof Map || value instanceof Set) return value;
    if (!Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value)) this.freeze(v, depth - 1);
    }
    return value;
  }
}

/** A bounded map (starts over when full: results are recomputed, never wrong) that keeps nothing when caching is off. */
export class Memo<K, V> {
  readonly #map = new Map<K, V>();

  constructor(
    private readonly limit: number,
    private readonly mode: CacheMode,
    private readonly freezer: Freezer | undefined,
  ) {}

  get(key: K, make: () => V): V {
    return this.find(key) ?? this.keep(key, make());
  }

  /**
   * find and keep are get in two steps, for the calls made on every request: `find(k) ?? keep(k,
   * compute())` allocates no closure where V8 does not inline get.
   */
  find(key: K): V | undefined {
    return this.mode === 'off' ? undefined : this.#map.get(key);
  }

  /** Keeps `value` (nothing when caching is off) and returns it. */
  keep(key: K, value: V): V {
    if (this.mode === 'off') return value;
    if (this.#map.size >= this.limit) this.#map.clear();
    if (this.freezer) this.freezer.freeze(value);
    this.#map.set(key, value);
    return value;
  }
}

/** One value per topology, computed on first use (every time when caching is off). */
export class Once<V> {
  #value: V | undefined;

  constructor(
    private readonly mode: CacheMode,
    private readonly freezer: Freezer | undefined,
  ) {}

  get(make: () => V): V {
    return this.find() ?? this.keep(make());
  }

  /** The value when computed already (see Memo.find). */
  find(): V | undefined {
    return this.mode === 'off' ? undefined : this.#value;
  }

  keep(value: V): V {
    if (this.mode === 'off') return value;
    this.#value = this.freezer ? this.freezer.freeze(value) : value;
    return value;
  }
}

/**
 * One value per site index, computed on first use (every time when caching is off): an array, not a
 * map, because it is read on every request (the path tree of the categorizing server's site).
 */
export class PerSite<V> {
  readonly #values: (V | undefined)[];

  constructor(
    sites: number,
    private readonly mode: CacheMode,
    private readonly freezer: Freezer | undefined,
  ) {
    this.#values = new Array<V | undefined>(sites).fill(undefined);
  }

  get(site: number, make: () => V): V {
    return this.find(site) ?? this.keep(site, make());
  }

  /** See Memo.find. */
  find(site: number): V | undefined {
    return this.mode === 'off' ? undefined : this.#values[site];
  }

  keep(site: number, value: V): V {
    if (this.mode === 'off') return value;
    if (this.freezer) this.freezer.freeze(value);
    this.#values[site] = value;
    return value;
  }
}

/** Bounds: past them a cache starts over (recomputes, never answers wrong). */
const RESOLVED_LIMIT = 100_000;
const DOMAIN_LIMIT = 100_000;
const VIEW_LIMIT = 50_000;
const LATER_STOP_LIMIT = 200_000;

export class RouteCache {
  /** R64 resolution per address as given. */
  readonly resolved: Memo<string, Readonly<ResolvedRecipient>>;
  /** R101: the non-`*` address spaces matching a domain, by level of specificity, and their connectors' source servers. */
  readonly matching: Memo<string, DomainSpaces>;
  /** The same for every domain that only `*` matches (one record: it keys the selection caches). */
  readonly onlyAny: Once<DomainSpaces>;
  /** The `*` connectors and their source servers. */
  readonly anyInfo: Once<AnyInfo>;
  /** R102–R104 candidates per (domain's spaces, viewpoint), ranked once for every message size (R104 step 1 filters afterwards); kept by sized requests (the relay's). */
  readonly rankings: ViewCache<DomainSpaces, RankedCandidates>;
  /** The size-less selection per (domain's spaces, viewpoint), kept whole: with its ranking and route, which are not kept again beside it. */
  readonly selections: ViewCache<DomainSpaces, ConnectorSelection>;
  /** R72/R81/R91 route to a delivery group per viewpoint. */
  readonly groupRoutes: ViewCache<DeliveryGroup, GroupRoute>;
  /** R85/R118 next hop to a whole AD site. */
  readonly adSiteHops: PerSite<Readonly<NextHop>>;
  /** R6 without outages: the active copy and delivery group of a database, by name. */
  readonly databaseTargets: Memo<string, Readonly<DatabaseTarget>>;
  /** Later stops of messages (no size, no outage): per server, by recipient address… */
  readonly laterByAddress: Memo<Server, Memo<string, Readonly<Categorized>>>;
  /** …and mailboxes by database (R95, R96). */
  readonly laterByDatabase: Memo<Server, Memo<string, Readonly<Categorized>>>;
  /** The availability of "nothing down" (R92 only). */
  readonly noOutage: Once<Availability>;
  /** R81 least-cost path tree per source site index (a site on a single link reads its neighbour's). */
  readonly trees: PerSite<PathTree>;
  private readonly freezer: Freezer | undefined;
  #keys = 0;

  constructor(
    readonly mode: CacheMode,
    topology: Topology,
    sites: number,
  ) {
    const f = mode === 'frozen' ? new Freezer(topology) : undefined;
    this.resolved = new Memo(RESOLVED_LIMIT, mode, f);
    this.matching = new Memo(DOMAIN_LIMIT, mode, f);
    this.onlyAny = new Once(mode, f);
    this.anyInfo = new Once(mode, f);
    this.rankings = new ViewCache(VIEW_LIMIT, sites, mode, f);
    this.selections = new ViewCache(VIEW_LIMIT, sites, mode, f);
    this.groupRoutes = new ViewCache(VIEW_LIMIT, sites, mode, f);
    this.adSiteHops = new PerSite(sites, mode, f);
    this.databaseTargets = new Memo(Infinity, mode, f);
    // The outer maps hold inner caches, filled after they are stored: not frozen themselves.
    this.laterByAddress = new Memo(LATER_STOP_LIMIT, mode, undefined);
    this.laterByDatabase = new Memo(LATER_STOP_LIMIT, mode, undefined);
    this.noOutage = new Once(mode, undefined);
    // Trees hold typed arrays (read-only by convention, Freezer cannot freeze them); every site's may be kept (8 bytes a site each).
    this.trees = new PerSite(sites, mode, undefined);
    this.freezer = f;
  }

  /**
   * A new id for an object that keys the view caches (delivery groups, a domain's address spaces): a
   * cache then finds a (key, site) result with one lookup of a number instead of a map per key.
   */
  keyId(): number {
    return this.#keys++;
  }

  /** A per-server later-stop cache (see laterByAddress). */
  laterStops(of: Memo<Server, Memo<string, Readonly<Categorized>>>, server: Server): Memo<string, Readonly<Categorized>> {
    return of.get(server, () => new Memo(LATER_STOP_LIMIT, this.mode, this.freezer));
  }
}
