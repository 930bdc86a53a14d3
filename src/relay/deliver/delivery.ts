/**
 * Outbound delivery: drains each delivery queue to its next hop (R106, R150–R153, R160, R165).
 *
 * Per queue, up to `maxPerDomainOutboundConnections` sessions (and `maxOutboundConnections` in
 * all) each take the oldest due messages, send them one transaction after another over the same
 * connection (up to the connector's `smtpMaxMessagesPerConnection`), and record each recipient's
 * outcome: accepted → done (with a success DSN when asked and the next hop does not take DSN
 * itself), 5xx → NDR at once, 4xx → that recipient waits `MessageRetryInterval`. When no endpoint
 * of the hop answers, the queue goes to Retry (R160) and its messages wait there (queue at point
 * of failure) until the retry time, `mxt queue retry` or ETRN.
 *
 * Security: connects to next hops; reads smart-host passwords from the environment or a file the
 * connector names, never logs them.
 */
import { readFileSync } from 'node:fs';
import type { SendConnector, Server, Topology } from '../../core/model/topology.js';
import { expirationTime, messageTimers, nextMessageRetry, nextQueueRetry } from '../../core/policy/retry.js';
import { parseNotify, queueReport, type ReportRecipient } from '../queue/reports.js';
import { trackedMessage } from '../queue/tracking.js';
import type { MessageRow, QueueRow, QueueStore, RecipientRow } from '../queue/store.js';
import type { NextHopRoute } from '../categorizer/resolve.js';
import { resolveEndpoints, type EndpointOptions, type Endpoint } from './endpoints.js';
import { failureText, OutboundSession, type RecipientResult, type SessionOptions, type SmtpFailure, type TlsMode } from './smtp-client.js';

export interface DeliveryOptions {
  store: QueueStore;
  topology: () => Topology;
  self: () => Server;
  reportingMta: string;
  endpoints: Omit<EndpointOptions, 'topology' | 'self'>;
  now: () => number;
  /** The node's certificate for hops inside the organization (smtp-client.ts). */
  clientTls?: SessionOptions['clientTls'];
  /** Called after delivery results were written (tests, bench). */
  onProgress?: () => void;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

interface WorkItem {
  message: MessageRow;
  recipients: RecipientRow[];
}

/** How often a running session re-reads its queue's state (`mxt queue suspend` from another process). */
const SUSPEND_CHECK_MS = 200;

/** Shortest time between two scheduling passes (ms). */
const PASS_MS = 10;

/**
 * How long a connection whose queue ran dry waits for the next message to its hop before QUIT
 * (as Postfix's connection cache keeps one 2 s). Mail that trickles in, a message every few
 * milliseconds, then reuses the connection instead of paying a connect, greeting and EHLO each.
 */
export const IDLE_CONNECTION_MS = 2000;

/** A sent message waiting for its results to be written, and the session's next message with them. */
interface Settling {
  q: QueueRow;
  item: WorkItem;
  results: RecipientResult[];
  session: OutboundSession;
  next(): WorkItem | undefined;
  resolve(next: WorkItem | undefined): void;
  reject(error: unknown): void;
}

/** A connection waiting for work (see IDLE_CONNECTION_MS); `resume` hands it a taken message, or ends it. */
interface Parked {
  session: OutboundSession;
  resume(item: WorkItem | undefined): void;
}

const limit = (l: number | 'unlimited', fallback: number): number => (l === 'unlimited' ? fallback : l);

export class Delivery {
  private readonly inFlight = new Map<number, Set<number>>();
  private readonly sessions = new Map<number, number>();
  private total = 0;
  private stopping = false;
  private passScheduled = false;
  private lastPass = 0;
  private idleWaiters: (() => void)[] = [];
  /** Idle connections per queue, oldest first. */
  private readonly parked = new Map<number, Parked[]>();
  /** Raised by a configuration change: sessions opened before it take no further message. */
  private generation = 0;
  /** Sent messages whose results wait for this turn's commit (settle). */
  private settling: Settling[] = [];

  constructor(private readonly o: DeliveryOptions) {}

  /** Look for work soon (coalesced). */
  kick(): void {
    if (this.passScheduled || this.stopping) return;
    this.passScheduled = true;
    // At most one pass per PASS_MS: a pass reads every queue, and kicks come with every message.
    const wait = Math.max(0, this.lastPass + PASS_MS - Date.now());
    const run = (): void => {
      this.passScheduled = false;
      this.pass();
    };
    if (wait === 0) setImmediate(run);
    else setTimeout(run, wait);
  }

  /** Starts sessions for every queue that has due work and room for another connection. */
  pass(): void {
    if (this.stopping) return;
    this.lastPass = Date.now();
    const { store } = this.o;
    const now = this.o.now();
    const settings = this.o.self().transportService;
    const maxTotal = limit(settings.maxOutboundConnections, 1000);
    const perDomain = limit(settings.maxPerDomainOutboundConnections, 20);
    for (const q of store.queues()) {
      if (q.kind !== 'delivery' || q.suspended) continue;
      if (q.next_retry_time !== null && q.next_retry_time > now) continue;
      // In flight are at most one message per connection: twice the connection limit is enough to know.
      const n = store.dueCount(q.id, now, 2 * perDomain);
      if (n === 0) continue;
      this.wakeParked(q, n);
      const open = this.sessions.get(q.id) ?? 0;
      const busy = this.inFlight.get(q.id)?.size ?? 0;
      const want = Math.min(perDomain, Math.max(0, n - busy + open), maxTotal - this.total + open);
      for (let i = open; i < want; i++) this.startSession(q);
    }
  }

  /**
   * A sent message's results and the session's next message ("processing started" mark included),
   * written with those of every other session that finished in this event-loop turn: one commit
   * for all of them (each in its own savepoint, so one failing record leaves the others).
   */
  private settle(s: Omit<Settling, 'resolve' | 'reject'>): Promise<WorkItem | undefined> {
    return new Promise((resolve, reject) => {
      this.settling.push({ ...s, resolve, reject });
      if (this.settling.length === 1) setImmediate(() => this.commitResults());
    });
  }

  private commitResults(): void {
    const batch = this.settling;
    this.settling = [];
    const { store } = this.o;
    const outcomes: ({ ok: true; next: WorkItem | undefined } | { ok: false; error: unknown })[] = [];
    try {
      store.transaction(() => {
        for (const s of batch) {
          try {
            outcomes.push({
              ok: true,
              next: store.transaction(() => {
                this.record(s.q, s.item, s.results, s.session);
                return s.next();
              }),
            });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit failed: nothing of the batch was written; the messages taken next go back too.
      for (const [i, s] of batch.entries()) {
        const o = outcomes[i];
        if (o?.ok && o.next) this.release(s.q, o.next);
        s.reject(error);
      }
      return;
    }
    for (const [i, s] of batch.entries()) {
      const o = outcomes[i]!;
      if (o.ok) s.resolve(o.next);
      else s.reject(o.error);
    }
  }

  /** Idle connections to the queue's hop take its due messages first: no new connection for them. */
  private wakeParked(q: QueueRow, due: number): void {
    const parked = this.parked.get(q.id);
    if (!parked?.length) return;
    // A connection the next hop closed while it waited ends; the others share one take.
    for (const p of parked.filter((x) => !x.session.usable)) p.resume(undefined);
    const want = Math.min(parked.length, due - (this.inFlight.get(q.id)?.size ?? 0));
    if (want <= 0) return;
    for (const item of this.take(q, want)) parked[0]!.resume(item);
  }

  /** Waits up to IDLE_CONNECTION_MS for pass() to hand this connection a message of its queue. */
  private park(q: QueueRow, session: OutboundSession): Promise<WorkItem | undefined> {
    let list = this.parked.get(q.id);
    if (!list) this.parked.set(q.id, (list = []));
    const queue = list;
    return new Promise((resolve) => {
      const entry: Parked = {
        session,
        resume: (item) => {
          clearTimeout(timer);
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          resolve(item);
        },
      };
      const timer = setTimeout(() => entry.resume(undefined), IDLE_CONNECTION_MS);
      queue.push(entry);
    });
  }

  /**
   * The configuration changed (SIGHUP): connections opened on the old one finish the message they
   * are sending and close, idle ones at once, so the next message goes where the new config says.
   */
  endSessions(): void {
    this.generation++;
    this.closeIdle();
  }

  private closeIdle(): void {
    for (const list of this.parked.values()) for (const p of [...list]) p.resume(undefined);
  }

  /** Stops starting sessions and waits for those running to finish their current message. */
  async drain(): Promise<void> {
    this.stopping = true;
    this.closeIdle();
    if (this.total === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get busy(): boolean {
    return this.total > 0;
  }

  private startSession(q: QueueRow): void {
    this.total++;
    this.sessions.set(q.id, (this.sessions.get(q.id) ?? 0) + 1);
    void this.runSession(q)
      .catch((e) => this.o.log?.('delivery-error', { queue: q.id, error: String(e) }))
      .finally(() => {
        this.total--;
        this.sessions.set(q.id, (this.sessions.get(q.id) ?? 1) - 1);
        if (this.total === 0) for (const w of this.idleWaiters.splice(0)) w();
        if (!this.stopping) this.kick();
      });
  }

  private take(q: QueueRow, n: number): WorkItem[] {
    const { store } = this.o;
    let busy = this.inFlight.get(q.id);
    if (!busy) this.inFlight.set(q.id, (busy = new Set()));
    const items = store.dueWork(q.id, this.o.now(), n, busy);
    for (const it of items) busy.add(it.message.id);
    store.markInProcess(items.map((i) => i.message.id), 2);
    return items;
  }

  private release(q: QueueRow, item: WorkItem): void {
    this.inFlight.get(q.id)?.delete(item.message.id);
  }

  private async runSession(q: QueueRow): Promise<void> {
    const { store } = this.o;
    const generation = this.generation;
    const hop = JSON.parse(q.hop) as NextHopRoute;
    const topology = this.o.topology();
    const self = this.o.self();
    const resolution = await resolveEndpoints(hop, { ...this.o.endpoints, topology, self });
    if (!resolution.ok) {
      if (resolution.permanent) {
        // e.g. a null MX: every message of the queue fails now (R165).
        for (let items = this.take(q, 50); items.length; items = this.take(q, 50)) {
          for (const it of items) this.record(q, it, it.recipients.map((r) => ({ address: r.address, ok: false, failure: { connection: false, permanent: true, code: resolution.code, enhancedCode: resolution.enhancedCode, text: resolution.text } })), undefined);
        }
      } else this.queueRetry(q, `${resolution.code} ${resolution.enhancedCode} ${resolution.text}`);
      return;
    }
    const connector = resolution.connector;
    let session: OutboundSession | undefined;
    let lastFailure: SmtpFailure | undefined;
    const perConnection = connector?.smtpMaxMessagesPerConnection ?? 20;
    let auth: SessionOptions['auth'];
    try {
      auth = credential(connector);
    } catch (e) {
      this.queueRetry(q, `451 4.7.0 ${(e as Error).message}`);
      return;
    }
    for (const endpoint of resolution.endpoints) {
      if (this.stopping) return;
      try {
        session = await OutboundSession.open(sessionOptions(endpoint, connector, self, hop, auth, this.o.clientTls));
        break;
      } catch (e) {
        lastFailure = e as SmtpFailure;
      }
    }
    if (!session) {
      this.queueRetry(q, lastFailure ? failureText(lastFailure) : '451 4.4.1 No endpoint answered');
      return;
    }
    store.setQueueState(q.id, { status: 'Active', retry_count: 0, last_error: null, next_retry_time: null, first_retry_time: null });
    try {
      let checked = Date.now();
      const open = session;
      let suspended = false;
      const usable = (): boolean => !this.stopping && !suspended && generation === this.generation && open.usable && open.sent < perConnection;
      const next = (): WorkItem | undefined => {
        if (!usable()) return undefined;
        if (Date.now() - checked > SUSPEND_CHECK_MS) {
          checked = Date.now();
          const fresh = store.queue(q.id);
          suspended = !fresh || fresh.suspended === 1; // R152: a suspended queue lets the current message finish
          if (suspended) return undefined;
        }
        return this.take(q, 1)[0];
      };
      // Nothing due now: a connection that has sent stays open a while for the next message
      // (IDLE_CONNECTION_MS); one that found nothing to send at all was not needed.
      for (let item = next(); item || (open.sent > 0 && usable()); ) {
        item ??= await this.park(q, open);
        if (!item) break;
        const current: WorkItem = item;
        let results: RecipientResult[];
        try {
          results = await this.sendItem(open, current);
          const refused = this.hopRefusedAuthentication(q, results);
          if (refused) throw refused;
        } catch (e) {
          // The session broke mid-transaction: the message stays queued, the queue retries (R160).
          this.release(q, current);
          store.stepDone(current.message.id);
          this.queueRetry(q, failureText(e as SmtpFailure));
          return;
        }
        try {
          item = await this.settle({ q, item: current, results, session: open, next });
        } catch (e) {
          // Rolled back: the message stays queued (delivered again later, never lost) and may be taken again.
          this.release(q, current);
          throw e;
        }
      }
      if (!store.hasPending(q.id)) store.setQueueState(q.id, { status: 'Ready' });
    } finally {
      session.close();
    }
  }

  /**
   * Between the organization's own servers a refusal for want of authentication (RFC 4954's 530 at
   * MAIL FROM) says the hop is misconfigured, not the message bad: as Exchange does, the message
   * stays in the queue, which goes to Retry with "Primary target IP address responded with …", and
   * flows once the servers authenticate (mxt relay cert). Elsewhere (smart hosts, MX hosts) it bounces.
   */
  private hopRefusedAuthentication(q: QueueRow, results: readonly RecipientResult[]): SmtpFailure | undefined {
    if (q.delivery_type === 'DnsConnectorDelivery' || q.delivery_type === 'SmartHostConnectorDelivery') return undefined;
    const f = results[0]?.failure;
    if (!f?.atMailFrom || f.code !== 530 || !results.every((r) => r.failure?.atMailFrom)) return undefined;
    return { connection: true, permanent: false, code: 451, enhancedCode: '4.4.0', text: `Primary target IP address responded with: "${failureText(f)}"` };
  }

  private async sendItem(session: OutboundSession, item: WorkItem): Promise<RecipientResult[]> {
    const m = item.message;
    const content = this.o.store.content(m.id);
    // nodemailer gives NOTIFY and ORCPT per transaction: recipients that differ in them go separately.
    const groups = new Map<string, RecipientRow[]>();
    for (const r of item.recipients) {
      const k = `${r.notify ?? ''}\u0000${r.orcpt ?? ''}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    const results: RecipientResult[] = [];
    for (const rs of groups.values()) {
      const first = rs[0]!;
      const dsn = first.notify || first.orcpt || m.ret || m.envid ? { ret: m.ret ?? undefined, envid: m.envid ?? undefined, notify: first.notify ?? undefined, orcpt: first.orcpt ?? undefined } : undefined;
      results.push(...(await session.send({ from: m.sender, to: rs.map((r) => r.address), size: content.length, use8BitMime: m.body_type !== '7BIT', dsn }, content)));
    }
    return results;
  }

  /** Writes one message's results and the reports they call for, in one transaction. */
  private record(q: QueueRow, item: WorkItem, results: RecipientResult[], session: OutboundSession | undefined): void {
    const { store } = this.o;
    const now = this.o.now();
    const settings = this.o.self().transportService;
    const byAddress = new Map(results.map((r) => [r.address.toLowerCase(), r]));
    const failed: ReportRecipient[] = [];
    const succeeded: ReportRecipient[] = [];
    const local = q.delivery_type === 'SmtpDeliveryToMailbox';
    store.transaction(() => {
      const retries: { r: RecipientRow; error: string }[] = [];
      const done: { r: RecipientRow; outcome: 'delivered' | 'failed'; error: string | null }[] = [];
      for (const r of item.recipients) {
        const res = byAddress.get(r.address.toLowerCase());
        if (res?.ok) {
          done.push({ r, outcome: 'delivered', error: null });
          // RFC 3461 §5.2.2: a next hop that takes DSN carries NOTIFY on; otherwise mxt reports.
          const notify = parseNotify(r.notify);
          if (notify?.includes('SUCCESS') && (local || !session?.supportsDsn)) {
            succeeded.push({ address: r.address, notify: r.notify, orcpt: r.orcpt, status: '2.0.0', remoteMta: session?.endpoint.name });
          }
        } else {
          const f = res?.failure ?? { connection: false, permanent: false, code: 451, enhancedCode: '4.4.0', text: 'No reply for this recipient' };
          if (f.permanent) {
            done.push({ r, outcome: 'failed', error: failureText(f) });
            failed.push({ address: r.address, notify: r.notify, orcpt: r.orcpt, status: f.enhancedCode, diagnostic: failureText(f), remoteMta: session?.endpoint.name });
          } else retries.push({ r, error: failureText(f) });
        }
      }
      const sent = item.recipients.filter((r) => byAddress.get(r.address.toLowerCase())?.ok).map((r) => r.address);
      const hop = { ...trackedMessage(item.message), connectorId: q.next_hop_connector || null, nextHopDomain: q.next_hop_domain, ...(session ? { serverIp: session.endpoint.host, serverHostname: session.endpoint.name } : {}) };
      if (sent.length) store.track({ eventId: 'SEND', source: 'SMTP', ...hop, recipients: sent });
      if (failed.length) store.track({ eventId: 'FAIL', source: 'SMTP', ...hop, recipients: failed.map((f) => f.address), recipientStatus: failed.map((f) => f.diagnostic ?? f.status) });
      if (failed.length) queueReport(store, this.o.reportingMta, item.message, 'failed', failed, now);
      if (succeeded.length) queueReport(store, this.o.reportingMta, item.message, local ? 'delivered' : 'relayed', succeeded, now);
      // The message's last pending recipients, all finished: it goes at once, no row marked done first.
      if (retries.length === 0 && store.finishWith(item.message.id, done.length)) return;
      for (const d of done) store.recipientDone(d.r, d.outcome, d.error);
      for (const t of retries) store.recipientRetry(t.r, t.error, nextMessageRetry(settings, now, item.message.received_at));
      store.stepDone(item.message.id);
      store.finishIfDone(item.message.id);
    });
    this.release(q, item);
    this.o.onProgress?.();
  }

  /** R160: the queue waits; its retry time follows the glitch, transient and outbound intervals. */
  private queueRetry(q: QueueRow, error: string): void {
    const { store } = this.o;
    const now = this.o.now();
    const fresh = store.queue(q.id) ?? q;
    const failures = fresh.retry_count + 1;
    const oldest = store.db.prepare("SELECT min(m.received_at) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE r.queue_id = ? AND r.state = 'pending'").pluck().get(q.id) as number | null;
    store.setQueueState(q.id, {
      status: 'Retry',
      last_error: error,
      retry_count: failures,
      first_retry_time: fresh.first_retry_time ?? now,
      last_retry_time: now,
      next_retry_time: nextQueueRetry(this.o.self().transportService, failures, now, oldest ?? undefined),
    });
    this.o.log?.('queue-retry', { queue: q.next_hop_domain, error });
  }

  /**
   * R163/R164: delay DSNs once `DelayNotificationTimeout` has passed and NDRs for what expired
   * (`MessageExpirationTimeout` since the message entered this server). Messages being sent now are
   * left for the next sweep.
   */
  sweep(): void {
    const { store } = this.o;
    const now = this.o.now();
    const s = this.o.self().transportService;
    const horizon = now - Math.min(s.delayNotificationTimeout, s.messageExpirationTimeout);
    const busy = new Set([...this.inFlight.values()].flatMap((set) => [...set]));
    for (const m of store.messagesOlderThan(horizon)) {
      if (busy.has(m.id)) continue;
      const t = messageTimers(s, m.received_at, now, m.delay_sent === 1);
      if (!t.expired && !t.delayDue) continue;
      const pending = store.recipientsOf(m.id).filter((r) => r.state === 'pending');
      store.transaction(() => {
        if (t.expired) {
          const report: ReportRecipient[] = pending.map((r) => {
            const q = store.queue(r.queue_id);
            const text = q?.kind === 'unreachable' ? `550 4.4.7 QUEUE.Expired; message expired in unreachable destination queue. Reason: ${r.last_error ?? ''}` : `550 4.4.7 QUEUE.Expired; message expired${r.last_error ? ` (last error: ${r.last_error})` : ''}`;
            store.recipientDone(r, 'failed', text);
            return { address: r.address, notify: r.notify, orcpt: r.orcpt, status: '4.4.7', diagnostic: text };
          });
          if (report.length) store.track({ eventId: 'FAIL', source: 'QUEUE', ...trackedMessage(m), recipients: report.map((r) => r.address), recipientStatus: report.map((r) => r.diagnostic ?? r.status) });
          queueReport(store, this.o.reportingMta, m, 'failed', report, now);
          store.finishIfDone(m.id);
        } else {
          const until = new Date(expirationTime(s, m.received_at));
          queueReport(store, this.o.reportingMta, m, 'delayed', pending.map((r) => ({ address: r.address, notify: r.notify, orcpt: r.orcpt, status: '4.4.7', diagnostic: r.last_error ?? undefined, willRetryUntil: until })), now);
          store.markDelaySent(m.id);
        }
      });
    }
  }
}

function sessionOptions(endpoint: Endpoint, connector: SendConnector | undefined, self: Server, hop: NextHopRoute, auth: SessionOptions['auth'], clientTls: SessionOptions['clientTls']): SessionOptions {
  const external = hop.deliveryType === 'DnsConnectorDelivery' || hop.deliveryType === 'SmartHostConnectorDelivery';
  let tls: TlsMode = 'opportunistic';
  if (external && connector) {
    if (connector.ignoreSTARTTLS) tls = 'none';
    if (connector.requireTLS || connector.smartHostAuthMechanism === 'BasicAuthRequireTLS') tls = 'require';
  }
  const level = external ? connector?.tlsAuthLevel : undefined;
  return {
    endpoint,
    heloName: (external && connector?.fqdn) || self.fqdn,
    tls,
    verifyCertificate: level === 'CertificateValidation' || level === 'DomainValidation',
    tlsDomain: level === 'DomainValidation' ? connector?.tlsDomain || (hop.deliveryType === 'DnsConnectorDelivery' ? hop.domain : undefined) : undefined,
    auth,
    ...(!external && clientTls ? { clientTls } : {}),
    socketTimeout: connector?.connectionInactivityTimeOut ?? 600_000,
  };
}

/** The smart-host credential (R107): the password comes from the env var or file the connector names. */
function credential(connector: SendConnector | undefined): SessionOptions['auth'] {
  if (!connector || (connector.smartHostAuthMechanism !== 'BasicAuth' && connector.smartHostAuthMechanism !== 'BasicAuthRequireTLS')) return undefined;
  const c = connector.authenticationCredential;
  if (!c) throw new Error(`send connector ${connector.name} uses ${connector.smartHostAuthMechanism} but has no authenticationCredential`);
  if (c.passwordEnv) {
    const pass = process.env[c.passwordEnv];
    if (pass === undefined) throw new Error(`environment variable ${c.passwordEnv} (password of send connector ${connector.name}) is not set`);
    return { user: c.username, pass };
  }
  if (c.passwordFile) return { user: c.username, pass: readFileSync(c.passwordFile, 'utf8').trim() };
  throw new Error(`send connector ${connector.name}: authenticationCredential names no passwordEnv or passwordFile`);
}
