/**
 * The front door's sink across a thread boundary (src/relay/port-sink.ts), on a real MessageChannel
 * with the real queue behind it: what `relay start` runs between its front-door thread and the
 * store. A message arrives byte for byte and durable, refusals keep their SMTP reply, admission()
 * follows the store's back pressure, ETRN answers.
 */
import { rmSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PortSink, serveSink } from '../../src/relay/port-sink.js';
import { RelayQueue } from '../../src/relay/queue/relay-queue.js';
import { isSinkReply } from '../../src/relay/sink.js';
import { labTopology, message, tempDir, waitFor } from './queue/helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function bridged(options: { minFreeDisk?: number } = {}): { queue: RelayQueue; sink: PortSink } {
  const dir = tempDir();
  // Not started: nothing is delivered, what is accepted stays in the store to be looked at.
  const queue = new RelayQueue({ dataDir: dir, topology: labTopology(), server: 'EX01', ...options });
  const channel = new MessageChannel();
  const stop = serveSink(channel.port1, queue);
  const sink = new PortSink(channel.port2);
  cleanups.push(async () => {
    await sink.close();
    stop();
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { queue, sink };
}

describe('a sink across threads', () => {
  it('accept resolves with the store id once stored; the body arrives byte for byte (a view of the shared pool included)', async () => {
    const { queue, sink } = bridged();
    const text = 'Subject: across\r\n\r\nsmall, so Node cuts it from its shared pool\r\n';
    const content = Buffer.from(text);
    expect(content.buffer.byteLength).toBeGreaterThan(content.length);
    const result = await sink.accept(message({ content, to: ['a@contoso.com', 'b@contoso.com'] }));
    const id = Number(result.queueId);
    expect(queue.store.content(id).equals(content)).toBe(true);
    expect(queue.store.recipientsOf(id).map((r) => r.address)).toEqual(['a@contoso.com', 'b@contoso.com']);
    expect(queue.store.message(id)!.subject).toBe('across');
    expect(content.toString()).toBe(text); // the sender's buffer is left as it was (a copy crossed)
  });

  it("a refusal keeps the store's SMTP reply; admission() follows its back pressure; ETRN answers", async () => {
    const { queue, sink } = bridged({ minFreeDisk: Number.MAX_SAFE_INTEGER });
    await waitFor(() => sink.admission()?.code === 452, 5000, 'the 452 pushed to the front door');
    expect(sink.admission()).toEqual({ code: 452, enhancedCode: '4.3.1', text: 'Insufficient system resources' });
    expect(await sink.startDelivery('nowhere.test')).toBe(false);
    void queue.close();
    const refused = await sink.accept(message()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSinkReply(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 421, enhancedCode: '4.3.2' });
  });
});
