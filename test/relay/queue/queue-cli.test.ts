/**
 * `mxt queue list|show|retry|suspend|resume|remove` (R175–R177) against a running queue engine,
 * through its data folder's database: the built CLI in a child process, the relay in this one.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayQueue } from '../../../src/relay/queue/relay-queue.js';
import { emptyHostsTable } from '../../../src/relay/deliver/hosts-file.js';
import { mxt } from '../../helpers/cli.js';
import { loopback } from '../../helpers/loopback.js';
import { freePort, labTopology, message, startSmtpSink, tempDir, waitFor } from './helpers.js';

// The smart host's address (test/helpers/loopback.ts): its port is found free before the sink starts on it.
const SMART_HOST = loopback('queueCli');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function json(args: string[]): Promise<unknown> {
  const r = await mxt(args);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout);
}

describe('mxt queue', () => {
  it('lists, shows, suspends, resumes, retries and removes with Exchange\'s fields', async () => {
    const dir = tempDir();
    const port = await freePort(SMART_HOST);
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: SMART_HOST, port });
    const noInternet = labTopology();
    noInternet.sendConnectors = noInternet.sendConnectors.filter((c) => c.name !== 'To Internet');
    const q = new RelayQueue({ dataDir: dir, topology: noInternet, server: 'EX01', hosts });
    q.start();
    cleanups.push(async () => {
      await q.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const m1 = Number((await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'first' }))).queueId);
    const m2 = Number((await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'second' }))).queueId);
    const m3 = Number((await q.accept(message({ to: ['x@example.org'], subject: 'nowhere' }))).queueId);
    await waitFor(() => q.store.queues().find((x) => x.next_hop_domain === 'sink.test')?.status === 'Retry', 10_000, 'Retry');

    const list = (await json(['queue', 'list', '--data-dir', dir, '--format', 'json'])) as Record<string, unknown>[];
    const smart = list.find((x) => x.NextHopDomain === 'sink.test')!;
    expect(smart).toMatchObject({ DeliveryType: 'SmartHostConnectorDelivery', Status: 'Retry', MessageCount: 2, NextHopCategory: 'External', RiskLevel: 'Normal', OutboundIPPool: 0 });
    expect(String(smart.LastError)).toMatch(/^451 4\.4\.1/);
    expect(String(smart.Identity)).toMatch(/^EX01\\\d+$/);
    expect(list.find((x) => x.Identity === 'EX01\\Unreachable')).toMatchObject({ DeliveryType: 'Unreachable', NextHopDomain: 'Unreachable Domain', MessageCount: 1 });
    expect(list.find((x) => x.Identity === 'EX01\\Submission')).toMatchObject({ DeliveryType: 'Undefined', MessageCount: 0 });
    expect(list.some((x) => x.Identity === 'EX01\\Poison')).toBe(false); // hidden when empty (R140)

    const text = await mxt(['queue', 'list', '--data-dir', dir, '--format', 'text']);
    expect(text.stdout.split('\n')[0]).toMatch(/^Identity\s+DeliveryType\s+Status\s+MessageCount\s+Velocity\s+RiskLevel\s+OutboundIPPool\s+NextHopDomain$/);

    const shown = (await json(['queue', 'show', String(smart.Identity), '--data-dir', dir, '--format', 'json'])) as { Messages: Record<string, unknown>[] };
    expect(shown.Messages.map((m) => m.Subject)).toEqual(['first', 'second']);
    const msg = (await json(['queue', 'show', `EX01\\*\\${m3}`, '--data-dir', dir, '--format', 'json'])) as Record<string, unknown>;
    expect(msg).toMatchObject({ Identity: `EX01\\Unreachable\\${m3}`, FromAddress: 'sender@fabrikam.com', Subject: 'nowhere', LastError: 'A matching connector cannot be found to route the external recipient' });

    // R161: the Unreachable queue needs --resubmit.
    const refused = await mxt(['queue', 'retry', 'EX01\\Unreachable', '--data-dir', dir]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--resubmit');

    // Suspend the smart-host queue, bring the hop up, retry: nothing leaves until it is resumed (R152).
    await json(['queue', 'suspend', String(smart.Identity), '--data-dir', dir, '--format', 'json']);
    const sink = await startSmtpSinkAt(port);
    await json(['queue', 'retry', 'sink.test', '--data-dir', dir, '--format', 'json']);
    await new Promise((r) => setTimeout(r, 800));
    expect(sink.messages()).toHaveLength(0);
    // Remove one message without NDR, resume: only the other one is delivered.
    const removed = (await json(['queue', 'remove', `EX01\\${String(smart.Identity).split('\\')[1]}\\${m1}`, '--no-ndr', '--data-dir', dir, '--format', 'json'])) as { recipients: number };
    expect(removed.recipients).toBe(1);
    await json(['queue', 'resume', String(smart.Identity), '--data-dir', dir, '--format', 'json']);
    await waitFor(() => q.store.message(m2) === undefined, 10_000, 'delivery after resume');
    expect(sink.messages().map((m) => /Subject: (\w+)/.exec(m)?.[1])).toEqual(['second']);

    const missing = await mxt(['queue', 'show', 'EX01\\999', '--data-dir', dir]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/queue EX01\\999 not found/);
  });

  it('a folder without a queue database is a clear error', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const r = await mxt(['queue', 'list', '--data-dir', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no queue database');
  });
});

async function startSmtpSinkAt(port: number) {
  const s = await startSmtpSink(SMART_HOST, [], port);
  cleanups.push(() => s.stop());
  return s;
}
