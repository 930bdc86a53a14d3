/**
 * `mxt relay start` reads its config again on SIGHUP (R120: a configuration change routes queued
 * mail again). EX01 of examples/contoso.mxt.yaml holds a message for all@contoso.com, which EX02
 * expands, while EX02 is down (the hosts file says it listens where nothing does). The config is
 * changed to expand the group on EX01: after SIGHUP the waiting message is routed again and reaches
 * alice's Maildir on EX01. A config that does not validate is refused with its location, and the
 * relay goes on taking mail on the previous one.
 */
import { execa, type ResultPromise } from 'execa';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { waitFor as until } from './queue/helpers.js';

const ADDRESS = loopback('reload');
let dir: string;
let relay: ResultPromise | undefined;


beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-reload-'));
});
afterAll(async () => {
  if (relay && relay.exitCode === null) relay.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('relay start: SIGHUP reloads the config', () => {
  it('R120: queued mail is routed on the new config; an invalid config is refused with file:line:col and the relay runs on', { timeout: 120_000 }, async () => {
    const config = path.join(dir, 'mxt.config.yaml');
    copyFileSync(path.join(ROOT, 'examples/contoso.mxt.yaml'), config);
    const original = readFileSync(config, 'utf8');
    expect(original).toContain('expansionServer: EX02');
    const hosts = path.join(dir, 'ex02-down.yaml');
    writeFileSync(hosts, `servers:\n  EX02: { address: ${ADDRESS}, portOffset: 40000 }\n`);
    // Hops between the topology's servers, the last one into the mailbox store included, authenticate
    // with the node's certificate (R40): without one, EX01's own Mailbox Transport Delivery refuses them.
    await execa(process.execPath, [BIN, 'relay', 'cert', '--config', config, '--server', 'EX01', '--data-dir', dir], { cwd: dir });
    relay = execa(process.execPath, [BIN, 'relay', 'start', '--config', config, '--server', 'EX01', '--address', ADDRESS, '--port-offset', '10000', '--hosts', hosts, '--data-dir', dir], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' },
      extendEnv: false,
      reject: false,
    });
    let stdout = '';
    let stderr = '';
    relay.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    relay.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(() => stdout.includes('ready EX01') || relay!.exitCode !== null, 60_000, 'the relay');
    expect(stdout, stderr).toContain('ready EX01');

    const swaks = () => execa('swaks', ['--server', `${ADDRESS}:10025`, '--from', 'someone@example.net', '--to', 'all@contoso.com'], { reject: false, all: true });
    expect((await swaks()).all).toMatch(/<[-~] {2}250 2\.6\.0 /);
    const queues = async () => JSON.parse((await execa(process.execPath, [BIN, 'queue', 'list', '--server', 'EX01', '--data-dir', dir, '--format', 'json'], { cwd: dir })).stdout) as { Identity: string; MessageCount: number; NextHopDomain: string }[];
    // Waiting on EX01 for its expansion server (R99), which does not answer.
    await until(async () => (await queues()).some((q) => q.MessageCount === 1 && !/Submission/.test(q.Identity)), 30_000, 'the message waiting for EX02');
    const maildir = path.join(dir, 'EX01', 'mailboxes', 'DB01', 'alice@contoso.com', 'new');
    const delivered = async () => (await readdir(maildir).catch(() => [] as string[])).length;
    expect(await delivered()).toBe(0);

    writeFileSync(config, original.replace('expansionServer: EX02', 'expansionServer: EX01'));
    relay.kill('SIGHUP');
    await until(() => stdout.includes('reloaded EX01'), 20_000, 'the reload');
    expect(stdout).toMatch(/reloaded EX01: [1-9]\d* queued recipients? routed again/);
    await until(async () => (await delivered()) === 1, 30_000, 'delivery to alice on EX01 after the reload');
    // Message tracking follows it: received, expanded here (R99), sent to the mailbox hop, delivered.
    const events = () => readFileSync(path.join(dir, 'EX01', 'logs', 'tracking.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    await until(() => events().some((e) => e.eventId === 'DELIVER'), 10_000, 'the DELIVER event');
    await until(() => events().some((e) => e.eventId === 'SEND'), 10_000, 'the SEND event');
    const trail = events();
    // The hop into EX01's own Mailbox Transport Delivery (475) is received and delivered before the sending side logs SEND.
    expect(trail.slice(0, 2).map((e) => e.eventId)).toEqual(['RECEIVE', 'EXPAND']);
    expect(trail.slice(2).map((e) => e.eventId).sort()).toEqual(['DELIVER', 'RECEIVE', 'SEND']);
    const event = (id: string) => trail.slice(1).find((e) => e.eventId === id)!;
    expect(event('EXPAND')).toMatchObject({ relatedRecipientAddress: 'all@contoso.com', recipients: ['alice@contoso.com'], internalMessageId: trail[0]!.internalMessageId });
    expect(event('SEND')).toMatchObject({ recipients: ['alice@contoso.com'], nextHopDomain: 'DB01', internalMessageId: trail[0]!.internalMessageId, serverHostname: 'ex01.contoso.com' });
    expect(event('RECEIVE')).toMatchObject({ connectorId: 'Mailbox delivery Receive connector EX01', messageId: trail[0]!.messageId });
    expect(event('DELIVER')).toMatchObject({ source: 'STOREDRIVER', recipients: ['alice@contoso.com'], nextHopDomain: 'DB01', messageId: trail[0]!.messageId });

    // A config that does not validate: refused, with where and why; mail is still taken.
    writeFileSync(config, original.replace('expansionServer: EX02', 'expansionServer: EX09'));
    relay.kill('SIGHUP');
    await until(() => stderr.includes('reload of EX01 refused'), 20_000, 'the refusal');
    expect(stderr).toMatch(/reload of EX01 refused, still running the previous config: .*mxt\.config\.yaml:\d+:\d+: .*EX09/);
    expect((await swaks()).all).toMatch(/<[-~] {2}250 2\.6\.0 /);
    await until(async () => (await delivered()) === 2, 30_000, 'the second message, on the previous config');

    relay.kill('SIGTERM');
    expect((await relay).exitCode).toBe(0);
  });
});
