/**
 * A hop between the topology's own servers that cannot authenticate (no `mxt relay cert` yet) is the
 * hop's problem, not the message's: as Exchange keeps such mail in the remote delivery queue with
 * "451 4.4.0 Primary target IP address responded with: …", EX01 keeps mail for alice (delivered
 * through its own Mailbox Transport Delivery, port 475, which takes only authenticated servers) in
 * the DB01 queue in Retry, with no NDR. After `mxt relay cert` and a restart, `mxt queue retry`
 * sends it on: it reaches the Maildir, once.
 */
import { execa, type ResultPromise } from 'execa';
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { startRelayProcess } from '../helpers/relay-process.js';
import { waitFor as until } from './queue/helpers.js';

const ADDRESS = loopback('internalAuth');
let dir: string;
let relay: ResultPromise | undefined;


async function start(config: string): Promise<{ stdout: () => string }> {
  const started = await startRelayProcess('EX01', ['--config', config, '--address', ADDRESS, '--port-offset', '10000', '--data-dir', dir], dir);
  relay = started.relay;
  return { stdout: started.output };
}

async function stop(): Promise<void> {
  relay!.kill('SIGTERM');
  expect((await relay!).exitCode).toBe(0);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-internal-auth-'));
});
afterEach(() => {
  if (relay && relay.exitCode === null) relay.kill('SIGKILL');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hops between the topology\'s servers that cannot authenticate', () => {
  it('the message waits in its queue (Retry, 451 4.4.0 Primary target …), no NDR; after relay cert it is delivered once', { timeout: 120_000 }, async () => {
    const config = path.join(dir, 'mxt.config.yaml');
    copyFileSync(path.join(ROOT, 'examples/contoso.mxt.yaml'), config);
    const first = await start(config);
    expect(first.stdout()).toContain('hops to the topology\'s servers cannot authenticate');
    const sent = await execa('swaks', ['--server', `${ADDRESS}:10025`, '--from', 'someone@example.net', '--to', 'alice@contoso.com'], { reject: false, all: true });
    expect(sent.all).toMatch(/<- {2}250 2\.6\.0 /);
    const mxt = (args: string[]) => execa(process.execPath, [BIN, ...args, '--data-dir', dir], { cwd: dir, reject: false });
    type Queue = { Identity: string; Status: string; MessageCount: number; NextHopDomain: string; LastError: string | null };
    const db01 = async () => (JSON.parse((await mxt(['queue', 'list', '--server', 'EX01', '--format', 'json'])).stdout) as Queue[]).find((q) => q.NextHopDomain === 'DB01');
    await until(async () => (await db01())?.Status === 'Retry', 30_000, 'the DB01 queue in Retry');
    const waiting = (await db01())!;
    expect(waiting.MessageCount).toBe(1);
    expect(waiting.LastError).toMatch(/^451 4\.4\.0 Primary target IP address responded with: "530 5\.7\.1 /);
    const events = () => readFileSync(path.join(dir, 'EX01', 'logs', 'tracking.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { eventId: string }).eventId);
    expect(events()).not.toContain('FAIL');
    expect(events()).not.toContain('DSN');
    await stop();

    await execa(process.execPath, [BIN, 'relay', 'cert', '--config', config, '--server', 'EX01', '--data-dir', dir], { cwd: dir });
    await start(config);
    const retried = await mxt(['queue', 'retry', waiting.Identity, '--server', 'EX01']);
    expect(retried.exitCode, retried.stderr).toBe(0);
    const maildir = path.join(dir, 'EX01', 'mailboxes', 'DB01', 'alice@contoso.com', 'new');
    await until(async () => (await readdir(maildir).catch(() => [] as string[])).length > 0, 30_000, 'delivery after relay cert');
    await new Promise((r) => setTimeout(r, 500));
    expect(await readdir(maildir)).toHaveLength(1);
    expect(events()).toContain('DELIVER');
    expect(events()).not.toContain('DSN');
    await stop();
  });
});
