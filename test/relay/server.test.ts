/**
 * The relay on real sockets with clients nobody here wrote: Python's smtplib and swaks (R20, R30–R33,
 * R40–R45, R50–R57, R60). The relay runs in-process on 127.0.0.1 with kernel-chosen ports.
 */
import { execa } from 'execa';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, requireTopology } from '../../src/config/load.js';
import { ehloKeywords, startTlsOffered } from '../../src/core/policy/ehlo.js';
import type { Topology } from '../../src/core/model/topology.js';
import { readSpool } from '../../src/relay/spool.js';
import { FIXTURE, rawSession, ROOT, smtplib, testRelay, type TestRelay } from './helpers/relay.js';

let r: TestRelay;
let topology: Topology;
const FRONT = 'Default Frontend MBX-PAR';
const CLIENT = 'Client Frontend MBX-PAR';
const ca = () => path.join(r.dir, 'ca', 'ca.crt');
const serverCert = () => ['--cert', path.join(r.dir, 'MBX-PAR', 'tls', 'server.crt'), '--key', path.join(r.dir, 'MBX-PAR', 'tls', 'server.key')];
const swaks = async (args: string[]) => (await execa('swaks', ['--server', '127.0.0.1', '--timeout', '20', ...args], { reject: false, timeout: 60_000, all: true })).all ?? '';

beforeAll(async () => {
  topology = requireTopology(await loadConfig({ config: FIXTURE }));
  r = await testRelay();
});
afterAll(async () => {
  await r?.close();
});

describe('listeners and EHLO per connector (R20, R52, R52a)', () => {
  it('one listener per binding of every enabled connector, the Mailbox delivery connector included', () => {
    const names = r.relay.listeners.flatMap((l) => l.connectors);
    for (const c of topology.receiveConnectors) expect(names).toContain(c.name);
  });

  it('smtplib sees exactly the keywords core/policy gives each connector, before and after STARTTLS', async () => {
    for (const connector of topology.receiveConnectors) {
      // The anonymous relay connector takes only 127.0.0.99 (R31); everyone else on its port gets Default Frontend.
      const source = connector.name === 'Loopback relay' ? ['--source', '127.0.0.99'] : [];
      const tls = startTlsOffered(connector, { tlsActive: false });
      const out = await smtplib(['ehlo', '127.0.0.1', String(r.port(connector.name)), ...source, ...(tls ? ['--starttls', '--cafile', ca()] : [])]);
      expect(out.ehlo, connector.name).toEqual(ehloKeywords(connector, { tlsActive: false }));
      if (tls) {
        expect(out.tlsVersion).toMatch(/^TLSv1\.[23]$/);
        expect(out.ehloTls, connector.name).toEqual(ehloKeywords(connector, { tlsActive: true }));
      }
    }
  });
});

describe('mail through the relay', () => {
  it('anonymous to a local mailbox: 250, spooled durably, RECEIVE tracked, Default Frontend protocol-logged (R20 Verbose)', async () => {
    const out = await smtplib(['send', '127.0.0.1', String(r.port(FRONT)), '--from', 'someone@example.net', '--to', 'alice@contoso.com']);
    expect(out).toMatchObject({ sent: true, refused: {} });
    const spooled = await readSpool(path.join(r.dir, 'MBX-PAR', 'spool'));
    const mine = spooled.find((m) => m.envelope.sender === 'someone@example.net');
    expect(mine?.envelope).toMatchObject({ receiveConnector: FRONT, recipients: [{ address: 'alice@contoso.com' }] });
    expect(mine?.content.toString()).toMatch(/^Received: from .+\(\[127\.0\.0\.1\]\)\r\n\tby mbx-par\.contoso\.com \(mxt\) with ESMTP id /);
    const tracking = (await readFile(path.join(r.dir, 'MBX-PAR', 'logs', 'tracking.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(tracking.some((e) => e.eventId === 'RECEIVE' && e.sender === 'someone@example.net' && e.connectorId === FRONT)).toBe(true);
    const log = await readFile(path.join(r.dir, 'MBX-PAR', 'logs', 'protocol', 'Default_Frontend_MBX-PAR.log'), 'utf8');
    const first = JSON.parse(log.split('\n')[0]!);
    expect(first).toMatchObject({ connector: FRONT, direction: 'out' });
    expect(typeof first.session).toBe('string');
    expect(typeof first.time).toBe('string');
    await expect(stat(path.join(r.dir, 'MBX-PAR', 'logs', 'protocol', 'Client_Frontend_MBX-PAR.log'))).rejects.toThrow();
  });

  it('R60: anonymous relay to an outside domain is refused with 550 5.7.54 (smtplib and swaks)', async () => {
    const out = await smtplib(['send', '127.0.0.1', String(r.port(FRONT)), '--from', 'someone@example.net', '--to', 'bob@fabrikam.com']);
    expect(out.refused?.['bob@fabrikam.com']).toEqual([550, '5.7.54 SMTP; Unable to relay recipient in non-accepted domain']);
    expect(await swaks(['--port', String(r.port(FRONT)), '--to', 'bob@fabrikam.com', '--from', 'x@example.net'])).toContain('<** 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
  });

  it('R45/R57: STARTTLS + AUTH on Client Frontend, then the user submits anywhere; SMTPUTF8 with it', async () => {
    const out = await smtplib(['send', '127.0.0.1', String(r.port(CLIENT)), '--starttls', '--cafile', ca(), '--user', 'bob', '--password', 'secret', '--from', 'bøb@contoso.com', '--to', 'bob@fabrikam.com', '--smtputf8']);
    expect(out, JSON.stringify(out)).toMatchObject({ starttls: 220, auth: 235, sent: true, refused: {} });
    const spooled = await readSpool(path.join(r.dir, 'MBX-PAR', 'spool'));
    expect(spooled.find((m) => m.envelope.sender === 'bøb@contoso.com')?.envelope).toMatchObject({ smtpUtf8: true, authenticatedAs: 'bob' });
  });

  it('RFC 3207 5 / CVE-2011-0411: a command pipelined after STARTTLS in clear text is not run inside TLS', async () => {
    const out = await execa('python3', [path.join(ROOT, 'test/relay/clients/starttls_injection.py'), '127.0.0.1', String(r.port(FRONT)), ca()], { timeout: 30_000 });
    // The first reply inside TLS answers our NOOP (2.0.0 OK), not the injected RSET (2.0.0 Resetting).
    expect(JSON.parse(out.stdout)).toEqual({ starttls: '220 2.0.0 SMTP server ready', insideFirst: '250 2.0.0 OK' });
  });

  it('R53: AUTH with a wrong password is 535 5.7.3; AUTH before STARTTLS is not offered (BasicAuthRequireTLS)', async () => {
    expect((await smtplib(['ehlo', '127.0.0.1', String(r.port(CLIENT)), '--starttls', '--cafile', ca(), '--user', 'bob', '--password', 'wrong'])).auth).toBe(535);
    const plain = await swaks(['--port', String(r.port(CLIENT)), '--auth', 'PLAIN', '--auth-user', 'bob', '--auth-password', 'secret', '--to', 'x@fabrikam.com', '--from', 'bob@contoso.com']);
    expect(plain).toMatch(/Host did not advertise authentication/);
  });

  it('R40: a certificate of the organization CA makes an mxt node ExchangeServers (relays); without it the same client may not', async () => {
    const withCert = await smtplib(['send', '127.0.0.1', String(r.port(FRONT)), '--starttls', '--cafile', ca(), ...serverCert(), '--from', 'x@contoso.com', '--to', 'bob@fabrikam.com']);
    expect(withCert).toMatchObject({ sent: true, refused: {} });
    const without = await smtplib(['send', '127.0.0.1', String(r.port(FRONT)), '--starttls', '--cafile', ca(), '--from', 'x@example.net', '--to', 'bob@fabrikam.com']);
    expect(without.refused?.['bob@fabrikam.com']?.[0]).toBe(550);
  });

  it('R31/R43: a client from the anonymous relay connector\'s one address gets that connector and may relay', async () => {
    const out = await smtplib(['send', '127.0.0.1', String(r.port('Loopback relay')), '--source', '127.0.0.99', '--from', 'scanner@contoso.com', '--to', 'bob@fabrikam.com']);
    expect(out).toMatchObject({ sent: true, refused: {} });
    const spooled = await readSpool(path.join(r.dir, 'MBX-PAR', 'spool'));
    expect(spooled.find((m) => m.envelope.sender === 'scanner@contoso.com')?.envelope.receiveConnector).toBe('Loopback relay');
  });
});

describe('limits with swaks (R23, R56, R57)', () => {
  it('R56: the third recipient on "Tiny" gets 452 4.5.3, the message still goes', async () => {
    const out = await swaks(['--port', String(r.port('Tiny')), '--to', 'a@contoso.com,b@contoso.com,c@contoso.com', '--from', 'x@example.net']);
    expect(out).toContain('<** 452 4.5.3 Too many recipients');
    expect(out).toMatch(/<- {2}250 2\.6\.0 .*Queued mail for delivery/);
  });

  it('R57: a message above MaxMessageSize is 552 5.3.4', async () => {
    const out = await swaks(['--port', String(r.port('Tiny')), '--to', 'a@contoso.com', '--from', 'x@example.net', '--body', 'x'.repeat(4000)]);
    expect(out).toContain('552 5.3.4 Message size exceeds fixed maximum message size');
  });

  it('R23: per-source connection limit (2 on "Tiny"): the third connection gets 421 4.3.2', async () => {
    const port = r.port('Tiny');
    const hold = await Promise.all([0, 1].map(() => import('node:net').then((net) => new Promise<import('node:net').Socket>((resolve) => { const s = net.connect(port, '127.0.0.1', () => resolve(s)); }))));
    await new Promise((res) => setTimeout(res, 100));
    const third = await rawSession(port, []);
    hold.forEach((s) => s.destroy());
    expect(third).toBe('421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel\r\n');
  });

  it('R53: an idle client past ConnectionInactivityTimeout (1 s on "Tiny") gets 451 4.7.0 and is closed', async () => {
    await new Promise((res) => setTimeout(res, 200)); // the previous test's sockets are gone on the server's side too
    const net = await import('node:net');
    const all = await new Promise<string>((resolve) => {
      const s = net.connect(r.port('Tiny'), '127.0.0.1');
      let got = '';
      s.on('data', (d) => {
        if (got === '') s.write('EHLO idle.example\r\n');
        got += d.toString();
      });
      s.on('close', () => resolve(got));
    });
    expect(all).toContain('250 ETRN');
    expect(all).toMatch(/\r\n451 4\.7\.0 Timeout waiting for client input\r\n$/);
  });

  it('R23/R53 MessageRateLimit (2 a minute from one address on "Rated"): the third message gets 421 4.4.2 at MAIL FROM', async () => {
    const send = () => smtplib(['send', '127.0.0.1', String(r.port('Rated')), '--from', 'rated@example.net', '--to', 'alice@contoso.com']);
    expect((await send()).sent).toBe(true);
    expect((await send()).sent).toBe(true);
    const third = await send();
    expect(third.sent).toBe(false);
    expect(third.exception ?? JSON.stringify(third.error)).toMatch(/421|4\.4\.2|disconnected/i);
    const raw = await rawSession(r.port('Rated'), ['EHLO c.example\r\n', 'MAIL FROM:<rated@example.net>\r\n']);
    expect(raw).toContain('421 4.4.2 Message submission rate for this client has exceeded the configured limit\r\n');
  });

  it('an early talker is refused before the greeting', async () => {
    const out = await rawSession(r.port(FRONT), ['EHLO fast.example\r\n'], { early: true });
    expect(out).toBe('554 5.5.0 Protocol violation: client sent data before the greeting\r\n');
  });

  it('a connector whose RemoteIPRanges name its clients greets at once (no early-talker pause): a command sent at once is served', async () => {
    const out = await rawSession(r.port('Loopback relay'), ['EHLO scanner.contoso.com\r\n'], { source: '127.0.0.99', early: true });
    expect(out).toMatch(/^220 [^\r]*\r\n250-[^\r]* Hello \[127\.0\.0\.99\]\r\n/);
  });
});
