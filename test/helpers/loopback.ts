/**
 * Loopback addresses for tests that listen on fixed ports, or on a port found free a moment before:
 * two suite runs on one machine (two worktrees, say) must not meet on one address and port
 * (EADDRINUSE), and neither may two test files of one run (vitest runs files side by side).
 *
 * Each use has a range of its own, disjoint from every other use's, so two files never meet. Within
 * its range a use takes a slot of `count` consecutive addresses chosen by the process id, so two
 * runs meet only when their ids agree modulo the number of slots. Left out of every range: what
 * people type from the documentation (127.0.9.1 in the README, 127.0.9.2 in the help, and .3, .4
 * for the next nodes of their `relay up` examples), the lab servers' configured addresses
 * (127.0.10.1, 127.0.10.2), a lab of up to ten servers started with `mxt relay up`'s default first
 * address (127.0.10.1–127.0.10.10) and the relay benchmark's (127.0.10.20, .30, .31). The
 * documentation's `relay up` examples, moved by the runners to the slot's address, start a node per
 * server of examples/contoso.mxt.yaml from there: those uses have slots of three addresses.
 */
export type LoopbackUse = keyof typeof RANGES;

const RANGES = {
  /** test/cli/help.test.ts: its examples' relays. */
  help: { prefix: '127.0.9', first: 5, size: 46, count: 3 },
  /** test/cli/readme.test.ts: the README's relay commands. */
  readme: { prefix: '127.0.9', first: 51, size: 49, count: 3 },
  /** test/relay/relay-cli.test.ts: the README's walkthrough, run by the relay tests. */
  relayCli: { prefix: '127.0.9', first: 100, size: 150, count: 1 },

  /** test/relay/deliver: sinks (smart host, MX hosts, senders) and dnsmasq. */
  delivery: { prefix: '127.0.10', first: 40, size: 60, count: 6 },
  /** test/relay/queue/crash.test.ts: the relay node (its default connectors' fixed ports) and its sink. */
  crash: { prefix: '127.0.10', first: 100, size: 150, count: 2 },
  /** test/relay/reload.test.ts: a relay whose config is changed under it (SIGHUP). */
  reload: { prefix: '127.0.11', first: 1, size: 100, count: 1 },
  /** test/relay/internal-auth.test.ts: a relay without a certificate, then with one. */
  internalAuth: { prefix: '127.0.11', first: 101, size: 100, count: 1 },
  /** test/relay/relay-up.test.ts: a lab of examples/contoso.mxt.yaml (EDGE01, EX01, EX02: node k on address k). */
  relayUp: { prefix: '127.0.12', first: 1, size: 150, count: 3 },
  /** test/relay/queue/queue-cli.test.ts: its smart host. */
  queueCli: { prefix: '127.0.12', first: 151, size: 16, count: 1 },
  /** test/relay/send-trace.test.ts: two relay nodes (mxt send, mxt trace). */
  sendTrace: { prefix: '127.0.11', first: 201, size: 50, count: 2 },
} as const;

/** The `n`-th address (from 0) of this process's slot in the range of `use`. */
export function loopback(use: LoopbackUse, n = 0): string {
  const range = RANGES[use];
  if (!Number.isInteger(n) || n < 0 || n >= range.count) throw new Error(`loopback ${use} has ${range.count} address(es), not #${n}`);
  const slots = Math.floor(range.size / range.count);
  return `${range.prefix}.${range.first + (process.pid % slots) * range.count + n}`;
}

/** Every range, for the test that checks they stay disjoint and clear of the addresses left out. */
export function loopbackRanges(): { use: LoopbackUse; prefix: string; first: number; last: number }[] {
  return (Object.keys(RANGES) as LoopbackUse[]).map((use) => {
    const { prefix, first, size } = RANGES[use];
    return { use, prefix, first, last: first + size - 1 };
  });
}
