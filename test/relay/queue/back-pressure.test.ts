/**
 * Back pressure on a small tmpfs that the test mounts (we run as root): below the free-disk
 * threshold new mail gets `452 4.3.1 Insufficient system resources`; when the disk is really full
 * the commit fails and the message is refused with the same reply, never half-accepted; everything
 * accepted before is still there after a restart.
 */
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayQueue } from '../../../src/relay/queue/relay-queue.js';
import { QueueStore } from '../../../src/relay/queue/store.js';
import { labTopology, message, tempDir } from './helpers.js';

const mountPoint = tempDir('mxt-tmpfs-');
let mounted = false;

beforeAll(async () => {
  const r = await execa('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { reject: false });
  mounted = r.exitCode === 0;
  if (!mounted) throw new Error(`cannot mount a tmpfs (root needed): ${r.stderr}`);
});
afterAll(async () => {
  if (mounted) await execa('umount', [mountPoint], { reject: false });
  rmSync(mountPoint, { recursive: true, force: true });
});

const big = (n: number) => Buffer.concat([Buffer.from(`Subject: big ${n}\r\n\r\n`), Buffer.alloc(200 * 1024, 'x')]);

describe('back pressure', () => {
  it('452 4.3.1 below the free-disk threshold; a full disk refuses the commit; nothing accepted is lost', async () => {
    const dir = `${mountPoint}/EX01`;
    const q = new RelayQueue({ dataDir: dir, topology: labTopology(), server: 'EX01', minFreeDisk: 1536 * 1024 });
    // Not started: nothing is delivered, so the queue only grows.
    expect(q.admission()).toBeUndefined();
    const accepted: number[] = [];
    let pushedBack = false;
    for (let i = 0; i < 40 && !pushedBack; i++) {
      await new Promise((r) => setTimeout(r, 510)); // admission() re-reads the disk every 500 ms
      const reply = q.admission();
      if (reply) {
        expect(reply).toEqual({ code: 452, enhancedCode: '4.3.1', text: 'Insufficient system resources' });
        pushedBack = true;
        break;
      }
      accepted.push(Number((await q.accept(message({ content: big(i) }))).queueId));
    }
    expect(pushedBack).toBe(true);
    expect(accepted.length).toBeGreaterThan(3);
    // Past the threshold (a front door would have said 452): the disk fills and the commit fails.
    let refused: unknown;
    for (let i = 0; i < 40 && !refused; i++) {
      try {
        accepted.push(Number((await q.accept(message({ content: big(100 + i) }))).queueId));
      } catch (e) {
        refused = e;
      }
    }
    expect(refused).toMatchObject({ code: 452, enhancedCode: '4.3.1' });
    await q.close();
    const store = QueueStore.open(dir);
    for (const id of accepted) expect(store.message(id)?.subject).toMatch(/^big \d+$/);
    store.close();
  });

  it('452 4.3.1 when free memory is below its threshold', async () => {
    const dir = tempDir();
    const q = new RelayQueue({ dataDir: dir, topology: labTopology(), server: 'EX01', minFreeMemory: Number.MAX_SAFE_INTEGER });
    expect(q.admission()).toMatchObject({ code: 452, enhancedCode: '4.3.1' });
    await q.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
