/**
 * `mxt relay up|status|down` through the built CLI, with real processes: a lab of
 * examples/contoso.mxt.yaml (EDGE01, EX01 in Paris, EX02 in Lyon). A message submitted to EX02 for
 * alice, whose database DB01 is active on EX01, goes EX02 → EX01 between two nodes (authenticated
 * with the certificates relay up created), and one from the internet to EDGE01 goes to EX01 through
 * the Edge subscription's smart host: both land in EX01's mailbox store. Status sees a node killed;
 * down stops the rest. Every process a test started is killed in afterAll, whatever happened.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mxt, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { waitFor } from './queue/helpers.js';

const CONTOSO = path.join(ROOT, 'examples/contoso.mxt.yaml');
// Servers in name order: EDGE01 (node 0), EX01 (node 1), EX02 (node 2).
const [EDGE01, EX01, EX02] = [0, 1, 2].map((n) => loopback('relayUp', n)) as [string, string, string];
const OFFSET = '10000';
let dir: string;
const pids = new Set<number>();

/** Alive and not a zombie (a killed node whose parent has not reaped it yet). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface StateFile {
  config: string;
  nodes: { server: string; role: string; site: string | null; pid: number; address: string; portOffset: number; log: string }[];
}
const stateFile = () => path.join(dir, 'relay-up.json');
const readState = (): StateFile => JSON.parse(readFileSync(stateFile(), 'utf8')) as StateFile;
const up = (...args: string[]) => mxt(['relay', 'up', '--config', CONTOSO, '--address', EDGE01, '--port-offset', OFFSET, '--data-dir', dir, ...args], { timeout: 90_000 });
/** An address as a regular expression. */
const at = (address: string) => address.replace(/\./g, '\\.');
const pidsIn = (stdout: string) => [...stdout.matchAll(/ pid (\d+) /g)].map((m) => Number(m[1]));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-relay-up-'));
});
afterAll(async () => {
  if (existsSync(stateFile())) for (const n of readState().nodes) pids.add(n.pid);
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

describe('mxt relay up|status|down (built CLI, real processes)', () => {
  it('a config that does not validate: its errors located, exit 1, nothing started', async () => {
    const r = await up('--config', path.join(ROOT, 'examples/broken.mxt.yaml'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/broken\.mxt\.yaml:18:25 error unknown-reference/);
    expect(r.stdout).toBe('');
    expect(existsSync(stateFile())).toBe(false);
  });

  it('up: certificates created, one line per node, state and hosts table as the contract says', { timeout: 120_000 }, async () => {
    const r = await up();
    for (const pid of pidsIn(r.stdout)) pids.add(pid);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^certificates: created the CA .*ca\.crt; issued EDGE01, EX01, EX02 /);
    expect(lines[1]).toMatch(new RegExp(`^EDGE01 +Edge +${at(EDGE01)} +pid \\d+ +listening 10025$`));
    expect(lines[2]).toMatch(new RegExp(`^EX01 +Mailbox +${at(EX01)} +pid \\d+ +listening 10025 10465 10475 10587 10717 12525$`));
    expect(lines[3]).toMatch(new RegExp(`^EX02 +Mailbox +${at(EX02)} +pid \\d+ +listening 10025 `));
    expect(lines[4]).toMatch(/^lab up: 3 servers, data in /);
    const state = readState();
    expect(state.config).toBe(CONTOSO);
    expect(state.nodes.map(({ pid: _, ...n }) => n)).toEqual([
      { server: 'EDGE01', role: 'Edge', site: 'Paris', address: EDGE01, portOffset: 10000, log: path.join('EDGE01', 'relay.log') },
      { server: 'EX01', role: 'Mailbox', site: 'Paris', address: EX01, portOffset: 10000, log: path.join('EX01', 'relay.log') },
      { server: 'EX02', role: 'Mailbox', site: 'Lyon', address: EX02, portOffset: 10000, log: path.join('EX02', 'relay.log') },
    ]);
    for (const n of state.nodes) expect(alive(n.pid), n.server).toBe(true);
    const hosts = readFileSync(path.join(dir, 'relay-up.hosts.yaml'), 'utf8');
    for (const [server, address] of [['EDGE01', EDGE01], ['EX01', EX01], ['EX02', EX02]]) expect(hosts).toContain(`${server}:\n    address: ${address}\n    portOffset: 10000`);
    expect(readFileSync(path.join(dir, 'EX01', 'relay.log'), 'utf8')).toMatch(/^ready EX01 /m);
  });

  it('mail for a mailbox of DB01 (active on EX01), submitted to EX02 and sent from the internet to EDGE01, crosses to EX01 and lands in its mailbox store', { timeout: 60_000 }, async () => {
    for (const [address, fqdn] of [[EX02, 'ex02'], [EDGE01, 'edge01']]) {
      const sent = await execa('swaks', ['--server', `${address}:10025`, '--from', 'someone@example.net', '--to', 'alice@contoso.com', '--timeout', '20'], { reject: false, all: true, timeout: 40_000 });
      expect(sent.all).toMatch(new RegExp(`<- {2}250 2\\.6\\.0 .*Hostname=${fqdn}\\.contoso\\.com\\] Queued mail for delivery`));
    }
    const maildir = path.join(dir, 'EX01', 'mailboxes', 'DB01', 'alice@contoso.com', 'new');
    const delivered = async () => (await readdir(maildir).catch(() => [] as string[])).length;
    await waitFor(async () => (await delivered()) >= 2, 30_000, 'two messages in alice\'s mailbox on EX01');
    expect(await delivered()).toBe(2);
    for (const file of await readdir(maildir)) expect(readFileSync(path.join(maildir, file), 'utf8')).toMatch(/^Delivered-To: alice@contoso\.com\r\n/);
    // They went through the queues of EX02 and EDGE01 to EX01, not into mailbox stores of their own.
    for (const server of ['EX02', 'EDGE01']) expect(existsSync(path.join(dir, server, 'mailboxes'))).toBe(false);
  });

  it('a second up while the lab runs: exit 2, pointing to relay down', async () => {
    const r = await up();
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/mxt: a lab is already running in .*: EDGE01 \(pid \d+\), EX01 \(pid \d+\), EX02 \(pid \d+\)\nhint: stop it first: mxt relay down/);
  });

  it('status --format json: every node running, with its listeners and queue count; exit 0', async () => {
    const r = await mxt(['relay', 'status', '--data-dir', dir, '--format', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as { nodes: { server: string; running: boolean; listeners: { address: string; port: number }[]; queued?: number }[] };
    expect(status.nodes.map((n) => [n.server, n.running])).toEqual([['EDGE01', true], ['EX01', true], ['EX02', true]]);
    expect(status.nodes[1]!.listeners).toContainEqual(expect.objectContaining({ address: EX01, port: 12525 }));
    for (const n of status.nodes) expect(typeof n.queued).toBe('number');
    // --config is taken as by every command; another file than the lab's is noted, the lab is still shown.
    const other = await mxt(['relay', 'status', '--data-dir', dir, '--format', 'text', '--config', 'examples/multi-site.mxt.yaml']);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stderr, other.stderr).toMatch(/note: the lab in .* runs .*contoso\.mxt\.yaml, not .*multi-site\.mxt\.yaml/);
    expect(other.stdout).toContain('3 of 3 running');
  });

  it('a node killed with SIGKILL: status says it is not running, exit 1', async () => {
    const ex02 = readState().nodes.find((n) => n.server === 'EX02')!;
    process.kill(ex02.pid, 'SIGKILL');
    await waitFor(() => !alive(ex02.pid), 10_000, 'EX02 to end');
    const r = await mxt(['relay', 'status', '--data-dir', dir, '--format', 'json']);
    expect(r.exitCode).toBe(1);
    expect((JSON.parse(r.stdout) as { nodes: { server: string; running: boolean }[] }).nodes.map((n) => [n.server, n.running])).toEqual([['EDGE01', true], ['EX01', true], ['EX02', false]]);
    expect(r.stderr).toContain('mxt: not running: EX02');
  });

  it('down: stops the nodes still running, removes the state; no process is left; down again has nothing to do', { timeout: 60_000 }, async () => {
    const nodes = readState().nodes;
    const r = await mxt(['relay', 'down', '--data-dir', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^stopped EDGE01 \(pid \d+\)\nstopped EX01 \(pid \d+\)\nEX02 \(pid \d+\) was not running\nlab down: /);
    for (const n of nodes) expect(alive(n.pid), n.server).toBe(false);
    expect(readFileSync(path.join(dir, 'EX01', 'relay.log'), 'utf8')).toMatch(/^stopped EX01$/m);
    expect(existsSync(stateFile())).toBe(false);
    const again = await mxt(['relay', 'down', '--data-dir', dir]);
    expect(again).toMatchObject({ exitCode: 0, stdout: `nothing running: no lab in ${dir}` });
    const status = await mxt(['relay', 'status', '--data-dir', dir]);
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toContain(`mxt: no lab is running in ${dir}`);
  });

  it('a lab whose nodes all died (SIGKILL): status exit 1, and the next up replaces its state, saying so', { timeout: 120_000 }, async () => {
    const first = await up('--server', 'EX01');
    for (const pid of pidsIn(first.stdout)) pids.add(pid);
    expect(first.exitCode, first.stderr).toBe(0);
    const ex01 = readState().nodes[0]!;
    process.kill(-ex01.pid, 'SIGKILL');
    await waitFor(() => !alive(ex01.pid), 10_000, 'EX01 to end');
    expect((await mxt(['relay', 'status', '--data-dir', dir])).exitCode).toBe(1);
    const again = await up('--server', 'EX01');
    for (const pid of pidsIn(again.stdout)) pids.add(pid);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain(`note: the lab recorded in ${dir} (EX01) was no longer running: its state is replaced`);
    expect(readState().nodes[0]!.pid).not.toBe(ex01.pid);
    expect((await mxt(['relay', 'down', '--data-dir', dir])).exitCode).toBe(0);
  });

  it("--server EX01 --server EX02 with a port of EX02 in use: exit 1 with EX02's log, EX01 stopped again, no state", { timeout: 120_000 }, async () => {
    const blocker: Server = createServer();
    // EX02's Default receive connector: 2525 + the offset.
    await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(2525 + Number(OFFSET), EX02, resolve));
    try {
      const r = await up('--server', 'EX01', '--server', 'EX02');
      for (const pid of pidsIn(r.stdout)) pids.add(pid);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).not.toContain('EDGE01');
      expect(r.stdout).toMatch(new RegExp(`^EX02 +Mailbox +${at(EX02)} +pid \\d+ +failed: mxt: cannot listen on ${at(EX02)}:12525 for Default EX02: EADDRINUSE$`, 'm'));
      expect(r.stderr).toContain(`--- EX02: ${path.join('EX02', 'relay.log')} ---`);
      expect(r.stderr).toContain('did not start, so the lab was stopped again: nothing runs');
      for (const pid of pidsIn(r.stdout)) expect(alive(pid)).toBe(false);
      expect(existsSync(stateFile())).toBe(false);
      // EDGE01, not started, keeps its place (node 0) in the nodes' table: to them it is a server that is down.
      expect(readFileSync(path.join(dir, 'relay-up.hosts.yaml'), 'utf8')).toContain(`EDGE01:\n    address: ${EDGE01}\n    portOffset: 10000`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
