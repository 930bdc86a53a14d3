/**
 * The interim store behind the front door until the durable queue (src/relay/queue, next issue)
 * replaces it: each accepted message becomes one file `<id>.msg` in `<server dir>/spool`: a JSON
 * envelope line, a LF, then the message bytes. Written to a temp file, fsynced, renamed, and the
 * folder fsynced, so that when `accept()` resolves (and the client gets its 250) a crash cannot
 * lose the message.
 *
 * Security: writes only inside its folder; file names come from its own ids, never from the client.
 * Diagnostics: a failing disk rejects the promise, which the session answers with 451 4.3.0.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../io/atomic-write.js';
import type { AcceptedMessage, AcceptResult, MessageSink } from './sink.js';

export interface SpooledMessage {
  envelope: Omit<AcceptedMessage, 'content' | 'receivedAt'> & { receivedAt: string };
  content: Buffer;
}

export class SpoolSink implements MessageSink {
  constructor(private readonly dir: string) {}

  async accept(message: AcceptedMessage): Promise<AcceptResult> {
    await mkdir(this.dir, { recursive: true });
    const queueId = message.id;
    if (!/^[A-Za-z0-9]+$/.test(queueId)) throw new Error(`bad message id ${queueId}`);
    const { content, ...rest } = message;
    const envelope = JSON.stringify({ ...rest, receivedAt: message.receivedAt.toISOString() });
    // Temp file, fsync, rename, fsync of the folder (src/io/atomic-write.ts); new and exclusive, 0600.
    await atomicWrite(path.join(this.dir, `${queueId}.msg`), Buffer.concat([Buffer.from(`${envelope}\n`, 'utf8'), content]), { exclusive: true, mode: 0o600 });
    return { queueId };
  }

  async close(): Promise<void> {}
}

/** Read the spool back (tests, and the queue's import of what the interim store took). */
export async function readSpool(dir: string): Promise<SpooledMessage[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.msg')).sort();
  } catch {
    return [];
  }
  const result: SpooledMessage[] = [];
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    const lf = bytes.indexOf(10);
    result.push({ envelope: JSON.parse(bytes.subarray(0, lf).toString('utf8')) as SpooledMessage['envelope'], content: bytes.subarray(lf + 1) });
  }
  return result;
}
