/**
 * Caches of routing results that do not depend on the recipient. Paths are computed per site (R81,
 * R91, R104 4a–b), so a Mailbox server that is not itself one of the servers involved (group member,
 * source server) sees a delivery group or a connector exactly as every other Mailbox server of its
 * site: plans from many servers of one site, and the relay planning message after message from one
 * server, then share one result instead of re-allocating it per plan.
 */
import type { Server } from '../model/topology.js';
import type { CacheMode, Freezer } from './route-cache.js';
import { siteOf, type RoutingIndex } from './routing-index.js';

/** The server itself when it takes part (R72, R91 proximity 0, R102/R103 on a source server), else its site index. */
export type Viewpoint = Server | number;

export function viewpoint(index: RoutingIndex, from: Server, involved: boolean): Viewpoint {
  // R119: an Edge server sees only its own connectors (and the explanation names it): never shared.
  return involved || from.role === 'Edge' ? from : siteOf(index, from);
}

interface Views<V> {
  /** Small number naming the key in the doorkeeper. */
  id: number;
  results: Map<Viewpoint, V>;
}

/** Doorkeeper bits (1 Mi pairs, 128 KB); a collision only keeps a result one request early. */
const DOOR_BITS = 1 << 20;

/**
 * Two-level map (what → viewpoint → result) bounded like the directory caches: results are
 * recomputed after a clear, never wrong. A site viewpoint's result is kept from the second request
 * of its pair on (a bit per pair records the first): in a large organization most (site,
 * destination) pairs of first stops never repeat, and a kept result costs more (promotion to the
 * old generation, larger maps, longer collections) than computing it once. Servers that take part
 * themselves are the later stops of messages (group members, source servers): kept at once.
 */
export class ViewCache<K extends object, V> {
  private readonly byKey = new Map<K, Views<V>>();
  private readonly door = new Uint8Array(DOOR_BITS >> 3);
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly mode: CacheMode = 'on',
    private readonly freezer?: Freezer,
  ) {}

  /** `keepFirst`: the caller knows the pair is shared by many requests (keep it at once). */
  get(key: K, view: Viewpoint, compute: () => V, keepFirst = false): V {
    if (this.mode === 'off') return compute();
    let views = this.byKey.get(key);
    if (views) {
      const found = views.results.get(view);
      if (found !== undefined) return found;
    }
    const value = compute();
    if (this.size >= this.limit) {
      this.byKey.clear();
      this.door.fill(0);
      this.size = 0;
      views = undefined;
    }
    if (!views) {
      views = { id: this.byKey.size, results: new Map() };
      this.byKey.set(key, views);
      this.size++;
    }
    if (typeof view === 'number' && !keepFirst && !this.admit(views.id, view)) return value;
    if (this.freezer) this.freezer.freeze(value);
    views.results.set(view, value);
    this.size++;
    return value;
  }

  /** true from the second request of (id, view) on. */
  private admit(id: number, view: number): boolean {
    const bit = (Math.imul(id, 0x9e3779b1) + view) & (DOOR_BITS - 1);
    const mask = 1 << (bit & 7);
    const seen = (this.door[bit >> 3]! & mask) !== 0;
    this.door[bit >> 3] = this.door[bit >> 3]! | mask;
    return seen;
  }
}
