/**
 * `mxt send` and `mxt trace` through the built CLI, against two real relay nodes of
 * examples/contoso.mxt.yaml (EX01 and EX02, each `mxt relay start` on its own loopback address, one
 * data folder with the organization CA, a hosts file telling each where the other listens, as `relay
 * up` lays them out): a message to a local mailbox lands in EX01's mailbox store and its trace shows
 * RECEIVE then DELIVER; a refused recipient is exit 1 with the relay's 550; mail for a group that
 * EX02 expands (R99) is traced across both nodes in time order. Then the trace reader on logs written
 * here: skipped and torn lines, internal ids, reports (DSN), usage errors.
 */
import type { ResultPromise } from 'execa';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { startRelayProcess } from '../helpers/relay-process.js';
import { waitFor } from './queue/helpers.js';

const NODES = { EX01: loopback('sendTrace', 0), EX02: loopback('sendTrace', 1) } as const;
const OFFSET = 10000;
let dir: string;
let data: string;
const relays: ResultPromise[] = [];

interface SendJson {
  connector: string;
  endpoint: { host: string; port: number };
  endpointFrom: string;
  tls: boolean;
  messageId: string;
  accepted: string[];
  rejected: { recipient: string; reply: { code: number; enhancedCode: string; text: string } }[];
  reply: { code: number; enhancedCode: string; text: string };
}
interface TraceJson {
  messageId: string;
  events: { timestamp: string; server: string; eventId: string; messageId: string; recipients: string[]; [k: string]: unknown }[];
  reports: string[];
}

const send = (args: string[]) => mxt(['send', '--data-dir', data, '--from', 'someone@example.net', '--format', 'json', ...args], { cwd: dir });
const trace = (args: string[], dataDir = data) => mxt(['trace', '--data-dir', dataDir, ...args], { cwd: dir });
const traced = async (id: string): Promise<TraceJson> => JSON.parse((await trace([id, '--format', 'json'])).stdout) as TraceJson;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-send-trace-'));
  data = path.join(dir, '.mxt');
  copyFileSync(path.join(ROOT, 'examples/contoso.mxt.yaml'), path.join(dir, 'mxt.config.yaml'));
  const hosts = path.join(dir, 'nodes.yaml');
  writeFileSync(hosts, `servers:\n${Object.entries(NODES).map(([s, a]) => `  ${s}: { address: ${a}, portOffset: ${OFFSET} }`).join('\n')}\n`);
  // Hops between the nodes, and into each node's own mailbox store, authenticate with its certificate (R40).
  expect((await mxt(['relay', 'cert', '--server', 'EX01', '--server', 'EX02', '--data-dir', data], { cwd: dir })).exitCode).toBe(0);
  for (const [server, address] of Object.entries(NODES)) {
    relays.push((await startRelayProcess(server, ['--address', address, '--port-offset', String(OFFSET), '--hosts', hosts, '--data-dir', data], dir)).relay);
  }
}, 120_000);

afterAll(async () => {
  for (const relay of relays) relay.kill('SIGTERM');
  for (const relay of relays) await relay;
  await rm(dir, { recursive: true, force: true });
});

describe('mxt send and mxt trace on two running relays (built CLI)', () => {
  it('send: Default Frontend of EX01 over STARTTLS (the CA of the data folder); the message lands in the mailbox store; trace shows RECEIVE, then DELIVER', { timeout: 60_000 }, async () => {
    const r = await send(['--server', 'EX01', '--address', NODES.EX01, '--port-offset', String(OFFSET), '--to', 'alice@contoso.com', '--subject', 'hello']);
    expect(r.exitCode, r.stderr).toBe(0);
    const sent = JSON.parse(r.stdout) as SendJson;
    expect(sent).toMatchObject({ connector: 'Default Frontend EX01', endpoint: { host: NODES.EX01, port: 10025 }, endpointFrom: 'flags', tls: true, accepted: ['alice@contoso.com'], rejected: [], reply: { code: 250, enhancedCode: '2.6.0' } });
    expect(sent.messageId).toMatch(/^<[^<>@]+@example\.net>$/);
    expect(sent.reply.text).toContain(sent.messageId);

    const maildir = path.join(data, 'EX01', 'mailboxes', 'DB01', 'alice@contoso.com', 'new');
    const stored = async () => {
      const files = await readdir(maildir).catch(() => [] as string[]);
      return files.map((f) => readFileSync(path.join(maildir, f), 'utf8')).find((m) => m.includes(`Message-ID: ${sent.messageId}`));
    };
    await waitFor(async () => (await stored()) !== undefined, 30_000, 'the message in alice\'s Maildir');
    expect(await stored()).toMatch(/\r\nSubject: hello\r\n/);

    const bare = sent.messageId.slice(1, -1);
    await waitFor(async () => (await traced(bare)).events.some((e) => e.eventId === 'DELIVER'), 10_000, 'the DELIVER event');
    const t = await traced(bare);
    expect(t.messageId).toBe(bare);
    expect(t.events[0]).toMatchObject({ server: 'EX01', eventId: 'RECEIVE', connectorId: 'Default Frontend EX01', sender: 'someone@example.net', recipients: ['alice@contoso.com'] });
    expect(t.events.map((e) => e.eventId)).toContain('DELIVER');
    expect(t.events.find((e) => e.eventId === 'DELIVER')).toMatchObject({ source: 'STOREDRIVER', recipients: ['alice@contoso.com'], nextHopDomain: 'DB01' });
    // With or without the angle brackets, the same trace; text is a table, one line per event.
    expect((await traced(sent.messageId)).events).toEqual(t.events);
    const text = await trace([sent.messageId, '--format', 'text']);
    expect(text.exitCode).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`Message-ID ${sent.messageId}: ${t.events.length} events on EX01`);
    expect(lines[1]).toMatch(/^Timestamp +Server +EventId +Source +InternalMessageId +Sender +Recipients +RecipientStatus +ConnectorId +Reference$/);
    expect(lines.slice(3)).toHaveLength(t.events.length);
    expect(lines[3]).toMatch(/^\S+Z +EX01 +RECEIVE +SMTP +\d+ +someone@example\.net +alice@contoso\.com +Default Frontend EX01$/);
  });

  it('send: a recipient the relay refuses (anonymous relay outside the organization) is exit 1, with its 550 in the JSON; the others are accepted', { timeout: 30_000 }, async () => {
    const r = await send(['--server', 'EX01', '--address', NODES.EX01, '--port-offset', String(OFFSET), '--to', 'alice@contoso.com,bob@fabrikam.com']);
    expect(r.exitCode, r.stderr).toBe(1);
    const sent = JSON.parse(r.stdout) as SendJson;
    expect(sent.accepted).toEqual(['alice@contoso.com']);
    expect(sent.rejected).toEqual([{ recipient: 'bob@fabrikam.com', reply: { code: 550, enhancedCode: '5.7.54', text: 'SMTP; Unable to relay recipient in non-accepted domain' } }]);
    expect(sent.reply.code).toBe(250);
    // Text: each envelope command with its reply, then the Message-ID.
    const text = await mxt(['send', '--server', 'EX01', '--address', NODES.EX01, '--port-offset', String(OFFSET), '--data-dir', data, '--from', 'someone@example.net', '--to', 'bob@fabrikam.com', '--format', 'text'], { cwd: dir });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/^MAIL FROM:<someone@example\.net> SIZE=\d+ {2}→ {2}250 2\.1\.0 Sender OK$/m);
    expect(text.stdout).toMatch(/^RCPT TO:<bob@fabrikam\.com> {2}→ {2}550 5\.7\.54 SMTP; Unable to relay recipient in non-accepted domain$/m);
    expect(text.stdout).toMatch(/^Message-ID: <.+>$/m);
  });

  it('R99 across two nodes: all@contoso.com sent to EX01 (relay-up.json says where) is expanded on EX02 and delivered on EX01; trace shows both nodes in time order', { timeout: 60_000 }, async () => {
    writeFileSync(path.join(data, 'relay-up.json'), JSON.stringify({ version: 1, config: path.join(dir, 'mxt.config.yaml'), startedAt: new Date().toISOString(), nodes: Object.entries(NODES).map(([server, address]) => ({ server, role: 'Mailbox', site: 'x', pid: 1, address, portOffset: OFFSET, log: `${server}/relay.log` })) }));
    const r = await send(['--server', 'EX01', '--to', 'all@contoso.com', '--message-id', 'group-1@example.net']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ endpointFrom: 'relay-up', endpoint: { host: NODES.EX01, port: 10025 }, messageId: '<group-1@example.net>' });
    await waitFor(async () => (await traced('group-1@example.net')).events.some((e) => e.eventId === 'DELIVER'), 30_000, 'the DELIVER event');
    const t = await traced('group-1@example.net');
    const trail = t.events.map((e) => `${e.server} ${e.eventId}`);
    expect(trail).toEqual(expect.arrayContaining(['EX01 RECEIVE', 'EX01 SEND', 'EX02 RECEIVE', 'EX02 EXPAND', 'EX01 DELIVER']));
    expect(t.events.find((e) => e.eventId === 'EXPAND')).toMatchObject({ server: 'EX02', relatedRecipientAddress: 'all@contoso.com', recipients: ['alice@contoso.com'] });
    // Time order, to the millisecond the logs record, except that a node's RECEIVE comes first of its
    // events: its two threads may log in the other order (the queue can expand a message a millisecond
    // before the front door has written its RECEIVE), so an event is placed no earlier than it.
    // (EX01 receives the message twice: from the client, then back from EX02 after the expansion.)
    const copy = (e: { server: string; internalMessageId?: unknown }) => `${e.server} ${String(e.internalMessageId)}`;
    const receivedAt = new Map(t.events.filter((e) => e.eventId === 'RECEIVE').map((e) => [copy(e), Date.parse(e.timestamp)]));
    const placed = t.events.map((e) => Math.max(Date.parse(e.timestamp), receivedAt.get(copy(e)) ?? -Infinity));
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
    for (const server of ['EX01', 'EX02']) expect(t.events.find((e) => e.server === server)?.eventId).toBe('RECEIVE');
    // --server keeps one node's events.
    const only = JSON.parse((await trace(['group-1@example.net', '--server', 'EX02', '--format', 'json'])).stdout) as TraceJson;
    expect(new Set(only.events.map((e) => e.server))).toEqual(new Set(['EX02']));
  });

  it('send --auth: Client Frontend (587) after STARTTLS, authenticated, may submit outside the organization; a wrong password is exit 1 with the 535', { timeout: 30_000 }, async () => {
    const add = await mxt(['relay', 'user', 'add', 'app', '--data-dir', data], { cwd: dir, input: 'app-secret\n' });
    expect(add.exitCode, add.stderr).toBe(0);
    const lab = ['--server', 'EX01', '--address', NODES.EX01, '--port-offset', String(OFFSET), '--to', 'bob@fabrikam.com', '--auth', 'app', '--password-env', 'APP_PW'];
    const ok = await mxt(['send', '--data-dir', data, '--from', 'app@contoso.com', '--format', 'json', ...lab], { cwd: dir, env: { APP_PW: 'app-secret' } });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ connector: 'Client Frontend EX01', endpoint: { port: 10587 }, tls: true, authenticated: true, accepted: ['bob@fabrikam.com'] });
    const wrong = await mxt(['send', '--data-dir', data, '--from', 'app@contoso.com', '--format', 'json', ...lab], { cwd: dir, env: { APP_PW: 'not-it' } });
    expect(wrong.exitCode).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ authenticated: false, accepted: [], reply: { code: 535 } });
  });

  it('send --size: a message over the connector\'s MaxMessageSize (36 MB) is sent undeclared and refused by the relay (552), exit 1; one under it is declared and taken', { timeout: 60_000 }, async () => {
    const lab = ['--server', 'EX01', '--address', NODES.EX01, '--port-offset', String(OFFSET), '--to', 'alice@contoso.com'];
    const over = await send([...lab, '--size', '40MB']);
    expect(over.exitCode, over.stderr).toBe(1);
    const sent = JSON.parse(over.stdout) as SendJson & { size: number; transcript: { command: string }[] };
    expect(sent.size).toBe(40 * 1024 * 1024);
    expect(sent.transcript.find((t) => t.command.startsWith('MAIL FROM'))!.command).toBe('MAIL FROM:<someone@example.net>');
    expect(sent.reply).toMatchObject({ code: 552, enhancedCode: '5.3.4' });
    const under = await send([...lab, '--size', '1MB', '--header', 'X-Test: size']);
    expect(under.exitCode, under.stderr).toBe(0);
    const taken = JSON.parse(under.stdout) as SendJson & { size: number; transcript: { command: string }[] };
    expect(taken.size).toBe(1024 * 1024);
    expect(taken.transcript.find((t) => t.command.startsWith('MAIL FROM'))!.command).toBe(`MAIL FROM:<someone@example.net> SIZE=${1024 * 1024}`);
  });

  it('trace of an id no node logged: exit 1, naming the logs it read', async () => {
    const r = await trace(['nobody-sent-this@example.net', '--format', 'text']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('mxt: no tracking events for <nobody-sent-this@example.net> in ');
    expect(r.stderr).toContain(path.join('EX01', 'logs', 'tracking.log'));
    expect(r.stderr).toContain(path.join('EX02', 'logs', 'tracking.log'));
  });

  it('send: nothing listening there is exit 1 naming host:port; bad addresses and flags are usage errors (exit 2)', async () => {
    const down = await send(['--server', 'EX01', '--address', NODES.EX01, '--port-offset', '30000', '--to', 'alice@contoso.com']);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain(`mxt: cannot send to ${NODES.EX01}:30025: `);
    const bad = await send(['--server', 'EX01', '--to', 'alice@', '--address', NODES.EX01, '--port-offset', String(OFFSET)]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('mxt: --to alice@: the domain after @ is empty');
    const unknown = await send(['--server', 'EX01', '--connector', 'Nope', '--to', 'alice@contoso.com']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/mxt: EX01 has no receive connector "Nope"\nhint: its connectors: Default Frontend EX01, /);
    const auth = await send(['--server', 'EX01', '--auth', 'app', '--to', 'alice@contoso.com']);
    expect(auth.exitCode).toBe(2);
    expect(auth.stderr).toContain('--auth needs --password-env VAR');
    for (const r of [down, bad, unknown, auth]) expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('mxt trace reads the logs as they are (built CLI, logs written here)', () => {
  let logs: string;
  const line = (fields: Record<string, unknown>) => `${JSON.stringify({ level: 30, ...fields })}\n`;
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString();

  beforeAll(() => {
    logs = path.join(dir, 'written');
    for (const server of ['EX01', 'EX02']) mkdirSync(path.join(logs, server, 'logs'), { recursive: true });
    const ex01 = path.join(logs, 'EX01', 'logs', 'tracking.log');
    const ex02 = path.join(logs, 'EX02', 'logs', 'tracking.log');
    writeFileSync(ex01, line({ time: at(0), eventId: 'RECEIVE', messageId: 'm1@example.net', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'] }));
    appendFileSync(ex01, 'not json at all\n');
    appendFileSync(ex01, line({ time: at(5), eventId: 'SEND', messageId: '<m1@example.net>', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'] }));
    appendFileSync(ex01, line({ time: at(30), eventId: 'RECEIVE', messageId: 'other@example.net', internalMessageId: '8', sender: 'b@example.net', recipients: ['y@contoso.com'] }));
    // A relay that died while writing: half a line, no newline.
    appendFileSync(ex01, '{"level":30,"time":"2026-01-01T12:00:00.040Z","eventId":"SE');
    // The queue's thread may log a message's EXPAND a millisecond before the front door's thread logs its RECEIVE.
    writeFileSync(ex02, line({ time: at(2), eventId: 'EXPAND', messageId: '<m1@example.net>', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'], relatedRecipientAddress: 'all@contoso.com' }));
    appendFileSync(ex02, line({ time: at(3), eventId: 'RECEIVE', messageId: 'm1@example.net', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'] }));
    appendFileSync(ex02, line({ time: at(5), eventId: 'FAIL', messageId: '<m1@example.net>', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'], recipientStatus: ['550 5.1.1 unknown'] }));
    appendFileSync(ex02, line({ time: at(6), eventId: 'DSN', source: 'DSN', messageId: '<m1@example.net>', internalMessageId: '7', sender: 'a@example.net', recipients: ['a@example.net'], reference: 'r1@ex02.contoso.com' }));
    appendFileSync(ex02, line({ time: at(9), eventId: 'SEND', messageId: '<r1@ex02.contoso.com>', internalMessageId: '9', sender: '', recipients: ['a@example.net'] }));
    appendFileSync(ex02, line({ time: at(50), eventId: 'RECEIVE', messageId: 'third@example.net', internalMessageId: '8', sender: 'c@example.net', recipients: ['z@contoso.com'] }));
  });

  it('events of every node in time order (ties in node order); a non-JSON line is skipped and counted, a torn last line tolerated; the report (DSN) followed', async () => {
    const r = await trace(['<m1@example.net>', '--format', 'json'], logs);
    expect(r.exitCode, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout) as TraceJson;
    // A node's RECEIVE of a message comes before its other events for it, whatever their timestamps.
    expect(t.events.map((e) => `${e.timestamp.slice(20)} ${e.server} ${e.eventId}`)).toEqual(['000Z EX01 RECEIVE', '003Z EX02 RECEIVE', '002Z EX02 EXPAND', '005Z EX01 SEND', '005Z EX02 FAIL', '006Z EX02 DSN', '009Z EX02 SEND']);
    expect(t.reports).toEqual(['r1@ex02.contoso.com']);
    expect(t.events[4]).toEqual({ timestamp: at(5), server: 'EX02', eventId: 'FAIL', messageId: '<m1@example.net>', internalMessageId: '7', sender: 'a@example.net', recipients: ['x@contoso.com'], recipientStatus: ['550 5.1.1 unknown'] });
    expect(r.stderr).toContain(`note: 1 line of ${path.join(logs, 'EX01', 'logs', 'tracking.log')} is not JSON (skipped)`);
    expect(r.stderr).toMatch(/EX01.logs.tracking\.log ends in half a line/);
    const text = await trace(['m1@example.net', '--format', 'text'], logs);
    expect(text.stdout).toMatch(/EX02 +DSN .* r1@ex02\.contoso\.com$/m);
    expect(text.stdout).toMatch(/EX02 +SEND +9 +<> +a@example\.net +report <r1@ex02\.contoso\.com>$/m);
  });

  it('an internal message id: traced as its Message-ID when it names one message (on any node), a usage error listing them when several', async () => {
    const one = await trace(['7', '--format', 'json'], logs);
    expect(one.exitCode, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as TraceJson).messageId).toBe('m1@example.net');
    expect((JSON.parse(one.stdout) as TraceJson).events).toHaveLength(7);
    expect(one.stderr).toContain('note: internal message id 7 of EX01 is Message-ID <m1@example.net>');
    const several = await trace(['8'], logs);
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toContain('mxt: internal message id 8 was several messages: <other@example.net> on EX01; <third@example.net> on EX02');
    const narrowed = await trace(['8', '--server', 'EX02', '--format', 'json'], logs);
    expect((JSON.parse(narrowed.stdout) as TraceJson).messageId).toBe('third@example.net');
  });

  it('usage errors (exit 2, with a hint): no data folder, no tracking log, an unknown --server', async () => {
    const none = await trace(['m1@example.net'], path.join(dir, 'nowhere'));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^mxt: no data folder .*nowhere\nhint: give --data-dir DIR/);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect((await trace(['m1@example.net'], empty)).stderr).toMatch(/^mxt: no tracking log under /);
    const unknown = await trace(['m1@example.net', '--server', 'EX09'], logs);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('hint: nodes with a tracking log there: EX01, EX02');
  });
});
