/**
 * The durable queue database of one server (R140): SQLite through better-sqlite3, WAL journal.
 *
 * Group commit: `accept()` appends the message to an in-memory batch and schedules one flush with
 * setImmediate, so every session whose final data command arrived in the same event-loop turn
 * shares one transaction. The transaction commits with `synchronous=NORMAL` (WAL frames written,
 * no fsync: cheap, and the event loop is never blocked on the disk); then one `fdatasync` of the
 * WAL file runs on libuv's thread pool. Messages accepted while it runs wait in the batch; when it
 * returns they commit in one transaction and the next fdatasync starts: one commit and one fsync
 * per group, however many sessions and event-loop turns it spans. Every promise resolves only
 * after the fdatasync that covers its commit returned, so a 250 is never sent before the message
 * is on disk. (A checkpoint that moves WAL frames into the database file syncs that file first, so
 * frames are never lost by a WAL reset.)
 *
 * Everything else the relay writes (categorization, "processing started" marks, delivery results,
 * queue states) commits with `synchronous=NORMAL` and is not waited for: WAL order means a power
 * loss can only drop a suffix of those, which redoes work (a message delivered twice, never lost),
 * and a process crash loses nothing that reached the kernel. Only the acceptance must survive a
 * power loss, and it is always before those in the WAL.
 *
 * Security: writes the data folder (mode 0700); message bodies are stored as received.
 */
import type { MessageTracker } from './tracking.js';
import Database from 'better-sqlite3';
import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AcceptedMessage, EnvelopeRecipient } from '../sink.js';
import { headerValue } from '../../core/policy/dsn.js';
import { DDL, MIGRATE_1_TO_2, SCHEMA_VERSION } from './schema.js';
import { Checkpointer } from './checkpointer.js';
import { createRequire } from 'node:module';
import { POISON, queueKey, SUBMISSION, UNREACHABLE, type QueueDeliveryType, type QueueKind } from './keys.js';

export const DATABASE_FILE = 'queue.db';

/**
 * Where better-sqlite3 is, for the checkpointer's worker: the bundle (CommonJS) has `require`; the
 * ES modules in dist/ (tests, benchmarks) resolve from the entry script, inside the project.
 */
function sqlitePath(): string {
  return (typeof require === 'function' ? require : createRequire(process.argv[1] ?? join(process.cwd(), 'index.js'))).resolve('better-sqlite3');
}

/** Crashes during categorization before a message is poison (Exchange's PoisonThreshold default). */
export const POISON_THRESHOLD = 2;


export interface QueueRow {
  id: number;
  key: string;
  kind: QueueKind;
  delivery_type: QueueDeliveryType;
  next_hop_domain: string;
  next_hop_connector: string;
  hop: string;
  status: string;
  suspended: number;
  last_error: string | null;
  retry_count: number;
  first_retry_time: number | null;
  last_retry_time: number | null;
  next_retry_time: number | null;
  created_at: number;
}

export interface MessageRow {
  id: number;
  front_id: string;
  received_at: number;
  receive_connector: string;
  remote_address: string;
  helo: string;
  authenticated_as: string | null;
  sender: string;
  body_type: string;
  smtputf8: number;
  ret: 'FULL' | 'HDRS' | null;
  envid: string | null;
  size: number;
  subject: string | null;
  internet_message_id: string | null;
  in_process: number;
  crash_count: number;
  delay_sent: number;
  suspended: number;
}

export interface RecipientRow {
  id: number;
  message_id: number;
  address: string;
  notify: string | null;
  orcpt: string | null;
  queue_id: number;
  state: 'pending' | 'done';
  outcome: string | null;
  last_error: string | null;
  retry_count: number;
  next_attempt: number;
  connector: string | null;
}

/** Where the categorizer puts one recipient (the hop is stored on the queue). */
export interface Placement {
  address: string;
  notify?: string | null;
  orcpt?: string | null;
  queue: QueueSpec;
  lastError?: string;
  connector?: string | null;
}

export interface QueueSpec {
  kind: QueueKind;
  deliveryType: QueueDeliveryType;
  domain: string;
  connector?: string;
  hop?: unknown;
}

/** A message to queue that the relay made itself (a DSN). */
export interface GeneratedMessage {
  sender: string;
  recipients: EnvelopeRecipient[];
  content: Buffer;
  frontId: string;
  now: number;
}

interface Pending {
  message: AcceptedMessage;
  resolve: (id: number) => void;
  reject: (e: unknown) => void;
}

/** How much of a message is read for Subject and Message-ID (queue show). */
const HEADER_PEEK = 64 * 1024;

/** On the messages_received index: the sweep reads the old messages, not the whole table. */
export const MESSAGES_OLDER_THAN = `SELECT id, front_id, received_at, receive_connector, remote_address, helo, authenticated_as, sender, body_type, smtputf8, ret, envid, size, subject, internet_message_id, in_process, crash_count, delay_sent, suspended
  FROM messages m WHERE received_at <= ? AND suspended = 0 AND EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.state = 'pending')`;

export class QueueStore {
  readonly db: Database.Database;
  readonly file: string;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private unsynced: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private syncing = false;
  private settled: (() => void)[] = [];
  private wal: number | undefined;
  private checkpointer: Checkpointer | undefined;
  private closed = false;
  /** Count of group commits and of messages they carried (bench and tests read them). */
  readonly commits = { batches: 0, messages: 0 };
  /** Message tracking (tracking.ts): every stage that shares the store tells it what it decided. */
  track: MessageTracker = () => {};
  private readonly queueIds = new Map<string, number>();
  private readonly queueHops = new Map<number, string>();
  private readonly stmts: ReturnType<QueueStore['prepare']>;
  private readonly cache = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per connection (preparing costs more than running). */
  sql(text: string): Database.Statement {
    let st = this.cache.get(text);
    if (!st) this.cache.set(text, (st = this.db.prepare(text)));
    return st;
  }

  private constructor(file: string, readonly: boolean) {
    this.file = file;
    this.db = new Database(file, { readonly, fileMustExist: readonly });
    this.db.pragma('busy_timeout = 5000');
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(DDL);
      this.sql('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schemaVersion', String(SCHEMA_VERSION));
      if (this.meta('schemaVersion') === '1') {
        this.transaction(() => {
          this.db.exec(MIGRATE_1_TO_2);
          this.setMeta('schemaVersion', String(SCHEMA_VERSION));
        });
      }
    }
    this.stmts = this.prepare();
    if (!readonly) for (const q of [SUBMISSION, UNREACHABLE, POISON]) this.ensureQueue(q, 0);
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  meta(key: string): string | undefined {
    return (this.sql('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? undefined;
  }

  /** Opens an existing queue database (for `mxt queue`), or undefined when there is none. */
  static openExisting(dataDir: string): QueueStore | undefined {
    const file = join(dataDir, DATABASE_FILE);
    if (!existsSync(file)) return undefined;
    return new QueueStore(file, false);
  }

  /** Opens (creating if needed) the queue database in `dataDir`. */
  static open(dataDir: string): QueueStore {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return new QueueStore(join(dataDir, DATABASE_FILE), false);
  }

  /** The relay's own store: checkpoints move to a worker thread (checkpointer.ts). */
  startCheckpointer(): void {
    if (this.checkpointer) return;
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointer = new Checkpointer(this.file, sqlitePath());
  }

  async stopCheckpointer(): Promise<void> {
    const c = this.checkpointer;
    this.checkpointer = undefined;
    if (c) await c.stop();
  }

  private prepare() {
    const db = this.db;
    return {
      insertMessage: db.prepare(
        `INSERT INTO messages (front_id, received_at, receive_connector, remote_address, helo, authenticated_as, sender, body_type, smtputf8, ret, envid, size, subject, internet_message_id)
         VALUES (@front_id, @received_at, @receive_connector, @remote_address, @helo, @authenticated_as, @sender, @body_type, @smtputf8, @ret, @envid, @size, @subject, @internet_message_id)`,
      ),
      insertBody: db.prepare('INSERT INTO bodies (message_id, content) VALUES (?, ?)'),
      insertRecipient: db.prepare(
        'INSERT INTO recipients (message_id, address, notify, orcpt, queue_id, last_error, next_attempt, connector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      queueByKey: db.prepare('SELECT id FROM queues WHERE key = ?'),
      insertQueue: db.prepare(
        'INSERT INTO queues (key, kind, delivery_type, next_hop_domain, next_hop_connector, hop, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updateQueueHop: db.prepare('UPDATE queues SET hop = ?, next_hop_connector = ? WHERE id = ?'),
      messageRecipients: db.prepare('SELECT * FROM recipients WHERE message_id = ?'),
      pendingLeft: db.prepare("SELECT count(*) AS n FROM recipients WHERE message_id = ? AND state = 'pending'"),
      deleteMessage: db.prepare('DELETE FROM messages WHERE id = ?'),
      deleteBody: db.prepare('DELETE FROM bodies WHERE message_id = ?'),
      deleteRecipients: db.prepare('DELETE FROM recipients WHERE message_id = ?'),
      content: db.prepare('SELECT content FROM bodies WHERE message_id = ?').pluck(),
      message: db.prepare('SELECT id, front_id, received_at, receive_connector, remote_address, helo, authenticated_as, sender, body_type, smtputf8, ret, envid, size, subject, internet_message_id, in_process, crash_count, delay_sent, suspended FROM messages WHERE id = ?'),
      setInProcess: db.prepare('UPDATE messages SET in_process = ? WHERE id = ?'),
      stepDone: db.prepare('UPDATE messages SET in_process = 0, crash_count = 0, delivery_crash_count = 0 WHERE id = ?'),
      recipientDone: db.prepare("UPDATE recipients SET state = 'done', outcome = ?, last_error = ? WHERE id = ?"),
      recipientRetry: db.prepare('UPDATE recipients SET last_error = ?, retry_count = retry_count + 1, next_attempt = ? WHERE id = ?'),
      moveRecipient: db.prepare('UPDATE recipients SET queue_id = ?, last_error = ?, next_attempt = ?, connector = ? WHERE id = ?'),
      deleteRecipient: db.prepare('DELETE FROM recipients WHERE id = ?'),
      queue: db.prepare('SELECT * FROM queues WHERE id = ?'),
    };
  }

  /** A message from the front door: resolves with its message integer once it is durable. */
  accept(message: AcceptedMessage): Promise<number> {
    if (this.closed) return Promise.reject(new Error('queue database is closed'));
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      // While an fdatasync runs, accepted messages wait for it to return and then share one
      // transaction (they would wait for the next fdatasync anyway): one commit per fsync, not per turn.
      if (!this.flushScheduled && !this.syncing) {
        this.flushScheduled = true;
        setImmediate(() => {
          if (!this.syncing) this.flush();
          this.flushScheduled = false;
        });
      }
    });
  }

  /** Commits every accepted message waiting in one transaction; their promises wait for the next fdatasync. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let ids: number[];
    try {
      ids = this.db.transaction(() => batch.map((p) => this.insert(p.message)))();
      this.commits.messages += batch.length;
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => this.unsynced.push({ resolve: () => p.resolve(ids[i]!), reject: p.reject }));
    this.sync();
  }

  /** One fdatasync of the WAL for everything committed since the last one started (see the header). */
  private sync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    this.syncing = true;
    const group = this.unsynced;
    this.unsynced = [];
    this.commits.batches++;
    fdatasync(this.walFd(), (err) => {
      this.syncing = false;
      for (const w of group) (err ? w.reject(err) : w.resolve());
      if (this.pending.length) this.flush();
      if (this.unsynced.length) this.sync();
      else if (!this.syncing) for (const done of this.settled.splice(0)) done();
    });
  }

  private walFd(): number {
    if (this.wal === undefined) {
      this.wal = openSync(`${this.file}-wal`, 'r');
      // The WAL file's own directory entry must be durable too (once).
      const dir = openSync(dirname(this.file), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.wal;
  }

  /** Resolves once every accepted message is committed and synced. */
  settle(): Promise<void> {
    this.flush();
    if (!this.syncing && this.unsynced.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.settled.push(resolve));
  }

  private insert(m: AcceptedMessage): number {
    const head = m.content.subarray(0, HEADER_PEEK).toString('latin1');
    const info = this.stmts.insertMessage.run({
      front_id: m.id,
      received_at: m.receivedAt.getTime(),
      receive_connector: m.receiveConnector,
      remote_address: m.remoteAddress,
      helo: m.heloName,
      authenticated_as: m.authenticatedAs ?? null,
      sender: m.sender,
      body_type: m.bodyType,
      smtputf8: m.smtpUtf8 ? 1 : 0,
      ret: m.ret ?? null,
      envid: m.envid ?? null,
      size: m.content.length,
      subject: headerValue(head, 'Subject') ?? null,
      internet_message_id: headerValue(head, 'Message-ID') ?? null,
    });
    const id = Number(info.lastInsertRowid);
    this.stmts.insertBody.run(id, m.content);
    const submission = this.queueIds.get(queueKey(SUBMISSION.deliveryType, SUBMISSION.domain))!;
    for (const r of m.recipients) {
      this.stmts.insertRecipient.run(id, r.address, r.notify?.join(',') ?? null, r.orcpt ?? null, submission, null, 0, null);
    }
    return id;
  }

  /** A message the relay generates (a DSN), queued for categorization. */
  insertGenerated(g: GeneratedMessage): number {
    return this.insert({
      id: g.frontId,
      receivedAt: new Date(g.now),
      receiveConnector: '',
      remoteAddress: '',
      heloName: '',
      sender: g.sender,
      recipients: g.recipients,
      bodyType: '8BITMIME',
      smtpUtf8: false,
      content: g.content,
    });
  }

  /** The queue for a NextHopSolutionKey, created on first use (R140). */
  ensureQueue(spec: QueueSpec, now: number): number {
    const key = queueKey(spec.deliveryType, spec.domain);
    const hop = JSON.stringify(spec.hop ?? {});
    const known = this.queueIds.get(key);
    if (known !== undefined) {
      // The hop (targets, connector) is rewritten only when routing changed it.
      if (spec.hop !== undefined && this.queueHops.get(known) !== hop) {
        this.stmts.updateQueueHop.run(hop, spec.connector ?? '', known);
        this.queueHops.set(known, hop);
      }
      return known;
    }
    const row = this.stmts.queueByKey.get(key) as { id: number } | undefined;
    let id: number;
    if (row) {
      id = row.id;
      if (spec.hop !== undefined) this.stmts.updateQueueHop.run(hop, spec.connector ?? '', id);
    } else id = Number(this.stmts.insertQueue.run(key, spec.kind, spec.deliveryType, spec.domain, spec.connector ?? '', hop, now).lastInsertRowid);
    this.queueIds.set(key, id);
    if (spec.hop !== undefined) this.queueHops.set(id, hop);
    return id;
  }

  queueId(spec: { deliveryType: QueueDeliveryType; domain: string }): number | undefined {
    const key = queueKey(spec.deliveryType, spec.domain);
    return this.queueIds.get(key) ?? (this.stmts.queueByKey.get(key) as { id: number } | undefined)?.id;
  }

  /** Whether the queue is suspended (R152), read fresh: `mxt queue suspend` writes from another process. */
  queueSuspended(id: number): boolean {
    return this.sql('SELECT suspended FROM queues WHERE id = ?').pluck().get(id) === 1;
  }

  queue(id: number): QueueRow | undefined {
    return this.stmts.queue.get(id) as QueueRow | undefined;
  }

  queues(): QueueRow[] {
    return this.sql('SELECT * FROM queues ORDER BY id').all() as QueueRow[];
  }

  message(id: number): MessageRow | undefined {
    return this.stmts.message.get(id) as MessageRow | undefined;
  }

  content(id: number): Buffer {
    return this.stmts.content.get(id) as Buffer;
  }

  recipientsOf(messageId: number): RecipientRow[] {
    return this.stmts.messageRecipients.all(messageId) as RecipientRow[];
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * "Processing started" (R140 Poison): recorded before a processing step, so a crash during it is
   * counted against the messages in it. `step` 1 is categorization, 2 is delivery.
   */
  markInProcess(ids: readonly number[], step: 1 | 2 = 1): void {
    if (ids.length === 0) return;
    this.transaction(() => {
      for (const id of ids) this.stmts.setInProcess.run(step, id);
    });
  }

  /** The step finished: the message did not crash the relay. */
  stepDone(messageId: number): void {
    this.stmts.stepDone.run(messageId);
  }

  /** Messages waiting in Submission (categorization order: oldest first); an index-only scan, then the rows. */
  submissionBatch(limit: number): MessageRow[] {
    const submission = this.queueId(SUBMISSION)!;
    // The limit is part of the text, not a parameter: SQLite reads a bound LIMIT while planning, so
    // it prepared the statement again on every run, which cost more than the scan.
    const ids = this.sql(`SELECT DISTINCT message_id FROM recipients WHERE queue_id = ? AND state = 'pending' ORDER BY message_id LIMIT ${Math.trunc(limit)}`).pluck().all(submission) as number[];
    return ids.map((id) => this.message(id)).filter((m): m is MessageRow => m !== undefined && m.suspended === 0);
  }

  /** Moves one recipient to the queue the categorizer chose; `replace` lists expansions (new rows). */
  place(recipient: RecipientRow, placements: readonly Placement[], now: number): void {
    const [first, ...more] = placements;
    if (!first) {
      this.stmts.deleteRecipient.run(recipient.id);
      return;
    }
    const qid = this.ensureQueue(first.queue, now);
    if (first.address.toLowerCase() === recipient.address.toLowerCase()) {
      this.stmts.moveRecipient.run(qid, first.lastError ?? null, 0, first.connector ?? null, recipient.id);
    } else {
      this.stmts.deleteRecipient.run(recipient.id);
      this.addRecipient(recipient.message_id, first, qid);
    }
    for (const p of more) this.addRecipient(recipient.message_id, p, this.ensureQueue(p.queue, now));
  }

  private addRecipient(messageId: number, p: Placement, queueId: number): void {
    this.stmts.insertRecipient.run(messageId, p.address, p.notify ?? null, p.orcpt ?? null, queueId, p.lastError ?? null, 0, p.connector ?? null);
  }

  /** A recipient's final outcome; the message goes once no recipient is left (R164 says nothing stays). */
  recipientDone(r: Pick<RecipientRow, 'id' | 'message_id'>, outcome: string, error: string | null): void {
    this.stmts.recipientDone.run(outcome, error, r.id);
  }

  recipientRetry(r: Pick<RecipientRow, 'id'>, error: string, nextAttempt: number): void {
    this.stmts.recipientRetry.run(error, nextAttempt, r.id);
  }

  /** Deletes a message whose recipients are all done; returns whether it did. */
  finishIfDone(messageId: number): boolean {
    return this.finishWith(messageId, 0);
  }

  /** Deletes the message when exactly `finishing` of its recipients are still pending (those now finished); returns whether it did. */
  finishWith(messageId: number, finishing: number): boolean {
    const left = (this.stmts.pendingLeft.get(messageId) as { n: number }).n;
    if (left !== finishing) return false;
    this.stmts.deleteRecipients.run(messageId);
    this.stmts.deleteBody.run(messageId);
    this.stmts.deleteMessage.run(messageId);
    return true;
  }

  /**
   * Start-up: a message still marked in process was being handled when the relay died. After the
   * second crash during its categorization (Exchange's poison threshold, 2) it goes to the Poison
   * queue, suspended, never retried automatically (R140). A crash while it was being sent is
   * counted (`delivery_crash_count`) but poisons nothing: delivery streams the stored bytes to a
   * socket for up to 20 messages at once over long network waits, so a relay killed then (an
   * operator's SIGKILL, the OOM killer) is not the fault of each message in flight, and the
   * oldest messages, retried first after a restart, would be set aside by a few kills in a row.
   */
  recover(now: number): { crashed: number; poisoned: number[] } {
    return this.transaction(() => {
      const crashed =
        this.sql('UPDATE messages SET crash_count = crash_count + 1, in_process = 0 WHERE in_process = 1').run().changes +
        this.sql('UPDATE messages SET delivery_crash_count = delivery_crash_count + 1, in_process = 0 WHERE in_process = 2').run().changes;
      const poisoned = this.sql('SELECT id FROM messages WHERE crash_count >= ? AND suspended = 0').pluck().all(POISON_THRESHOLD) as number[];
      const poison = this.ensureQueue(POISON, now);
      for (const id of poisoned) {
        this.sql('UPDATE messages SET suspended = 1 WHERE id = ?').run(id);
        this.sql("UPDATE recipients SET queue_id = ?, last_error = 'The message crashed the transport service twice' WHERE message_id = ? AND state = 'pending'").run(poison, id);
      }
      return { crashed, poisoned };
    });
  }

  /** Queue state (R152), last error and retry times (R175). */
  setQueueState(id: number, fields: Partial<Pick<QueueRow, 'status' | 'last_error' | 'retry_count' | 'first_retry_time' | 'last_retry_time' | 'next_retry_time' | 'suspended'>>): void {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    if (keys.length === 0) return;
    this.sql(`UPDATE queues SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
  }

  /** Pending recipient counts per queue. */
  counts(): Map<number, { messages: number; recipients: number; due: number }> {
    const rows = this.sql(
        `SELECT r.queue_id AS q, count(DISTINCT r.message_id) AS messages, count(*) AS recipients, sum(CASE WHEN r.next_attempt <= ? THEN 1 ELSE 0 END) AS due
         FROM recipients r WHERE r.state = 'pending' GROUP BY r.queue_id`,
      )
      .all(Date.now()) as { q: number; messages: number; recipients: number; due: number }[];
    return new Map(rows.map((r) => [r.q, { messages: r.messages, recipients: r.recipients, due: r.due }]));
  }

  /** Whether the queue holds a pending recipient, due or not (an index probe). */
  hasPending(queueId: number): boolean {
    return this.sql("SELECT 1 FROM recipients INDEXED BY recipients_queue_order WHERE queue_id = ? AND state = 'pending' LIMIT 1").get(queueId) !== undefined;
  }

  /**
   * Recipients of one queue due at `now`, counted up to `atMost` (the scheduler's pass needs no more
   * than its connection limit and what is in flight): an index range that stops there, however
   * long the queue. `atMost` is part of the text (see submissionBatch): give a value that stays the same.
   */
  dueCount(queueId: number, now: number, atMost: number): number {
    return this.sql(`SELECT count(*) FROM (SELECT 1 FROM recipients INDEXED BY recipients_pending WHERE queue_id = ? AND state = 'pending' AND next_attempt <= ? LIMIT ${Math.trunc(atMost)})`).pluck().get(queueId, now) as number;
  }

  /** Pending recipients of one queue due at `now`, grouped by message, oldest message first. */
  dueWork(queueId: number, now: number, limit: number, skip: ReadonlySet<number>): { message: MessageRow; recipients: RecipientRow[] }[] {
    // In queue order on the (queue_id, message_id) index, named: left to itself SQLite picks the
    // (queue_id, next_attempt) index and sorts every due row of the queue on each call, which grows
    // with the backlog. Only message ids are read, lazily, until `limit` takeable messages are found:
    // the messages in flight (the oldest, mostly) cost one integer each, and no JSON set or
    // temporary index is built per call (a take per delivered message made that the main cost).
    const ids = this.sql("SELECT message_id FROM recipients INDEXED BY recipients_queue_order WHERE queue_id = ? AND state = 'pending' AND next_attempt <= ? ORDER BY message_id").pluck();
    const chosen: number[] = [];
    let last = -1;
    for (const id of ids.iterate(queueId, now) as IterableIterator<number>) {
      if (id === last || skip.has(id)) continue;
      last = id;
      chosen.push(id);
      if (chosen.length >= limit * 4) break;
    }
    const out: { message: MessageRow; recipients: RecipientRow[] }[] = [];
    // On the message's own index, named: left to itself SQLite walks (queue_id, next_attempt), every
    // due recipient of the queue, for each message taken.
    const recipients = this.sql("SELECT * FROM recipients INDEXED BY recipients_message WHERE message_id = ? AND queue_id = ? AND state = 'pending' AND next_attempt <= ? ORDER BY id");
    for (const id of chosen) {
      if (out.length >= limit) break;
      const m = this.message(id);
      if (!m || m.suspended) continue;
      out.push({ message: m, recipients: recipients.all(id, queueId, now) as RecipientRow[] });
    }
    return out;
  }

  /** Messages (with a pending recipient anywhere) received before `before`, for expiry and delay DSNs. */
  messagesOlderThan(before: number): MessageRow[] {
    return this.sql(MESSAGES_OLDER_THAN).all(before) as MessageRow[];
  }

  markDelaySent(messageId: number): void {
    this.sql('UPDATE messages SET delay_sent = 1 WHERE id = ?').run(messageId);
  }

  /** Closes the database (later accepts are refused); await `settle()` first for what is in flight. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.wal !== undefined && !this.syncing) closeSync(this.wal);
    this.db.close();
  }
}
