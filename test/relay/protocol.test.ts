/** The SMTP engine without sockets: every verb, the gate, limits and the DATA/BDAT framing (R50–R57, R60). */
import { describe, expect, it } from 'vitest';
import { ehloKeywords } from '../../src/core/policy/ehlo.js';
import { engine } from './helpers/engine.js';
import { relayTopology } from './fixture.js';

const t = relayTopology();
const FRONT = 'Default Frontend MBX-PAR';
const CLIENT = 'Client Frontend MBX-PAR';
const HUB = 'Default MBX-PAR';
const msg = 'Subject: hi\r\n\r\nbody\r\n.\r\n';

describe('greeting and hello (R50, R51)', () => {
  it('R50: the banner names the connector FQDN', () => {
    const e = engine(t, { connector: FRONT });
    expect(e.lines[0]).toBe('220 mbx-par.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 2 Jan 2026 03:04:05 +0000');
  });

  it('R51/R52: EHLO lists exactly the keywords core/policy gives the connector', async () => {
    for (const name of [FRONT, CLIENT, HUB, 'Tiny', 'Plain']) {
      const e = engine(t, { connector: name });
      await e.send('EHLO client.example\r\n');
      const connector = t.receiveConnectors.find((c) => c.name === name)!;
      const lines = e.lines.slice(1);
      expect(lines[0]).toBe('250-mbx-par.contoso.com Hello [192.0.2.10]');
      expect(lines.slice(1).map((l) => l.slice(4))).toEqual(ehloKeywords(connector, { tlsActive: false }));
    }
  });

  it('R52: without a certificate STARTTLS is not offered', async () => {
    const e = engine(t, { connector: FRONT, tls: false });
    await e.send('EHLO x.example\r\n');
    expect(e.lines.some((l) => l.includes('STARTTLS'))).toBe(false);
  });

  it('R51: HELO, and an invalid domain is 501 5.5.4', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('HELO bad_domain!\r\nHELO ok.example\r\n');
    expect(e.replies().slice(1)).toEqual(['501 5.5.4 Invalid domain name', '250 mbx-par.contoso.com Hello [192.0.2.10]']);
  });

  it('an early talker (data before the greeting) is refused and disconnected', () => {
    const e = engine(t, { connector: FRONT, earlyTalk: 'EHLO x\r\n' });
    expect(e.lines).toEqual(['554 5.5.0 Protocol violation: client sent data before the greeting']);
    expect(e.closed()).toBe(true);
  });
});

describe('the gate (R53)', () => {
  it('MAIL before hello is 503 5.5.2 Send hello first; unknown verbs 500 5.3.3', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('MAIL FROM:<a@example.net>\r\nFOO\r\n');
    expect(e.replies().slice(1)).toEqual(['503 5.5.2 Send hello first', '500 5.3.3 Unrecognized command']);
  });

  it('R53: RequireTLS connector refuses MAIL before STARTTLS with 530 5.7.0', async () => {
    const e = engine(t, { connector: 'Strict' });
    await e.send('EHLO x.example\r\nMAIL FROM:<a@example.net>\r\nNOOP\r\n');
    expect(e.replies().slice(2)).toEqual(['530 5.7.0 Must issue a STARTTLS command first', '250 2.0.0 OK']);
  });

  it('R23 MaxProtocolErrors: the error after the limit closes with 421 4.7.0', async () => {
    const e = engine(t, { connector: 'Tiny' });
    await e.send('X1\r\nX2\r\nX3\r\nX4\r\nNOOP\r\n');
    expect(e.replies().slice(-1)[0]).toBe('421 4.7.0 Too many errors on this connection, closing transmission channel');
    expect(e.closed()).toBe(true);
  });

  it('R53: enhanced codes only when EnhancedStatusCodesEnabled', async () => {
    const e = engine(t, { connector: 'Plain' });
    await e.send('NOOP\r\n');
    expect(e.lines[1]).toBe('250 OK');
  });

  it('an over-long line is answered once and the session stays usable; NUL in a command is refused', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send(`NOOP ${'x'.repeat(20_000)}`);
    await e.send(`${'y'.repeat(5000)}\r\nNOOP\r\nNO\0OP\r\n`);
    expect(e.replies().slice(1)).toEqual(['500 5.5.6 Line too long', '250 2.0.0 OK', '500 5.5.2 NUL character in command']);
  });
});

describe('transaction (R53, R56, R57, R60)', () => {
  it('a message through DATA: 250 2.6.0 with the Message-ID, Received and Message-ID added', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send(`EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n${msg}`);
    expect(e.replies().slice(2)).toEqual([
      '250 2.1.0 Sender OK',
      '250 2.1.5 Recipient OK',
      '354 Start mail input; end with <CRLF>.<CRLF>',
      '250 2.6.0 <ID1@mbx-par.contoso.com> [InternalId=1, Hostname=mbx-par.contoso.com] Queued mail for delivery',
    ]);
    const m = e.messages[0]!;
    expect(m).toMatchObject({ sender: 'x@example.net', recipients: [{ address: 'alice@contoso.com' }], receiveConnector: FRONT, heloName: 'c.example', bodyType: '7BIT' });
    const text = m.content.toString();
    expect(text).toMatch(/^Received: from c\.example \(\[192\.0\.2\.10\]\)\r\n\tby mbx-par\.contoso\.com \(mxt\) with ESMTP id ID1\r\n\tfor <alice@contoso\.com>;/);
    expect(text).toContain('Subject: hi\r\nMessage-ID: <ID1@mbx-par.contoso.com>\r\n\r\nbody\r\n');
  });

  it('dot-unstuffing, and a message keeping its own Message-ID', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\nMessage-ID: <m1@x>\r\n\r\n..dot\r\n.\r\n');
    expect(e.replies().slice(-1)[0]).toContain('250 2.6.0 <m1@x>');
    expect(e.messages[0]!.content.toString()).toMatch(/\r\n\r\n\.dot\r\n$/);
  });

  it('R60: anonymous relay to a non-accepted domain is 550 5.7.54 and the transaction stays open', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<bob@fabrikam.com>\r\nRCPT TO:<alice@contoso.com>\r\n');
    expect(e.replies().slice(3)).toEqual(['550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain', '250 2.1.5 Recipient OK']);
  });

  it('R56: recipients beyond MaxRecipientsPerMessage get 452 4.5.3', async () => {
    const e = engine(t, { connector: 'Tiny' });
    await e.send('EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nRCPT TO:<c@contoso.com>\r\n');
    expect(e.replies().slice(-1)[0]).toBe('452 4.5.3 Too many recipients');
  });

  it('R57: SIZE= above MaxMessageSize is 552 5.3.4, and so is actual data above it', async () => {
    const e = engine(t, { connector: 'Tiny' });
    await e.send(`EHLO c.example\r\nMAIL FROM:<x@example.net> SIZE=999999\r\nMAIL FROM:<x@example.net> SIZE=10\r\nRCPT TO:<a@contoso.com>\r\nDATA\r\n${'a'.repeat(3000)}\r\n.\r\nNOOP\r\n`);
    expect(e.replies().slice(2)).toEqual([
      '552 5.3.4 Message size exceeds fixed maximum message size',
      '250 2.1.0 Sender OK',
      '250 2.1.5 Recipient OK',
      '354 Start mail input; end with <CRLF>.<CRLF>',
      '552 5.3.4 Message size exceeds fixed maximum message size',
      '250 2.0.0 OK',
    ]);
    expect(e.messages).toHaveLength(0);
  });

  it('MaxHeaderSize and MaxHopCount (R53)', async () => {
    const e = engine(t, { connector: 'Tiny' });
    const hops = 'Received: a\r\n'.repeat(4);
    await e.send(`EHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<a@contoso.com>\r\nDATA\r\n${hops}\r\nx\r\n.\r\n`);
    await e.send(`MAIL FROM:<>\r\nRCPT TO:<a@contoso.com>\r\nDATA\r\nX-Big: ${'h'.repeat(1100)}\r\n\r\nx\r\n.\r\n`);
    const r = e.replies();
    expect(r).toContain('554 5.4.6 Hop count exceeded - possible mail loop');
    expect(r.slice(-1)[0]).toBe('552 5.3.4 Header size exceeds fixed maximum size');
  });

  it('MaxLocalHopCount (R23, default 8): more than 8 Received fields by the organization\'s own servers is a loop (554 5.4.6); outside hops count only towards MaxHopCount (30)', async () => {
    const e = engine(t, { connector: FRONT });
    // Folded as real Received fields are: the `by` clause on a continuation line.
    const hop = (by: string) => `Received: from a.example ([10.0.0.1])\r\n\tby ${by} with ESMTP id 1;\r\n\tThu, 3 Dec 2026 10:00:00 +0000\r\n`;
    const message = (hops: string) => `MAIL FROM:<>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n${hops}Subject: x\r\n\r\nx\r\n.\r\n`;
    await e.send('EHLO c.example\r\n');
    await e.send(message(hop('MBX-PAR.contoso.com').repeat(9)));
    await e.send(message(hop('mbx-par.contoso.com.').repeat(8)));
    await e.send(message(hop('mx.fabrikam.com').repeat(20) + hop('mbx-par.contoso.com').repeat(8)));
    const finals = e.replies().filter((r) => /^(250 2\.6\.0|554)/.test(r));
    expect(finals.map((r) => r.slice(0, 9))).toEqual(['554 5.4.6', '250 2.6.0', '250 2.6.0']);
    expect(e.messages).toHaveLength(2);
  });

  it('command order: RCPT before MAIL, DATA without RCPT, second MAIL', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nRCPT TO:<alice@contoso.com>\r\nMAIL FROM:<>\r\nDATA\r\nMAIL FROM:<>\r\nRSET\r\nMAIL FROM:<>\r\n');
    expect(e.replies().slice(2)).toEqual([
      '503 5.5.2 Need mail command',
      '250 2.1.0 Sender OK',
      '503 5.5.2 Need rcpt command',
      '503 5.5.2 Sender already specified',
      '250 2.0.0 Resetting',
      '250 2.1.0 Sender OK',
    ]);
  });

  it('MAIL and RCPT parameters: BODY, SMTPUTF8, RET, ENVID, NOTIFY, ORCPT reach the envelope', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send(
      'EHLO c.example\r\nMAIL FROM:<jö@example.net> BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=ab+2Bc\r\nRCPT TO:<alice@contoso.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice+40contoso.com\r\nDATA\r\n' + msg,
    );
    expect(e.messages[0]).toMatchObject({ sender: 'jö@example.net', bodyType: '8BITMIME', smtpUtf8: true, ret: 'HDRS', envid: 'ab+c', recipients: [{ address: 'alice@contoso.com', notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;alice@contoso.com' }] });
    expect(e.messages[0]!.content.toString()).toContain('with UTF8SMTP id');
  });

  it('RFC 6531: a non-ASCII address without SMTPUTF8 is 553 5.6.7; unknown parameters 555 5.5.4', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nMAIL FROM:<jö@example.net>\r\nMAIL FROM:<a@example.net> FOO=1\r\n');
    expect(e.replies().slice(2)).toEqual(['553 5.6.7 Non-ASCII address requires SMTPUTF8', '555 5.5.4 Unsupported parameter FOO']);
  });

  it('parameters a connector does not enable are refused (DSN, SMTPUTF8, BINARYMIME off on "Plain")', async () => {
    const e = engine(t, { connector: 'Plain' });
    await e.send('EHLO c.example\r\nMAIL FROM:<a@example.net> SMTPUTF8\r\nMAIL FROM:<a@example.net> RET=FULL\r\nMAIL FROM:<a@example.net> BODY=BINARYMIME\r\nBDAT 0 LAST\r\n');
    expect(e.replies().slice(2).map((r) => r.slice(0, 3))).toEqual(['555', '555', '555', '502']);
  });
});

describe('paths of MAIL FROM and RCPT TO (RFC 5321 4.1.2, C; RFC 6531): one parser with core/model/address.ts', () => {
  // Each row: the MAIL FROM argument, the RCPT TO argument, the replies to both, and the envelope
  // the message gets when both are accepted (sender, recipient as written, source route dropped).
  const rows: [string, string, string, string, [string, string]?][] = [
    ['FROM:<a@example.net>', 'TO:<alice@contoso.com>', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', ['a@example.net', 'alice@contoso.com']],
    ['FROM: <a@example.net>', 'TO: <Alice@Contoso.COM>', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', ['a@example.net', 'Alice@Contoso.COM']],
    ['FROM:<>', 'TO:<@relay.example,@[192.0.2.1]:alice@contoso.com>', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', ['', 'alice@contoso.com']],
    ['FROM:<@relay.example:a@example.net>', 'TO:<"a>b"@contoso.com>', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', ['a@example.net', '"a>b"@contoso.com']],
    ['FROM:<a@bücher.example> SMTPUTF8', 'TO:<jö@contoso.com>', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', ['a@bücher.example', 'jö@contoso.com']],
    ['FROM:<a@example.net>', 'TO:<jö@contoso.com>', '250 2.1.0 Sender OK', '553 5.6.7 Non-ASCII address requires SMTPUTF8'],
    ['FROM:<a@example.net>', 'TO:<@contoso.com:victim@fabrikam.com>', '250 2.1.0 Sender OK', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'],
    ['FROM:<a@example.net>', 'TO:<>', '250 2.1.0 Sender OK', '501 5.1.3 Invalid address'],
    ['FROM:<a@example.net>', 'TO:<a@@contoso.com>', '250 2.1.0 Sender OK', '501 5.1.3 Invalid address'],
    ['FROM:<a@example.net>', 'TO:<@relay.example alice@contoso.com>', '250 2.1.0 Sender OK', '501 5.1.3 Invalid address'],
    ['FROM:<a@example.net>', 'TO:alice@contoso.com', '250 2.1.0 Sender OK', '501 5.5.4 Syntax error in parameters or arguments'],
    ['FROM:<a@example.net>', 'TO:<alice@contoso.com', '250 2.1.0 Sender OK', '501 5.5.4 Syntax error in parameters or arguments'],
    ['FROM:<a@example.net>', 'TO:<alice@contoso.com>NOTIFY=NEVER', '250 2.1.0 Sender OK', '501 5.5.4 Syntax error in parameters or arguments'],
    ['FROM:<a@example.net>', 'TO:<<alice@contoso.com>>', '250 2.1.0 Sender OK', '501 5.5.4 Syntax error in parameters or arguments'],
    ['FROM:<a@@example.net>', 'TO:<alice@contoso.com>', '501 5.1.7 Invalid address', '503 5.5.2 Need mail command'],
    ['FROM:<jö@example.net>', 'TO:<alice@contoso.com>', '553 5.6.7 Non-ASCII address requires SMTPUTF8', '503 5.5.2 Need mail command'],
    ['FROM:<"unclosed@example.net>', 'TO:<alice@contoso.com>', '501 5.5.4 Syntax error in parameters or arguments', '503 5.5.2 Need mail command'],
    ['FROM:a@example.net', 'TO:<alice@contoso.com>', '501 5.5.4 Syntax error in parameters or arguments', '503 5.5.2 Need mail command'],
    // A source route's hosts are checked like any domain before the route is dropped.
    ['FROM:<@bad_host:a@example.net>', 'TO:<alice@contoso.com>', '501 5.1.7 Invalid address', '503 5.5.2 Need mail command'],
    ['FROM:<a@example.net>', 'TO:<@bücher.example:alice@contoso.com>', '250 2.1.0 Sender OK', '553 5.6.7 Non-ASCII address requires SMTPUTF8'],
  ];
  it.each(rows)('MAIL %s, RCPT %s', async (from, to, mailReply, rcptReply, envelope) => {
    const e = engine(t, { connector: FRONT });
    await e.send(`EHLO c.example\r\nMAIL ${from}\r\nRCPT ${to}\r\n`);
    expect(e.replies().slice(2)).toEqual([mailReply, rcptReply]);
    if (!envelope) return;
    await e.send(`DATA\r\n${msg}`);
    expect(e.messages[0]).toMatchObject({ sender: envelope[0], recipients: [{ address: envelope[1] }] });
  });
});

describe('BDAT (RFC 3030)', () => {
  it('chunks are octet-counted; LAST stores; BINARYMIME needs BDAT', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nMAIL FROM:<x@example.net> BODY=BINARYMIME\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n');
    await e.send('BDAT 12\r\nSubject: a\r\n');
    await e.send(Buffer.concat([Buffer.from('BDAT 8 LAST\r\n\r\n\0\r\n.\r\n')]));
    expect(e.replies().slice(4)).toEqual([
      '503 5.5.1 BODY=BINARYMIME requires BDAT',
      '250 2.6.0 CHUNK received OK, 12 octets',
      '250 2.6.0 <ID1@mbx-par.contoso.com> [InternalId=1, Hostname=mbx-par.contoso.com] Queued mail for delivery',
    ]);
    expect(e.messages[0]!.content.toString()).toMatch(/Subject: a\r\nMessage-ID: <ID1@mbx-par\.contoso\.com>\r\n\r\n\0\r\n\.\r\n$/);
    expect(e.messages[0]!.bodyType).toBe('BINARYMIME');
  });

  it('a BDAT chunk without a transaction is read and refused, and the session stays in step', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nBDAT 6\r\nNOOP\r\nNOOP\r\n');
    expect(e.replies().slice(2)).toEqual(['503 5.5.2 Need mail command', '250 2.0.0 OK']);
  });
});

describe('smuggling: only CRLF.CRLF ends DATA', () => {
  const vectors = ['\n.\n', '\r.\r', '\n.\r\n', '\r.\n', '\r\n.\n', '\r\n.\r', '\r\n\0.\r\n', '\r\n.\0\r\n'];
  for (const vector of vectors) {
    it(`${JSON.stringify(vector)} does not end the message; the smuggled MAIL is content, and the message is refused`, async () => {
      const e = engine(t, { connector: FRONT });
      await e.send(`EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\nSubject: a\r\n\r\nx${vector}MAIL FROM:<evil@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\nsmuggled\r\n.\r\n`);
      const r = e.replies().slice(5);
      expect(r).toHaveLength(1);
      expect(r[0]).toMatch(/^554 5\.6\.(11|0) /);
      expect(e.messages).toHaveLength(0);
    });
  }

  it('normalize mode rewrites bare line endings and still ends only at CRLF.CRLF', async () => {
    const e = engine(t, { connector: FRONT, bareLineEndings: 'normalize' });
    await e.send('EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\nSubject: a\n\nx\n.\nMAIL\r\n.\r\n');
    expect(e.messages).toHaveLength(1);
    expect(e.messages[0]!.content.toString()).toMatch(/Subject: a\r\nMessage-ID: <[^>]+>\r\n\r\nx\r\n\.\r\nMAIL\r\n$/);
  });
});

describe('STARTTLS and AUTH (R45, R52, R55, RFC 3207, RFC 4954)', () => {
  it('commands pipelined after STARTTLS are discarded and EHLO starts again inside TLS', async () => {
    const e = engine(t, { connector: CLIENT });
    await e.send('EHLO c.example\r\nSTARTTLS\r\nMAIL FROM:<x@example.net>\r\n');
    await e.send('MAIL FROM:<x@example.net>\r\nEHLO c.example\r\nSTARTTLS\r\n');
    const r = e.replies().slice(2);
    expect(r[0]).toBe('220 2.0.0 SMTP server ready');
    expect(r[1]).toBe('503 5.5.2 Send hello first');
    expect(r.slice(-1)[0]).toBe('503 5.5.2 Only one STARTTLS command can be issued per session');
    expect(e.lines.some((l) => l === '250-AUTH PLAIN LOGIN')).toBe(true);
  });

  it('BasicAuthRequireTLS: AUTH PLAIN before TLS is 538 5.7.11; after TLS a user authenticates and may relay', async () => {
    const e = engine(t, { connector: CLIENT, users: { bob: { password: 'pw' } } });
    const plain = Buffer.from('\0bob\0pw').toString('base64');
    await e.send(`EHLO c.example\r\nAUTH PLAIN ${plain}\r\nSTARTTLS\r\n`);
    await e.send(`EHLO c.example\r\nAUTH PLAIN ${plain}\r\nMAIL FROM:<bob@contoso.com>\r\nRCPT TO:<x@fabrikam.com>\r\n`);
    const r = e.replies();
    expect(r).toContain('538 5.7.11 Encryption required for requested authentication mechanism');
    expect(r.slice(-3)).toEqual(['235 2.7.0 Authentication successful', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK']);
  });

  it('AUTH LOGIN over a connector that allows it in clear; a wrong password is 535 5.7.3', async () => {
    const e = engine(t, { connector: 'Plain', users: { bob: { password: 'pw' } } });
    const b = (s: string) => Buffer.from(s).toString('base64');
    await e.send(`EHLO c.example\r\nAUTH LOGIN\r\n${b('bob')}\r\n${b('nope')}\r\nAUTH LOGIN ${b('bob')}\r\n${b('pw')}\r\nAUTH PLAIN x\r\n`);
    expect(e.replies().slice(2)).toEqual(['334 VXNlcm5hbWU6', '334 UGFzc3dvcmQ6', '535 Authentication unsuccessful', '334 UGFzc3dvcmQ6', '235 Authentication successful', '503 Auth command already specified']);
  });

  it('R40: a certificate of the organization CA naming a server makes the session ExchangeServers', async () => {
    const e = engine(t, { connector: FRONT, certificate: { verified: true, names: ['mbx-par.contoso.com'] } });
    await e.send('EHLO c.example\r\nSTARTTLS\r\n');
    await e.send('EHLO c.example\r\nMAIL FROM:<x@contoso.com>\r\nRCPT TO:<x@fabrikam.com>\r\n');
    expect(e.replies().slice(-2)).toEqual(['250 2.1.0 Sender OK', '250 2.1.5 Recipient OK']);
  });

  it('R40: an unverified certificate stays anonymous (never by name or address alone)', async () => {
    const e = engine(t, { connector: FRONT, certificate: { verified: false, names: ['mbx-par.contoso.com'] } });
    await e.send('EHLO c.example\r\nSTARTTLS\r\n');
    await e.send('EHLO c.example\r\nMAIL FROM:<x@example.net>\r\nRCPT TO:<x@fabrikam.com>\r\n');
    expect(e.replies().slice(-1)[0]).toBe('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
  });
});

describe('other verbs (R54)', () => {
  it('VRFY, EXPN, HELP, TURN, ATRN, ETRN, QUIT', async () => {
    const e = engine(t, { connector: FRONT });
    await e.send('EHLO c.example\r\nVRFY alice\r\nEXPN staff\r\nHELP\r\nTURN\r\nATRN\r\nETRN contoso.com\r\nQUIT\r\n');
    expect(e.replies().slice(2)).toEqual([
      '252 2.1.5 Cannot VRFY user',
      '502 5.3.3 Command not implemented',
      '214 HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP STARTTLS AUTH ETRN',
      '502 5.7.0 TURN is not supported',
      '530 5.7.0 Authentication required',
      '530 5.7.0 Must be authenticated to use ETRN',
      '221 2.0.0 Service closing transmission channel',
    ]);
    expect(e.closed()).toBe(true);
  });

  it('ETRN from a session that may relay asks the store to start delivery', async () => {
    const asked: string[] = [];
    const e = engine(t, {
      connector: FRONT,
      certificate: { verified: true, names: ['mbx-par.contoso.com'] },
      sink: { startDelivery: async (d) => (asked.push(d), d === 'fabrikam.com') },
    });
    await e.send('EHLO c.example\r\nSTARTTLS\r\n');
    await e.send('EHLO c.example\r\nETRN fabrikam.com\r\nETRN @tailspin.com\r\nETRN bad_domain!\r\n');
    expect(e.replies().slice(-3)).toEqual(['250 2.0.0 Queuing for node fabrikam.com started', '251 2.0.0 No messages waiting for node tailspin.com', '501 5.5.4 Invalid ETRN argument']);
    expect(asked).toEqual(['fabrikam.com', 'tailspin.com']);
  });

  it('back pressure: admission() answers MAIL instead of going on; a failing store is 451 4.3.0', async () => {
    let full = true;
    const e = engine(t, {
      connector: FRONT,
      sink: {
        admission: () => (full ? { code: 452, enhancedCode: '4.3.1', text: 'Insufficient system resources' } : undefined),
        accept: async () => {
          throw new Error('disk full');
        },
      },
    });
    await e.send('EHLO c.example\r\nMAIL FROM:<>\r\n');
    full = false;
    await e.send(`MAIL FROM:<>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n${msg}`);
    expect(e.replies().slice(2)).toEqual(['452 4.3.1 Insufficient system resources', '250 2.1.0 Sender OK', '250 2.1.5 Recipient OK', '354 Start mail input; end with <CRLF>.<CRLF>', '451 4.3.0 Temporary failure storing the message; try again later']);
  });
});
