/**
 * One server's queue engine behind the front door: the durable store (store.ts), the categorizer
 * and the delivery, as the `MessageSink` the SMTP server hands accepted mail to.
 *
 * - `accept()` resolves once the message and its recipients are committed and fsynced (grouped
 *   with other sessions' messages, see store.ts); categorization and delivery follow at once.
 * - `admission()` is back pressure: below the free-disk or free-memory threshold new mail gets
 *   `452 4.3.1 Insufficient system resources` (Exchange's answer); mail already accepted stays.
 * - `startDelivery(domain)` is ETRN: that domain's queues are tried now.
 * - `reload(topology)` re-routes queued messages after a configuration change (R120, R162).
 * - `close()` drains: running deliveries finish their message, then the database closes.
 *
 * Security: writes the data folder; opens outbound SMTP connections (deliver/).
 */
import { statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import type { Server, Topology } from '../../core/model/topology.js';
import { nameKey } from '../../core/model/names.js';
import type { AcceptedMessage, AcceptResult, MessageSink, SinkReply } from '../sink.js';
import { CATEGORIZER_BATCH, Categorizer } from '../categorizer/categorizer.js';
import { Delivery } from '../deliver/delivery.js';
import type { HostsTable } from '../deliver/hosts-file.js';
import { emptyHostsTable } from '../deliver/hosts-file.js';
import { SUBMISSION } from './keys.js';
import { QueueStore } from './store.js';
import { trackedMessage, type MessageTracker } from './tracking.js';

export interface RelayQueueOptions {
  dataDir: string;
  topology: Topology;
  server: string;
  hosts?: HostsTable;
  address?: string;
  portOffset?: number;
  /** Message tracking: told what happens to each queued message (tracking.ts). */
  track?: MessageTracker;
  /** The node's certificate, key and organization CA, for hops to other nodes (R40). */
  clientTls?: { cert: Buffer; key: Buffer; ca: Buffer };
  /** Back pressure thresholds (bytes). */
  minFreeDisk?: number;
  minFreeMemory?: number;
  now?: () => number;
  random?: () => number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export const INSUFFICIENT_RESOURCES: SinkReply = { code: 452, enhancedCode: '4.3.1', text: 'Insufficient system resources' };

/** Defaults: keep room for SQLite's WAL and checkpoints, and for the process itself. */
export const DEFAULT_MIN_FREE_DISK = 64 * 1024 * 1024;
export const DEFAULT_MIN_FREE_MEMORY = 64 * 1024 * 1024;

/** An error that carries its own SMTP reply (sink.ts): the fields of SinkReply, and as `reply`. */
export function sinkError(reply: SinkReply): Error & SinkReply & { reply: SinkReply } {
  return Object.assign(new Error(reply.text), reply, { reply });
}

const POLL_MS = 250;
const SWEEP_MS = 1000;

export class RelayQueue implements MessageSink {
  readonly store: QueueStore;
  readonly categorizer: Categorizer;
  readonly delivery: Delivery;
  private topology: Topology;
  private readonly timers: NodeJS.Timeout[] = [];
  private categorizeScheduled = false;
  private closing: Promise<void> | undefined;
  private pressure: { at: number; reply: SinkReply | undefined } = { at: 0, reply: undefined };
  private readonly now: () => number;

  constructor(private readonly o: RelayQueueOptions) {
    this.topology = o.topology;
    this.now = o.now ?? Date.now;
    this.store = QueueStore.open(o.dataDir);
    if (o.track) this.store.track = o.track;
    const self = (): Server => {
      const s = this.topology.servers.find((x) => nameKey(x.name) === nameKey(o.server));
      if (!s) throw new Error(`server ${o.server} is not in the topology`);
      return s;
    };
    const reportingMta = self().fqdn;
    this.store.setMeta('server', self().name);
    this.store.setMeta('fqdn', reportingMta);
    this.categorizer = new Categorizer({ store: this.store, server: o.server, reportingMta, topology: () => this.topology, now: this.now });
    this.delivery = new Delivery({
      store: this.store,
      topology: () => this.topology,
      self,
      reportingMta,
      endpoints: { hosts: o.hosts ?? emptyHostsTable(), address: o.address, portOffset: o.portOffset ?? 0, random: o.random ?? Math.random },
      now: this.now,
      log: o.log,
      ...(o.clientTls ? { clientTls: o.clientTls } : {}),
    });
  }

  /** Recovers from a crash (Poison, R140), then starts categorizing and delivering. */
  start(): { crashed: number; poisoned: number[] } {
    const recovered = this.store.recover(this.now());
    this.store.startCheckpointer();
    if (recovered.poisoned.length) this.o.log?.('poison', { messages: recovered.poisoned });
    for (const id of recovered.poisoned) {
      const m = this.store.message(id);
      const waiting = this.store.recipientsOf(id).filter((r) => r.state === 'pending');
      if (m) this.store.track({ eventId: 'POISONMESSAGE', source: 'QUEUE', ...trackedMessage(m), recipients: waiting.map((r) => r.address), recipientStatus: waiting.map((r) => r.last_error ?? '') });
    }
    this.timers.push(setInterval(() => this.tick(), POLL_MS).unref());
    this.timers.push(setInterval(() => this.safe(() => this.delivery.sweep()), SWEEP_MS).unref());
    this.scheduleCategorize();
    return recovered;
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.o.log?.('queue-error', { error: String(e) });
    }
  }

  private tick(): void {
    if (this.closing) return;
    this.safe(() => {
      this.categorizeNow();
      this.delivery.pass();
    });
  }

  private scheduleCategorize(): void {
    if (this.categorizeScheduled || this.closing) return;
    this.categorizeScheduled = true;
    setImmediate(() => {
      this.categorizeScheduled = false;
      this.safe(() => this.categorizeNow());
    });
  }

  private categorizeNow(): void {
    if (this.store.queueSuspended(this.store.queueId(SUBMISSION)!)) return; // R152: a suspended Submission queue stops categorization
    // A batch short of CATEGORIZER_BATCH emptied the Submission queue: no query to find it empty.
    for (let n = 0; n < 50 && this.categorizer.run() === CATEGORIZER_BATCH; n++);
    this.delivery.kick();
  }

  admission(): SinkReply | undefined {
    const now = Date.now();
    if (now - this.pressure.at < 500) return this.pressure.reply;
    let reply: SinkReply | undefined;
    try {
      const fs = statfsSync(this.o.dataDir);
      const freeDisk = fs.bavail * fs.bsize;
      if (freeDisk < (this.o.minFreeDisk ?? DEFAULT_MIN_FREE_DISK) || freemem() < (this.o.minFreeMemory ?? DEFAULT_MIN_FREE_MEMORY)) reply = INSUFFICIENT_RESOURCES;
    } catch {
      reply = INSUFFICIENT_RESOURCES;
    }
    this.pressure = { at: now, reply };
    return reply;
  }

  async accept(message: AcceptedMessage): Promise<AcceptResult> {
    if (this.closing) throw sinkError({ code: 421, enhancedCode: '4.3.2', text: 'Service not available, closing transmission channel' });
    let id: number;
    try {
      id = await this.store.accept(message);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // A full disk while committing: the message was not accepted, the client keeps it (452).
      if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code === 'ENOSPC') throw sinkError(INSUFFICIENT_RESOURCES);
      throw e;
    }
    this.scheduleCategorize();
    return { queueId: String(id) };
  }

  /** ETRN (RFC 1985) and `queue retry`: the queues whose next hop is `domain` are tried now. */
  async startDelivery(domain: string): Promise<boolean> {
    const key = domain.toLowerCase();
    const counts = this.store.counts();
    let any = false;
    for (const q of this.store.queues()) {
      if (q.kind !== 'delivery' || q.next_hop_domain.toLowerCase() !== key) continue;
      this.store.setQueueState(q.id, { next_retry_time: null });
      this.store.db.prepare("UPDATE recipients SET next_attempt = 0 WHERE queue_id = ? AND state = 'pending'").run(q.id);
      if ((counts.get(q.id)?.recipients ?? 0) > 0) any = true;
    }
    this.delivery.kick();
    return any;
  }

  /** The configuration changed: route queued messages again (Unreachable included, R120). */
  reload(topology: Topology): number {
    this.topology = topology;
    this.delivery.endSessions();
    const n = this.categorizer.resubmitAll();
    this.scheduleCategorize();
    return n;
  }

  /** SIGTERM: stop taking work, let running deliveries finish their message, close the database. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        for (const t of this.timers) clearInterval(t);
        await this.store.settle();
        await this.delivery.drain();
        await this.store.stopCheckpointer();
        this.store.close();
      })();
    }
    return this.closing;
  }
}
