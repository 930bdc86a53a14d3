/**
 * Real peers nobody here wrote against a real relay: Exim as a BDAT client (RFC 3030), Postfix's
 * smtp-source for pipelined load (RFC 2920), nmap's SMTP scripts, swaks with the classic relay test
 * battery (R60), raw sockets for BDAT and every SMTP smuggling end-of-data vector, and a bounded
 * fuzz of random command streams after which the relay still serves a normal client.
 */
import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../src/core/synthetic/org.js';
import { readSpool } from '../../src/relay/spool.js';
import { rawSession, ROOT, smtplib, testRelay, type TestRelay } from './helpers/relay.js';

let r: TestRelay;
const FRONT = 'Default Frontend MBX-PAR';
const spool = () => readSpool(path.join(r.dir, 'MBX-PAR', 'spool'));

beforeAll(async () => {
  r = await testRelay();
});
afterAll(async () => {
  await r?.close();
});

describe('Exim sends BDAT when CHUNKING is offered', () => {
  it('a message from Exim arrives through BDAT (Exim logs K) and is spooled intact', async () => {
    const setup = await execa(path.join(ROOT, 'test/relay/clients/exim-setup.sh'), [], { reject: false, timeout: 300_000 });
    expect(setup.exitCode, setup.stderr).toBe(0);
    const exim = setup.stdout.trim();
    const work = await mkdtemp(path.join(tmpdir(), 'mxt-exim-'));
    try {
      await mkdir(path.join(work, 'spool'));
      await mkdir(path.join(work, 'log'));
      await chmod(work, 0o755);
      await execa('chown', ['-R', 'Debian-exim:', path.join(work, 'spool'), path.join(work, 'log')]);
      const config = path.join(work, 'exim.conf');
      await writeFile(
        config,
        [
          `exim_path = ${exim}`,
          'primary_hostname = exim.test',
          `spool_directory = ${work}/spool`,
          `log_file_path = ${work}/log/%slog`,
          'exim_user = Debian-exim',
          'exim_group = Debian-exim',
          'keep_environment =',
          'begin routers',
          'to_relay:',
          '  driver = manualroute',
          '  route_list = * 127.0.0.1 byname',
          '  transport = relay_smtp',
          '  self = send',
          'begin transports',
          'relay_smtp:',
          '  driver = smtp',
          `  port = ${r.port(FRONT)}`,
          '  hosts_try_chunking = *',
          '  hosts_avoid_tls = *',
          '  allow_localhost',
          '  user = Debian-exim',
          'begin retry',
          '* * F,1m,1m',
          '',
        ].join('\n'),
      );
      const message = 'From: exim-sender@example.net\nTo: alice@contoso.com\nSubject: via Exim\n\nfirst line\n.a line with a leading dot\nlast line\n';
      const run = await execa(exim, ['-C', config, '-odf', '-f', 'exim-sender@example.net', 'alice@contoso.com'], { input: message, reject: false, timeout: 60_000 });
      expect(run.exitCode, run.stderr).toBe(0);
      const log = await readFile(path.join(work, 'log', 'mainlog'), 'utf8');
      expect(log, log).toMatch(/=> alice@contoso\.com R=to_relay T=relay_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\] K C="250 2\.6\.0 </);
      const m = (await spool()).find((x) => x.envelope.sender === 'exim-sender@example.net');
      expect(m?.content.toString()).toContain('\r\n\r\nfirst line\r\n.a line with a leading dot\r\nlast line\r\n');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('Postfix smtp-source: pipelined load', () => {
  it('40 messages over 8 parallel pipelining sessions all arrive', async () => {
    const before = (await spool()).length;
    const out = await execa('smtp-source', ['-c', '-s', '8', '-m', '40', '-l', '2000', '-f', 'load@example.net', '-t', 'alice@contoso.com', `127.0.0.1:${r.port(FRONT)}`], { reject: false, timeout: 120_000, all: true });
    expect(out.exitCode, out.all).toBe(0);
    expect((await spool()).length - before).toBe(40);
  });
});

describe('nmap SMTP scripts', () => {
  it('smtp-commands sees the EHLO and HELP lists; smtp-open-relay finds no open relay (R60)', async () => {
    const out = await execa('nmap', ['-Pn', '-n', '-sV', '--version-intensity', '0', '-p', String(r.port(FRONT)), '--script', 'smtp-commands,smtp-open-relay', '127.0.0.1'], { reject: false, timeout: 120_000 });
    expect(out.stdout).toContain('| smtp-commands: mbx-par.contoso.com Hello [127.0.0.1], SIZE 37748736, PIPELINING, DSN, ENHANCEDSTATUSCODES, STARTTLS, 8BITMIME, BINARYMIME, CHUNKING, SMTPUTF8, ETRN');
    expect(out.stdout).toContain("smtp-open-relay: Server doesn't seem to be an open relay, all tests failed");
  });
});

describe('R60: the classic relay test battery with swaks, anonymous on Default Frontend', () => {
  const forms = [
    ['percent hack', 'victim%fabrikam.com@contoso.com', /<- {2}250 2\.1\.5|<\*\* 550 5\.7\.54/],
    ['bang path', 'fabrikam.com!victim@contoso.com', /<- {2}250 2\.1\.5|<\*\* 550 5\.7\.54/],
    ['source route through us', '@contoso.com:victim@fabrikam.com', /<\*\* 550 5\.7\.54/],
    ['source route with a bad host', '@bad_host:victim@fabrikam.com', /<\*\* 501 5\.1\.3 Invalid address/],
    ['quoted local part', '"victim@fabrikam.com"@contoso.com', /<- {2}250 2\.1\.5|<\*\* 550 5\.7\.54/],
    ['user@ext@local', 'victim@fabrikam.com@contoso.com', /<\*\* 501 5\.1\.3 Invalid address/],
    ['address literal', 'victim@[192.0.2.1]', /<\*\* 550 5\.7\.54/],
    ['plain outside', 'victim@fabrikam.com', /<\*\* 550 5\.7\.54/],
  ] as const;
  for (const [name, recipient, expected] of forms) {
    it(`${name}: <${recipient}> is never relayed to the outside domain`, async () => {
      const out = await execa('swaks', ['--server', '127.0.0.1', '--port', String(r.port(FRONT)), '--to', recipient, '--from', 'x@example.net', '--quit-after', 'RCPT', '--timeout', '20'], { reject: false, all: true });
      expect(out.all).toMatch(expected);
    });
  }

  it('the accepted forms are local recipients of contoso.com, nothing addressed to fabrikam.com is spooled', async () => {
    const all = await spool();
    expect(all.flatMap((m) => m.envelope.recipients.map((x) => x.address)).filter((a) => /@fabrikam\.com$/i.test(a))).toEqual([]);
  });
});

describe('raw sockets: BDAT and smuggling', () => {
  it('BDAT in two chunks with BINARYMIME through a raw socket', async () => {
    const out = await rawSession(r.port(FRONT), [
      'EHLO raw.example\r\n',
      'MAIL FROM:<raw-bdat@example.net> BODY=BINARYMIME\r\nRCPT TO:<alice@contoso.com>\r\n',
      'BDAT 14\r\nSubject: b\r\n\r\n',
      Buffer.concat([Buffer.from('BDAT 4 LAST\r\n'), Buffer.from([0, 255, 13, 10])]),
      'QUIT\r\n',
    ]);
    expect(out).toContain('250 2.6.0 CHUNK received OK, 14 octets\r\n');
    expect(out).toMatch(/250 2\.6\.0 <[^>]+> \[InternalId=[0-9A-F]+, Hostname=mbx-par\.contoso\.com\] Queued mail for delivery\r\n221 /);
    const m = (await spool()).find((x) => x.envelope.sender === 'raw-bdat@example.net')!;
    expect(m.envelope.bodyType).toBe('BINARYMIME');
    expect(m.content.subarray(-4)).toEqual(Buffer.from([0, 255, 13, 10]));
  });

  const vectors = ['\n.\n', '\r.\r', '\n.\r\n', '\r.\n', '\r\n.\n', '\r\n.\r', '\n\0.\r\n', '\r\n.\0\r\n', '\n\0.\n'];
  for (const vector of vectors) {
    it(`smuggling ${JSON.stringify(vector)}: one refused message, no smuggled second one`, async () => {
      const tag = `smuggle-${vectors.indexOf(vector)}`;
      const out = await rawSession(r.port(FRONT), [
        'EHLO raw.example\r\n',
        `MAIL FROM:<${tag}@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n`,
        `Subject: a\r\n\r\nfirst${vector}MAIL FROM:<${tag}-evil@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\nsmuggled\r\n.\r\n`,
        'QUIT\r\n',
      ]);
      expect(out).toMatch(/\r\n554 5\.6\.(11|0) [^\r]+\r\n221 /);
      expect(out).not.toContain('Queued mail for delivery');
      expect((await spool()).some((m) => m.envelope.sender.startsWith(tag))).toBe(false);
    });
  }
});

describe('bounded fuzz of random command streams (seed 9001)', () => {
  it('60 sessions of random verbs, parameters, line endings and bytes; the relay still serves smtplib afterwards', async () => {
    const rand = prng(9001);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const verbs = ['HELO', 'EHLO', 'MAIL FROM:', 'RCPT TO:', 'DATA', 'BDAT', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'EXPN', 'HELP', 'STARTTLS', 'AUTH', 'ETRN', 'TURN', 'ATRN', 'XYZZY', ''];
    const args = ['', ' x.example', '<a@contoso.com>', '<>', '<@a:b@c>', ' SIZE=99999999999', ' BODY=BINARYMIME', ' SMTPUTF8', ' PLAIN', ' LOGIN', ' 5', ' 0 LAST', ' 3000', ' NOTIFY=NEVER,SUCCESS', ' ORCPT=rfc822;a+2', '\0', 'é'];
    const ends = ['\r\n', '\n', '\r', '\r\n\r\n.\r\n', ''];
    for (let session = 0; session < 60; session += 1) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < 40; i += 1) {
        const roll = rand();
        if (roll < 0.1) pieces.push(Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))));
        else if (roll < 0.12) pieces.push(Buffer.alloc(Math.floor(rand() * 20_000), 'A'));
        else pieces.push(Buffer.from(`${pick(verbs)}${pick(args)}${pick(ends)}`, 'utf8'));
      }
      await new Promise<void>((resolve) => {
        const s = net.connect(r.port(pick([FRONT, 'Tiny', 'Client Frontend MBX-PAR', 'Default MBX-PAR'])), '127.0.0.1');
        s.on('error', () => resolve());
        s.on('data', () => undefined);
        s.once('data', () => {
          s.write(Buffer.concat(pieces));
          setTimeout(() => s.destroy(), 30);
        });
        s.on('close', () => resolve());
        setTimeout(() => s.destroy(), 3000);
      });
    }
    const out = await smtplib(['send', '127.0.0.1', String(r.port(FRONT)), '--from', 'after-fuzz@example.net', '--to', 'alice@contoso.com']);
    expect(out).toMatchObject({ sent: true, refused: {} });
  });
});
