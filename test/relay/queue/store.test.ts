/**
 * The durable store on a real SQLite file: group commit, durability across a killed process,
 * Poison after two crashes (R140), queue identities (R141).
 */
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES_OLDER_THAN, QueueStore } from '../../../src/relay/queue/store.js';
import { queueIdentity, SUBMISSION, POISON } from '../../../src/relay/queue/keys.js';
import { message, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('queue store', () => {
  it('commits concurrent accepts in one group (one transaction, one fsync) and keeps them on disk', async () => {
    const dir = dataDir();
    const store = QueueStore.open(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => store.accept(message({ to: [`r${i}@contoso.com`, `s${i}@contoso.com`] }))));
    expect(new Set(ids).size).toBe(50);
    expect(store.commits.messages).toBe(50);
    expect(store.commits.batches).toBeLessThan(5);
    store.close();
    const again = QueueStore.open(dir);
    const sub = again.queueId(SUBMISSION)!;
    expect(again.db.prepare('SELECT count(*) FROM recipients WHERE queue_id = ?').pluck().get(sub)).toBe(100);
    expect(again.message(ids[7]!)!.subject).toMatch(/^test /);
    again.close();
  });

  it('a database of schema version 1 (bodies in messages.content) opens with its bodies moved to their own table', async () => {
    const dir = dataDir();
    const store = QueueStore.open(dir);
    const id = await store.accept(message({ subject: 'from version 1' }));
    const body = store.content(id);
    // Back to version 1's layout: the body in a column of messages, no bodies table.
    store.db.exec('ALTER TABLE messages ADD COLUMN content BLOB; UPDATE messages SET content = (SELECT content FROM bodies WHERE message_id = messages.id); DROP TABLE bodies');
    store.setMeta('schemaVersion', '1');
    store.close();
    const again = QueueStore.open(dir);
    expect(again.meta('schemaVersion')).toBe('2');
    expect(again.content(id).equals(body)).toBe(true);
    expect(again.db.prepare('SELECT count(*) FROM pragma_table_info(?) WHERE name = ?').pluck().get('messages', 'content')).toBe(0);
    expect(again.message(id)!.subject).toBe('from version 1');
    again.close();
  });

  it('a message whose accept resolved survives SIGKILL of the process right after', async () => {
    const dir = dataDir();
    const script = `
      import { QueueStore } from ${JSON.stringify(new URL('../../../dist/relay/queue/store.js', import.meta.url).pathname)};
      const s = QueueStore.open(process.argv[1]);
      const id = await s.accept({ id: 'k1', receivedAt: new Date(), receiveConnector: 'Default EX01', remoteAddress: '127.0.0.1', heloName: 'c', sender: 'a@b.c', recipients: [{ address: 'alice@contoso.com', notify: ['SUCCESS', 'FAILURE'] }], bodyType: '7BIT', smtpUtf8: false, content: Buffer.from('Subject: kill\\r\\n\\r\\nx\\r\\n') });
      process.stdout.write(String(id) + '\\n');
      process.kill(process.pid, 'SIGKILL');`;
    // The built JS (npm test builds first): a plain child process, killed by SIGKILL after the 250-equivalent.
    const out = await execa(process.execPath, ['--input-type=module', '-e', script, dir], { reject: false });
    expect(out.stderr).toBe('');
    expect(out.signal).toBe('SIGKILL');
    const id = Number(out.stdout.trim());
    expect(id).toBeGreaterThan(0);
    const store = QueueStore.open(dir);
    expect(store.message(id)!.subject).toBe('kill');
    expect(store.recipientsOf(id).map((x) => [x.address, x.notify])).toEqual([['alice@contoso.com', 'SUCCESS,FAILURE']]);
    store.close();
  });

  it('R140: a message in process at two crashes goes to the Poison queue, suspended', async () => {
    const dir = dataDir();
    let store = QueueStore.open(dir);
    const id = await store.accept(message());
    const other = await store.accept(message());
    store.markInProcess([id, other]);
    store.stepDone(other);
    store.db.close();
    store = QueueStore.open(dir);
    expect(store.recover(Date.now())).toEqual({ crashed: 1, poisoned: [] });
    store.markInProcess([id]);
    store.db.close();
    store = QueueStore.open(dir);
    expect(store.recover(Date.now())).toEqual({ crashed: 1, poisoned: [id] });
    const poison = store.queueId(POISON)!;
    expect(store.recipientsOf(id).every((r) => r.queue_id === poison)).toBe(true);
    expect(store.message(id)!.suspended).toBe(1);
    expect(store.recipientsOf(other)[0]!.queue_id).toBe(store.queueId(SUBMISSION));
    store.close();
  });

  it('a crash while a message was being sent is counted but never poisons it', async () => {
    const dir = dataDir();
    let store = QueueStore.open(dir);
    const id = await store.accept(message());
    for (let crash = 1; crash <= 5; crash++) {
      store.markInProcess([id], 2);
      store.db.close();
      store = QueueStore.open(dir);
      expect(store.recover(Date.now())).toEqual({ crashed: 1, poisoned: [] });
    }
    expect(store.db.prepare('SELECT delivery_crash_count FROM messages WHERE id = ?').pluck().get(id)).toBe(5);
    store.close();
  });

  it('R163/R164: the sweep finds exactly the old messages, through the received_at index (no scan of the whole table)', async () => {
    const store = QueueStore.open(dataDir());
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    for (let i = 0; i < 5; i++) await store.accept(message({ subject: `m${i}`, receivedAt: new Date(t0 + i * 3_600_000) }));
    const old = store.messagesOlderThan(t0 + 2 * 3_600_000);
    expect(old.map((m) => m.received_at)).toEqual([t0, t0 + 3_600_000, t0 + 2 * 3_600_000]);
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${MESSAGES_OLDER_THAN}`).all(0) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH m USING INDEX messages_received \(received_at<\?\)/);
    store.close();
  });

  it('R141: queue identities', () => {
    expect(queueIdentity('EX01', 'submission', 1)).toBe('EX01\\Submission');
    expect(queueIdentity('EX01', 'poison', 3)).toBe('EX01\\Poison');
    expect(queueIdentity('EX01', 'delivery', 7)).toBe('EX01\\7');
    expect(join('a', 'b')).toBe('a/b');
  });
});
