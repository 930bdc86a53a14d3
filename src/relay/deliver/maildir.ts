/**
 * The lab's mailbox store behind the Mailbox Transport Delivery listener (port 475, R13): a
 * `MessageSink` that writes each message into a Maildir per mailbox database,
 * `<dataDir>/mailboxes/<database>/<recipient>/{tmp,new,cur}`, the way the Maildir format makes a
 * delivery atomic: write into tmp, fsync, rename into new, fsync the folder. The 250 is answered
 * only after that.
 *
 * R13: a recipient is taken only if its database has its active copy on this server; a message
 * with none of those is refused with `550 5.1.1` (Exchange's delivery answers with a non-delivery
 * response).
 *
 * Security: writes files under the data folder; names come from the topology, never from the wire
 * (the recipient folder is the address, checked to contain no path separator).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '../../core/model/topology.js';
import { nameKey } from '../../core/model/names.js';
import type { AcceptedMessage, AcceptResult, MessageSink } from '../sink.js';
import type { MessageTracker } from '../queue/tracking.js';
import { headerFacts } from '../protocol/headers.js';
import { sinkError } from '../queue/relay-queue.js';

let sequence = 0;

export class MaildirStore implements MessageSink {
  constructor(
    private readonly root: string,
    private topology: () => Topology,
    private readonly server: string,
    private readonly track: MessageTracker = () => {},
  ) {}

  /** The configuration changed: mailboxes are looked up in the new one (nothing waits here). */
  reload(topology: Topology): number {
    this.topology = () => topology;
    return 0;
  }

  /** The database of a mailbox whose active copy is on this server, if any. */
  private databaseOf(address: string): string | undefined {
    const t = this.topology();
    const mailbox = t.recipients.mailboxes.find((m) => m.address.toLowerCase() === address.toLowerCase());
    if (!mailbox) return undefined;
    const db = t.mailboxDatabases.find((d) => nameKey(d.name) === nameKey(mailbox.database));
    if (!db) return undefined;
    const dag = t.databaseAvailabilityGroups.find((g) => nameKey(g.name) === nameKey(db.masterServerOrAvailabilityGroup));
    const active = dag ? (db.activationPreference?.[0] ?? dag.members[0]) : db.masterServerOrAvailabilityGroup;
    return active && nameKey(active) === nameKey(this.server) ? db.name : undefined;
  }

  /** Where a recipient's messages go. */
  folder(database: string, address: string): string {
    return join(this.root, 'mailboxes', database, address.toLowerCase());
  }

  async accept(message: AcceptedMessage): Promise<AcceptResult> {
    const targets = message.recipients
      .map((r) => ({ address: r.address, db: this.databaseOf(r.address) }))
      .filter((r): r is { address: string; db: string } => r.db !== undefined && !/[/\\\0]/.test(r.address) && !r.address.startsWith('.'));
    if (targets.length === 0) throw sinkError({ code: 550, enhancedCode: '5.1.1', text: 'RESOLVER.ADR.RecipNotFound; not found on this server' });
    const unique = `${Date.now()}.M${process.pid}P${++sequence}.${hostname()}`;
    for (const t of targets) {
      const dir = this.folder(t.db, t.address);
      for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
      const tmp = join(dir, 'tmp', unique);
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, `Delivered-To: ${t.address}\r\nReturn-Path: <${message.sender}>\r\n`);
        writeSync(fd, message.content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, 'new', unique));
      const dfd = openSync(join(dir, 'new'), 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    }
    // The last hop: Exchange's store driver logs DELIVER per mailbox written.
    const messageId = headerFacts(message.content).messageId ?? null;
    const byDatabase = new Map<string, string[]>();
    for (const t of targets) byDatabase.set(t.db, [...(byDatabase.get(t.db) ?? []), t.address]);
    for (const [db, recipients] of byDatabase) {
      this.track({ eventId: 'DELIVER', source: 'STOREDRIVER', internalMessageId: unique, messageId, sender: message.sender, recipients, nextHopDomain: db, connectorId: message.receiveConnector });
    }
    return { queueId: unique };
  }

  async close(): Promise<void> {}
}

/**
 * The front door's sink for a whole server: the Mailbox Transport Delivery connector goes to the
 * mailbox store, every other receive connector to the queue.
 */
export class CompositeSink implements MessageSink {
  constructor(
    private readonly fallback: MessageSink,
    private readonly byConnector: ReadonlyMap<string, MessageSink>,
  ) {}

  private pick(connector: string): MessageSink {
    return this.byConnector.get(nameKey(connector)) ?? this.fallback;
  }

  accept(message: AcceptedMessage): Promise<AcceptResult> {
    return this.pick(message.receiveConnector).accept(message);
  }

  admission() {
    return this.fallback.admission?.();
  }

  startDelivery(domain: string): Promise<boolean> {
    return this.fallback.startDelivery?.(domain) ?? Promise.resolve(false);
  }

  reload(topology: Topology): number {
    return [this.fallback, ...this.byConnector.values()].reduce((n, s, i, all) => (all.indexOf(s) === i ? n + (s.reload?.(topology) ?? 0) : n), 0);
  }

  async close(): Promise<void> {
    const others = [...new Set(this.byConnector.values())].filter((s) => s !== this.fallback);
    await Promise.all([this.fallback.close(), ...others.map((s) => s.close())]);
  }
}
