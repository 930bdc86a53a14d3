/**
 * Same code as `route inbound` (issue 9 item 9): every listener × remote address inside and outside
 * the connectors' ranges × no auth, user auth, partner TLS, organization certificate × local,
 * InternalRelay, outside and unknown recipients, once through a real session with Python's smtplib
 * against the running relay and once through `mxt route inbound --format json` (the built CLI).
 * Both must name the same receive connector (R30–R32), the same EHLO keywords before and after
 * STARTTLS (R52, R52a), and the same reply to MAIL FROM (R57) and to each RCPT TO (R56, R60).
 */
import { execa } from 'execa';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mxt, ROOT } from '../helpers/cli.js';
import { testRelay, type TestRelay } from './helpers/relay.js';

const CONFIG = path.join(ROOT, 'test/relay/fixtures/differential.mxt.yaml');
const SOURCES = ['127.0.0.1', '127.0.0.70', '127.0.0.99'];
const AUTHS = ['none', 'user', 'partner', 'server'] as const;
const RECIPIENTS = ['alice@contoso.com', 'someone@legacy.contoso.com', 'bob@outside.example', 'nobody@contoso.com'];
const SENDER = 'sender@example.net';

interface Job {
  port: number;
  configuredPort: number;
  source: string;
  auth: (typeof AUTHS)[number];
}

interface Real {
  localPort?: number;
  ehlo: string[] | null;
  ehloTls: string[] | null;
  mail: [number, string] | null;
  rcpt: [number, string][];
  exception?: string;
}

interface Inbound {
  receiveConnector: { name: string } | null;
  ehlo: string[];
  ehloAfterTls: string[];
  mailFrom: { reply: { code: number; enhancedCode: string | null; text: string } } | null;
  recipients: { recipient: string; reply: { code: number; enhancedCode: string | null; text: string } }[];
}

let r: TestRelay;
beforeAll(async () => {
  r = await testRelay({ config: CONFIG });
});
afterAll(async () => {
  await r?.close();
});

const replyText = (x: { code: number; enhancedCode: string | null; text: string }) => [x.code, x.enhancedCode ? `${x.enhancedCode} ${x.text}` : x.text] as [number, string];

describe('relay session ≡ mxt route inbound', () => {
  it('≥ 200 combinations agree on connector, EHLO and every reply code and text', { timeout: 240_000 }, async () => {
    const jobs: Job[] = [];
    for (const listener of r.relay.listeners) {
      const configuredPort = Number(listener.bindings[0]!.split(':').pop());
      for (const source of SOURCES) for (const auth of AUTHS) jobs.push({ port: listener.port, configuredPort, source, auth });
    }
    const tls = (name: string) => path.join(r.dir, ...name.split('/'));
    const input = jobs.map((j) => ({
      port: j.port,
      source: j.source,
      auth: j.auth,
      sender: SENDER,
      recipients: RECIPIENTS,
      cafile: tls('ca/ca.crt'),
      user: 'bob',
      password: 'secret',
      ...(j.auth === 'partner' ? { cert: tls('partners/fabrikam.com/partner.crt'), key: tls('partners/fabrikam.com/partner.key') } : {}),
      ...(j.auth === 'server' ? { cert: tls('MBX-PAR/tls/server.crt'), key: tls('MBX-PAR/tls/server.key') } : {}),
    }));
    const played = await execa('python3', [path.join(ROOT, 'test/relay/clients/differential_client.py')], { input: JSON.stringify(input), timeout: 200_000 });
    const real = JSON.parse(played.stdout) as Real[];

    // Which connector took each real session: the protocol logs (every configurable connector is Verbose).
    const logDir = path.join(r.dir, 'MBX-PAR', 'logs', 'protocol');
    const byRemote = new Map<string, string>();
    for (const file of await readdir(logDir)) {
      for (const line of (await readFile(path.join(logDir, file), 'utf8')).split('\n').filter(Boolean)) {
        // Keyed by both ends: a client port is reused by later sessions, but on one listener the
        // connector depends only on the client address, so a reuse there names the same connector.
        const entry = JSON.parse(line) as { remote: string; local: string; connector: string };
        byRemote.set(`${entry.remote}|${entry.local}`, entry.connector);
      }
    }

    const inbound = await Promise.all(
      jobs.map(async (j) => {
        const out = await mxt(['route', 'inbound', '--config', CONFIG, '--server', 'MBX-PAR', '--remote-ip', j.source, '--port', String(j.configuredPort), '--auth', j.auth, '--sender', SENDER, ...RECIPIENTS.flatMap((t) => ['--to', t]), '--format', 'json']);
        expect(out.exitCode, out.stderr).toBe(0);
        return JSON.parse(out.stdout) as Inbound;
      }),
    );

    let combinations = 0;
    const mismatches: string[] = [];
    jobs.forEach((job, i) => {
      const got = real[i]!;
      const want = inbound[i]!;
      const label = `port ${job.configuredPort} from ${job.source} auth ${job.auth}`;
      expect(got.exception, label).toBeUndefined();
      const listener = r.relay.listeners.find((l) => l.port === job.port)!;
      const connector = byRemote.get(`${job.source}:${got.localPort}|127.0.0.1:${job.port}`) ?? (listener.connectors.length === 1 ? listener.connectors[0] : undefined);
      if (connector !== want.receiveConnector?.name) mismatches.push(`${label}: connector ${connector} vs ${want.receiveConnector?.name}`);
      if (JSON.stringify(got.ehlo) !== JSON.stringify(want.ehlo)) mismatches.push(`${label}: EHLO ${got.ehlo} vs ${want.ehlo}`);
      if (got.ehloTls && JSON.stringify(got.ehloTls) !== JSON.stringify(want.ehloAfterTls)) mismatches.push(`${label}: EHLO after TLS ${got.ehloTls} vs ${want.ehloAfterTls}`);
      const expectedMail = replyText(want.mailFrom!.reply);
      if (JSON.stringify(got.mail) !== JSON.stringify(expectedMail)) mismatches.push(`${label}: MAIL ${got.mail} vs ${expectedMail}`);
      RECIPIENTS.forEach((recipient, k) => {
        combinations += 1;
        const expected = replyText(want.recipients[k]!.reply);
        // A refused MAIL FROM answers for every recipient (product.md route inbound).
        const actual = got.mail?.[0] === 250 ? got.rcpt[k] : got.mail;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${label} RCPT ${recipient}: ${actual} vs ${expected}`);
      });
    });
    console.log(`differential: ${jobs.length} sessions, ${combinations} recipient combinations, ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
    expect(combinations).toBeGreaterThanOrEqual(200);
    // The matrix is not degenerate: accepted and refused, several connectors, relay granted and denied.
    const codes = new Set(real.flatMap((x) => [x.mail?.[0], ...x.rcpt.map((y) => y[0])]));
    expect([...codes]).toEqual(expect.arrayContaining([250, 530, 550]));
    expect(new Set(inbound.map((x) => x.receiveConnector?.name)).size).toBeGreaterThanOrEqual(7);
  });
});
