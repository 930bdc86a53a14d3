/** test/helpers/loopback.ts: the uses' ranges never overlap, and stay clear of the addresses people and the benchmarks use. */
import { describe, expect, it } from 'vitest';
import { loopback, loopbackRanges, type LoopbackUse } from '../helpers/loopback.js';

// 127.0.10.1–.10: a lab started with relay up's defaults (node k on 127.0.10.1 + k).
const LAB = Array.from({ length: 10 }, (_, k) => `127.0.10.${k + 1}`);
const LEFT_OUT = ['127.0.9.1', '127.0.9.2', '127.0.9.3', '127.0.9.4', ...LAB, '127.0.10.20', '127.0.10.30', '127.0.10.31'];
const COUNTS: Record<LoopbackUse, number> = { help: 3, readme: 3, relayCli: 1, queueCli: 1, delivery: 6, crash: 2, reload: 1, internalAuth: 1, relayUp: 3, sendTrace: 2 };
const inRange = (address: string, r: { prefix: string; first: number; last: number }) => {
  const host = Number(address.slice(r.prefix.length + 1));
  return address.startsWith(`${r.prefix}.`) && host >= r.first && host <= r.last;
};

describe('loopback addresses of the tests that listen on fixed ports', () => {
  it('ranges are disjoint, inside 1–254, and hold none of the addresses left out', () => {
    const ranges = loopbackRanges();
    for (const a of ranges) {
      expect(a.first).toBeGreaterThanOrEqual(1);
      expect(a.last).toBeLessThanOrEqual(254);
      for (const b of ranges) if (a !== b && a.prefix === b.prefix) expect(a.last < b.first || b.last < a.first, `${a.use} and ${b.use}`).toBe(true);
      for (const address of LEFT_OUT) expect(inRange(address, a), `${address} in ${a.use}`).toBe(false);
    }
  });

  it('each use hands out its own distinct addresses inside its range, and refuses one past its count', () => {
    const all = loopbackRanges().flatMap((r) => Array.from({ length: COUNTS[r.use] }, (_, n) => ({ r, address: loopback(r.use, n) })));
    for (const { r, address } of all) expect(inRange(address, r), `${address} in ${r.use}`).toBe(true);
    expect(new Set(all.map((x) => x.address)).size).toBe(all.length);
    expect(() => loopback('crash', 2)).toThrow(/2 address/);
  });
});
