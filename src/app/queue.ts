/**
 * Use cases of `mxt queue list|show|retry|suspend|resume|remove` (R175–R177): read and change a
 * running relay's queues through its data folder's database (WAL lets the relay keep writing; it
 * reads queue and message states at each scheduling pass, so a change takes effect within a
 * fraction of a second). Returns data; never prints.
 *
 * Identities (R141): `<Server>\Submission`, `<Server>\Unreachable`, `<Server>\Poison`,
 * `<Server>\<integer>` (a delivery queue), or a queue's NextHopDomain; messages `<Server>\<Queue>\<n>`
 * or `<Server>\*\<n>` (every copy of message n).
 *
 * Security: opens the relay's queue database read-write.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { DEFAULT_DATA_DIR, serverDataDir } from '../relay/queue/data-dir.js';
import { nextHopCategory, POISON, queueIdentity, SUBMISSION, UNREACHABLE } from '../relay/queue/keys.js';
import { queueReport } from '../relay/queue/reports.js';
import { DATABASE_FILE, QueueStore, type MessageRow, type QueueRow, type RecipientRow } from '../relay/queue/store.js';

export interface QueueTarget {
  dataDir?: string;
  server?: string;
  cwd: string;
}

/** Get-Queue's properties (R175) that a queue of mxt's relay has. */
export interface QueueInfo {
  Identity: string;
  DeliveryType: string;
  NextHopDomain: string;
  NextHopConnector: string;
  NextHopCategory: 'External' | 'Internal';
  Status: string;
  MessageCount: number;
  DeferredMessageCount: number;
  LockedMessageCount: number;
  IncomingRate: number;
  OutgoingRate: number;
  Velocity: number;
  LastError: string | null;
  RetryCount: number;
  FirstRetryTime: string | null;
  LastRetryTime: string | null;
  NextRetryTime: string | null;
  TlsDomain: string | null;
  RiskLevel: 'Normal';
  OutboundIPPool: number;
}

export interface RecipientInfo {
  Address: string;
  Status: string;
  LastError: string | null;
  Queue: string;
  RetryCount: number;
}

/** Get-Message's properties (R177). */
export interface MessageInfo {
  Identity: string;
  FromAddress: string;
  Status: string;
  Size: number;
  Queue: string;
  Subject: string | null;
  InternetMessageId: string | null;
  DateReceived: string;
  LastError: string | null;
  RetryCount: number;
  MessageSourceName: string;
  SourceIP: string;
  Recipients: RecipientInfo[];
}

interface Opened {
  store: QueueStore;
  server: string;
  dataDir: string;
}

/**
 * The queue database's folder: `--data-dir` as given to `relay start` (or `.mxt`), then the
 * server's own folder in it (`--server`, or the only one there); a folder holding the database
 * itself is taken as it is.
 */
function resolveDataDir(t: QueueTarget): string {
  const root = t.dataDir ?? join(t.cwd, DEFAULT_DATA_DIR);
  if (existsSync(join(root, DATABASE_FILE))) return root;
  if (t.server) return serverDataDir(root, t.server);
  let names: string[] = [];
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, e.name, DATABASE_FILE)))
      .map((e) => e.name);
  } catch {
    // no data folder: reported below
  }
  if (names.length === 1) return join(root, names[0]!);
  throw new UserError(
    names.length ? `several relays keep their queues under ${root}: ${names.join(', ')}` : `${root}: no queue database`,
    'give --server NAME and/or --data-dir DIR (the folder given to mxt relay start); is a relay running there?',
  );
}

function open(t: QueueTarget): Opened {
  const dataDir = resolveDataDir(t);
  const store = QueueStore.openExisting(dataDir);
  if (!store) throw new UserError(`${dataDir}: no queue database`, 'is a relay running with this --data-dir (or --server)?');
  return { store, dataDir, server: store.meta('server') ?? t.server ?? 'Server' };
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

function queueInfo(o: Opened, q: QueueRow, counts: ReturnType<QueueStore['counts']>): QueueInfo {
  const c = counts.get(q.id);
  const messages = c?.messages ?? 0;
  const deferred = messages - Math.min(messages, c?.due ?? 0);
  const status = q.kind === 'poison' || q.suspended ? 'Suspended' : q.kind === 'delivery' ? (messages === 0 ? 'Ready' : q.status) : messages ? 'Active' : 'Ready';
  return {
    Identity: queueIdentity(o.server, q.kind, q.id),
    DeliveryType: q.delivery_type,
    NextHopDomain: q.next_hop_domain,
    NextHopConnector: q.next_hop_connector || '00000000-0000-0000-0000-000000000000',
    NextHopCategory: nextHopCategory(q.delivery_type),
    Status: status,
    MessageCount: messages,
    DeferredMessageCount: deferred,
    LockedMessageCount: 0,
    IncomingRate: 0,
    OutgoingRate: 0,
    Velocity: 0,
    LastError: q.last_error,
    RetryCount: q.retry_count,
    FirstRetryTime: iso(q.first_retry_time),
    LastRetryTime: iso(q.last_retry_time),
    NextRetryTime: iso(q.next_retry_time),
    TlsDomain: null,
    RiskLevel: 'Normal',
    OutboundIPPool: 0,
  };
}

/** Get-Queue: every queue, empty Poison hidden (R140). */
export function listQueues(t: QueueTarget): { server: string; dataDir: string; queues: QueueInfo[] } {
  const o = open(t);
  try {
    const counts = o.store.counts();
    const queues = o.store
      .queues()
      .filter((q) => q.kind !== 'poison' || (counts.get(q.id)?.messages ?? 0) > 0)
      .map((q) => queueInfo(o, q, counts));
    return { server: o.server, dataDir: o.dataDir, queues };
  } finally {
    o.store.close();
  }
}

function findQueue(o: Opened, identity: string): QueueRow {
  const local = identity.includes('\\') ? identity.slice(identity.indexOf('\\') + 1) : identity;
  const queues = o.store.queues();
  const found =
    queues.find((q) => q.kind === local.toLowerCase()) ??
    queues.find((q) => q.kind === 'delivery' && String(q.id) === local) ??
    queues.find((q) => q.next_hop_domain.toLowerCase() === local.toLowerCase());
  if (!found) throw new UserError(`queue ${identity} not found`, `mxt queue list shows the identities (e.g. ${o.server}\\Submission, ${o.server}\\3)`);
  return found;
}

/** `Server\Queue\n` or `Server\*\n`: the message integer and, unless `*`, the queue. */
function parseMessageIdentity(o: Opened, identity: string): { messageId: number; queue?: QueueRow } | undefined {
  const parts = identity.split('\\');
  if (parts.length !== 3 || !/^\d+$/.test(parts[2]!)) return undefined;
  return { messageId: Number(parts[2]), queue: parts[1] === '*' ? undefined : findQueue(o, `${parts[0]}\\${parts[1]}`) };
}

function messageInfo(o: Opened, m: MessageRow, queue: QueueRow | undefined, recipients: RecipientRow[], queues: Map<number, QueueRow>): MessageInfo {
  const pending = recipients.filter((r) => r.state === 'pending' && (!queue || r.queue_id === queue.id));
  const q = queue ?? queues.get(pending[0]?.queue_id ?? -1);
  const now = Date.now();
  const status = m.suspended ? 'Suspended' : m.in_process ? 'Active' : pending.some((r) => r.next_attempt > now || q?.status === 'Retry') ? 'Retry' : 'Ready';
  return {
    Identity: `${o.server}\\${q ? queueIdentity(o.server, q.kind, q.id).split('\\')[1] : '*'}\\${m.id}`,
    FromAddress: m.sender,
    Status: status,
    Size: m.size,
    Queue: q ? queueIdentity(o.server, q.kind, q.id) : '',
    Subject: m.subject,
    InternetMessageId: m.internet_message_id,
    DateReceived: new Date(m.received_at).toISOString(),
    LastError: pending.find((r) => r.last_error)?.last_error ?? null,
    RetryCount: Math.max(0, ...pending.map((r) => r.retry_count)),
    MessageSourceName: m.receive_connector || 'DSN',
    SourceIP: m.remote_address,
    Recipients: pending.map((r) => ({
      Address: r.address,
      Status: r.next_attempt > now ? 'Retry' : 'Ready',
      LastError: r.last_error,
      Queue: queueIdentity(o.server, queues.get(r.queue_id)!.kind, r.queue_id),
      RetryCount: r.retry_count,
    })),
  };
}

export type ShowResult = { kind: 'queue'; queue: QueueInfo; messages: MessageInfo[] } | { kind: 'message'; message: MessageInfo };

/** Get-Queue -Identity with its Get-Message -Queue, or Get-Message -Identity -IncludeRecipientInfo. */
export function showQueueOrMessage(t: QueueTarget, identity: string): ShowResult {
  const o = open(t);
  try {
    const queues = new Map(o.store.queues().map((q) => [q.id, q]));
    const asMessage = parseMessageIdentity(o, identity);
    if (asMessage) {
      const m = o.store.message(asMessage.messageId);
      if (!m) throw new UserError(`message ${identity} not found`, 'it may have been delivered already; mxt queue show QUEUE lists what waits');
      return { kind: 'message', message: messageInfo(o, m, asMessage.queue, o.store.recipientsOf(m.id), queues) };
    }
    const q = findQueue(o, identity);
    const ids = o.store.db.prepare("SELECT DISTINCT message_id FROM recipients WHERE queue_id = ? AND state = 'pending' ORDER BY message_id LIMIT 1000").pluck().all(q.id) as number[];
    const messages = ids.map((id) => messageInfo(o, o.store.message(id)!, q, o.store.recipientsOf(id), queues));
    return { kind: 'queue', queue: queueInfo(o, q, o.store.counts()), messages };
  } finally {
    o.store.close();
  }
}

/** Retry-Queue (R161): try now; `resubmit` sends the queue's messages back through the categorizer. */
export function retryQueue(t: QueueTarget, identity: string, resubmit: boolean): { identity: string; messages: number } {
  const o = open(t);
  try {
    const q = findQueue(o, identity);
    if (q.kind === 'unreachable' && !resubmit) throw new UserError(`${identity}: the Unreachable queue is retried with --resubmit`, 'R161: Retry-Queue -Resubmit $true');
    if (q.kind === 'poison' || q.kind === 'submission') throw new UserError(`${identity}: only delivery queues and the Unreachable queue can be retried`);
    const submission = o.store.queueId(SUBMISSION)!;
    const n = o.store.transaction(() => {
      o.store.setQueueState(q.id, { next_retry_time: null });
      return resubmit
        ? o.store.db.prepare("UPDATE recipients SET queue_id = ?, next_attempt = 0 WHERE queue_id = ? AND state = 'pending'").run(submission, q.id).changes
        : o.store.db.prepare("UPDATE recipients SET next_attempt = 0 WHERE queue_id = ? AND state = 'pending'").run(q.id).changes;
    });
    return { identity: queueIdentity(o.server, q.kind, q.id), messages: n };
  } finally {
    o.store.close();
  }
}

/** Suspend-Queue / Resume-Queue, or Suspend-Message / Resume-Message for a message identity (R152, R153). */
export function setSuspended(t: QueueTarget, identity: string, suspended: boolean): { identity: string; kind: 'queue' | 'message' } {
  const o = open(t);
  try {
    const asMessage = parseMessageIdentity(o, identity);
    if (asMessage) {
      const m = o.store.message(asMessage.messageId);
      if (!m) throw new UserError(`message ${identity} not found`);
      if (!suspended && m.suspended && o.store.recipientsOf(m.id).some((r) => r.queue_id === o.store.queueId(POISON))) {
        // Resuming a poison message: it gets its crash count back to zero and goes through the categorizer again.
        o.store.db.prepare("UPDATE recipients SET queue_id = ? WHERE message_id = ? AND state = 'pending'").run(o.store.queueId(SUBMISSION), m.id);
        o.store.db.prepare('UPDATE messages SET crash_count = 0, delivery_crash_count = 0 WHERE id = ?').run(m.id);
      }
      o.store.db.prepare('UPDATE messages SET suspended = ? WHERE id = ?').run(suspended ? 1 : 0, m.id);
      return { identity, kind: 'message' };
    }
    const q = findQueue(o, identity);
    if (q.kind === 'poison') throw new UserError(`${identity}: the Poison queue is always suspended`, 'resume its messages one by one: mxt queue resume SERVER\\Poison\\N');
    o.store.setQueueState(q.id, { suspended: suspended ? 1 : 0, ...(suspended ? {} : { next_retry_time: null }) });
    return { identity: queueIdentity(o.server, q.kind, q.id), kind: 'queue' };
  } finally {
    o.store.close();
  }
}

/** Remove-Message (R177): with an NDR unless `withNdr` is false; messages in Submission cannot be removed. */
export function removeMessage(t: QueueTarget, identity: string, withNdr: boolean): { identity: string; recipients: number } {
  const o = open(t);
  try {
    const parsed = parseMessageIdentity(o, identity);
    if (!parsed) throw new UserError(`${identity} is not a message identity`, 'e.g. EX01\\3\\12 or EX01\\*\\12 (mxt queue show QUEUE lists them)');
    const m = o.store.message(parsed.messageId);
    if (!m) throw new UserError(`message ${identity} not found`);
    const submission = o.store.queueId(SUBMISSION)!;
    const pending = o.store.recipientsOf(m.id).filter((r) => r.state === 'pending' && (!parsed.queue || r.queue_id === parsed.queue.id));
    if (pending.some((r) => r.queue_id === submission)) throw new UserError(`${identity}: messages in the Submission queue cannot be removed`, 'R177: wait until it is categorized');
    o.store.transaction(() => {
      const text = '550 4.3.2 QUEUE.Admin; message deleted by administrative action';
      for (const r of pending) o.store.recipientDone(r, 'removed', text);
      const unreachable = o.store.queueId(UNREACHABLE);
      if (withNdr) queueReport(o.store, o.store.meta('fqdn') ?? 'localhost', m, 'failed', pending.map((r) => ({ address: r.address, notify: r.notify, orcpt: r.orcpt, status: '4.3.2', diagnostic: r.queue_id === unreachable ? `${text} (${r.last_error ?? ''})` : text })), Date.now());
      o.store.finishIfDone(m.id);
    });
    return { identity, recipients: pending.length };
  } finally {
    o.store.close();
  }
}
