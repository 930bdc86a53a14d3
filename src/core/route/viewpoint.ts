/**
 * Caches of routing results that do not depend on the recipient. Paths are computed per site (R81,
 * R91, R104 4a–b), so a Mailbox server that is not itself one of the servers involved (group member,
 * source server) sees a delivery group or a connector exactly as every other Mailbox server of its
 * site: plans from many servers of one site, and the relay planning message after message from one
 * server, then share one result instead of re-allocating it per plan.
 */
import type { Server } from '../model/topology.js';
import type { CacheMode, Freezer } from './route-cache.js';

/** The server itself when it takes part (R72, R91 proximity 0, R102/R103 on a source server), else its site index. */
export type Viewpoint = Server | number;

/** L's viewpoint, given L's site index. */
export function viewpoint(from: Server, site: number, involved: boolean): Viewpoint {
  // R119: an Edge server sees only its own connectors (and the explanation names it): never shared.
  return involved || from.role === 'Edge' ? from : site;
}

/** Doorkeeper bits (1 Mi pairs, 128 KB); a collision only keeps a result one request early. */
const DOOR_BITS = 1 << 20;

/** What keys a view cache: an object with an id of its own (RouteCache.keyId). */
export interface ViewKey {
  readonly id: number;
}

/**
 * Map (what, viewpoint) → result, bounded like the directory caches: results are recomputed after a
 * clear, never wrong. A site viewpoint's result is found with one lookup of a number (key id and
 * site); it is kept from the second request of its pair on (a bit per pair records the first): in a
 * large organization most (site, destination) pairs of first stops never repeat, and a kept result
 * costs more (promotion to the old generation, larger maps, longer collections) than computing it
 * once. Servers that take part themselves are the later stops of messages (group members, source
 * servers): kept at once.
 */
export class ViewCache<K extends ViewKey, V> {
  private readonly bySite = new Map<number, V>();
  private readonly byServer = new Map<Server, Map<number, V>>();
  private readonly door = new Uint8Array(DOOR_BITS >> 3);
  private size = 0;

  constructor(
    private readonly limit: number,
    /** Site indices run from -1 (no site) to sites − 1. */
    private readonly sites: number,
    private readonly mode: CacheMode = 'on',
    private readonly freezer?: Freezer,
  ) {}

  /** `keepFirst`: the caller knows the pair is shared by many requests (keep it at once). */
  get(key: K, view: Viewpoint, compute: () => V, keepFirst = false): V {
    return this.find(key, view) ?? this.keep(key, view, compute(), keepFirst);
  }

  /** The result kept for (key, view), if any (find and keep: see Memo.find). */
  find(key: K, view: Viewpoint): V | undefined {
    if (this.mode === 'off') return undefined;
    if (typeof view !== 'number') return this.byServer.get(view)?.get(key.id);
    return this.bySite.get(key.id * (this.sites + 1) + view + 1);
  }

  /** Keeps `value` for (key, view) if admitted (see the class) and returns it. */
  keep(key: K, view: Viewpoint, value: V, keepFirst = false): V {
    if (this.mode === 'off') return value;
    if (typeof view !== 'number') return this.keepForServer(key, view, value);
    const pair = key.id * (this.sites + 1) + view + 1;
    if (!keepFirst && !this.admit(pair)) return value;
    this.room();
    if (this.freezer) this.freezer.freeze(value);
    this.bySite.set(pair, value);
    return value;
  }

  private keepForServer(key: K, server: Server, value: V): V {
    let results = this.byServer.get(server);
    if (this.room() || !results) {
      results = new Map();
      this.byServer.set(server, results);
    }
    if (this.freezer) this.freezer.freeze(value);
    results.set(key.id, value);
    return value;
  }

  /** Room for one more result: past the limit everything starts over (true then). */
  private room(): boolean {
    this.size++;
    if (this.size <= this.limit) return false;
    this.bySite.clear();
    this.byServer.clear();
    this.door.fill(0);
    this.size = 1;
    return true;
  }

  /** true from the second request of a pair on. */
  private admit(pair: number): boolean {
    const bit = Math.imul(pair, 0x9e3779b1) >>> 12;
    const mask = 1 << (bit & 7);
    const seen = (this.door[bit >> 3]! & mask) !== 0;
    this.door[bit >> 3] = this.door[bit >> 3]! | mask;
    return seen;
  }
}
