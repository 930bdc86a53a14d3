/**
 * Issue 7 item 7, one address rule: every case of the table goes through the parser, the RCPT TO and
 * MAIL FROM decisions (core/policy) and recipient classification (core/route), and they must agree.
 */
import { describe, expect, it } from 'vitest';
import { addressArguments, parseMailbox, parsePath, pathLength, splitAddressList, unbracket } from '../../../src/core/model/address.js';
import { decideMailFrom, decideRcpt } from '../../../src/core/policy/decisions.js';
import { evaluateInboundSession } from '../../../src/core/policy/inbound-session.js';
import { sessionPermissions } from '../../../src/core/policy/permissions.js';
import { resolveRecipient } from '../../../src/core/route/recipients.js';
import { routingIndex } from '../../../src/core/route/routing-index.js';
import { plan1 } from '../route/fixtures.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const t = topology({
  sites: [{ name: 'Paris' }],
  servers: [mailbox('MBX-PAR', 'Paris')],
  acceptedDomains: [contosoDomain, { domainName: 'xn--bcher-kva.example', domainType: 'Authoritative' }],
  mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
  recipients: { mailboxes: [{ address: 'alice@contoso.com', database: 'DB1' }] },
  receiveConnectors: [{ name: 'Anon', server: 'MBX-PAR', bindings: ['0.0.0.0:2600'], remoteIPRanges: ['10.0.0.0/8'], permissionGroups: ['AnonymousUsers'] }],
});
const server = t.servers[0]!;
const connector = t.receiveConnectors.find((c) => c.name === 'Anon')!;
// An anonymous session on a connector granting ms-Exch-SMTP-Submit but not Accept-Any-Recipient (R60).
const permissions = sessionPermissions(connector, 'anonymous');

interface Case {
  text: string;
  /** Valid without SMTPUTF8. */
  ascii: boolean;
  /** Valid with SMTPUTF8 (defaults to `ascii`). */
  utf8?: boolean;
  /** The domain routing compares (for valid cases). */
  domain?: string;
  canonical?: string;
  /** RCPT TO of an anonymous session: accepted as an accepted domain's recipient (relay decision, R60). */
  local?: boolean;
}

const CASES: Case[] = [
  { text: 'alice@contoso.com', ascii: true, domain: 'contoso.com', canonical: 'alice@contoso.com', local: true },
  { text: 'Alice@CONTOSO.com', ascii: true, domain: 'contoso.com', canonical: 'Alice@contoso.com', local: true },
  // The four reproductions.
  { text: 'a@@b.com', ascii: false },
  { text: 'a@b..com', ascii: false },
  { text: 'a@b.com.', ascii: false },
  { text: 'a@[IPv6:::1]', ascii: true, domain: '[ipv6:::1]', canonical: 'a@[IPv6:::1]', local: false },
  // Classic relay-test forms (RFC 5321 4.1.2): `%` and `!` are atext, so these are mailboxes of the local domain.
  { text: 'user%ext.com@contoso.com', ascii: true, domain: 'contoso.com', local: true },
  { text: 'ext.com!user@contoso.com', ascii: true, domain: 'contoso.com', local: true },
  { text: '"user@ext"@contoso.com', ascii: true, domain: 'contoso.com', canonical: '"user@ext"@contoso.com', local: true },
  { text: 'user@ext.com@contoso.com', ascii: false },
  { text: 'user@contoso.com@ext.com', ascii: false },
  { text: '@ext.com:user@contoso.com', ascii: false },
  // Quoted local parts.
  { text: '"alice"@contoso.com', ascii: true, canonical: 'alice@contoso.com', local: true },
  { text: '"a b"@contoso.com', ascii: true, canonical: '"a b"@contoso.com', local: true },
  { text: '"a\\"b"@contoso.com', ascii: true, canonical: '"a\\"b"@contoso.com', local: true },
  { text: '"a\\b"@contoso.com', ascii: true, canonical: 'ab@contoso.com', local: true },
  { text: '"a"b@contoso.com', ascii: false },
  { text: '"unterminated@contoso.com', ascii: false },
  { text: 'a b@contoso.com', ascii: false },
  { text: '.a@contoso.com', ascii: false },
  { text: 'a.@contoso.com', ascii: false },
  { text: 'a..b@contoso.com', ascii: false },
  { text: '@contoso.com', ascii: false },
  { text: 'alice@', ascii: false },
  { text: 'alice', ascii: false },
  { text: '', ascii: false },
  { text: '<alice@contoso.com>', ascii: false },
  { text: 'alice@contoso.com>', ascii: false },
  { text: 'a\u0000b@contoso.com', ascii: false },
  { text: 'a\u0085b@contoso.com', ascii: false, utf8: false },
  { text: 'a\u007fb@contoso.com', ascii: false },
  // Domains.
  { text: 'a@localhost', ascii: true, domain: 'localhost', local: false },
  { text: 'a@-x.com', ascii: false },
  { text: 'a@x-.com', ascii: false },
  { text: 'a@under_score.com', ascii: false },
  { text: `a@${'x'.repeat(64)}.com`, ascii: false },
  { text: `a@${'x'.repeat(63)}.com`, ascii: true, local: false },
  { text: 'a@.contoso.com', ascii: false },
  // Address literals (RFC 5321 4.1.3).
  { text: 'a@[192.0.2.1]', ascii: true, domain: '[192.0.2.1]', local: false },
  { text: 'a@[192.0.2.01]', ascii: true, domain: '[192.0.2.1]', canonical: 'a@[192.0.2.1]', local: false },
  { text: 'a@[192.0.2.256]', ascii: false },
  { text: 'a@[192.0.2]', ascii: false },
  { text: 'a@[IPv6:2001:DB8::1]', ascii: true, domain: '[ipv6:2001:db8::1]', local: false },
  { text: 'a@[ipv6:2001:db8:0:0:0:0:0:1]', ascii: true, local: false },
  { text: 'a@[IPv6:::ffff:192.0.2.1]', ascii: true, local: false },
  { text: 'a@[IPv6:fe80::1%eth0]', ascii: false },
  { text: 'a@[IPv6:1:2:3:4:5:6:7::]', ascii: false },
  { text: 'a@[IPv6:1:2:3:4:5:6:7:8:9]', ascii: false },
  { text: 'a@[IPv6:2001:db8::1]x', ascii: false },
  { text: 'a@[2001:db8::1]', ascii: false },
  { text: 'a@[x-tag:whatever]', ascii: false },
  // SMTPUTF8 (RFC 6531): only when the session negotiated it.
  { text: 'josé@contoso.com', ascii: false, utf8: true, domain: 'contoso.com', local: true },
  { text: 'a@bücher.example', ascii: false, utf8: true, domain: 'xn--bcher-kva.example', canonical: 'a@bücher.example', local: true },
  { text: '"jö"@contoso.com', ascii: false, utf8: true, canonical: 'jö@contoso.com', local: true },
  { text: 'a@bü_cher.example', ascii: false, utf8: false },
  // Lengths (RFC 5321 4.5.3.1).
  { text: `${'l'.repeat(64)}@contoso.com`, ascii: true, local: true },
  { text: `${'l'.repeat(65)}@contoso.com`, ascii: false },
  { text: `${'é'.repeat(33)}@contoso.com`, ascii: false, utf8: false },
  { text: `a@${Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.')}.com`, ascii: false },
];

describe('one address rule: parser, RCPT TO, MAIL FROM and routing agree (issue 7 item 7)', () => {
  const index = routingIndex(t);
  for (const c of CASES) {
    const utf8Valid = c.utf8 ?? c.ascii;
    it(`${JSON.stringify(c.text)}: ${c.ascii ? 'valid' : utf8Valid ? 'valid with SMTPUTF8 only' : 'invalid'}`, () => {
      const ascii = parseMailbox(c.text);
      const utf8 = parseMailbox(c.text, { utf8: true });
      expect(ascii.ok, ascii.ok ? 'parsed' : ascii.reason).toBe(c.ascii);
      expect(utf8.ok, utf8.ok ? 'parsed' : utf8.reason).toBe(utf8Valid);
      if (!utf8.ok) expect(utf8.reason.length).toBeGreaterThan(10);
      if (utf8.ok && c.domain !== undefined) expect(utf8.mailbox.domain).toBe(c.domain);
      if (utf8.ok && c.canonical !== undefined) expect(utf8.mailbox.canonical).toBe(c.canonical);
      if (utf8.ok) expect(parseMailbox(utf8.mailbox.canonical, { utf8: true })).toEqual(utf8);

      // RCPT TO and MAIL FROM refuse for syntax exactly when the parser does, with and without SMTPUTF8.
      for (const session of [false, true]) {
        const valid = session ? utf8Valid : c.ascii;
        const rcpt = decideRcpt({ topology: t, server, connector, permissions, recipient: c.text, acceptedSoFar: 0, utf8: session });
        expect(rcpt.failedCheck === 'syntax', rcpt.because).toBe(!valid);
        if (!valid) expect(rcpt.reply.code).toBe(501);
        if (valid && c.local !== undefined) expect(rcpt.accepted, rcpt.because).toBe(c.local);
        // '' is the null reverse-path <>, valid at MAIL FROM only.
        const mail = decideMailFrom({ topology: t, connector, permissions, sender: c.text, utf8: session });
        expect(mail.failedCheck === 'syntax', mail.because).toBe(!valid && c.text !== '');
      }

      // Routing: a message inside the organization may carry UTF-8; the domain after the last unquoted @ decides.
      const resolved = resolveRecipient(index, c.text);
      expect(resolved.valid).toBe(utf8Valid);
      if (utf8Valid) {
        expect(resolved.domain).toBe(utf8.ok ? utf8.mailbox.domain : undefined);
        if (c.local !== undefined) expect(resolved.accepted !== undefined).toBe(c.local);
        expect(plan1(t, 'MBX-PAR', c.text).reason?.rule).not.toBe('R121');
      } else {
        expect(plan1(t, 'MBX-PAR', c.text)).toMatchObject({ status: 'rejected', reason: { enhancedCode: '5.1.2', rule: 'R121' } });
      }
    });
  }

  it('"user@ext"@contoso.com is a local recipient: the quoted @ does not decide routing', () => {
    expect(resolveRecipient(index, '"user@ext"@contoso.com')).toMatchObject({ valid: true, domain: 'contoso.com', recipientType: 'Unknown' });
    expect(resolveRecipient(index, 'user%fabrikam.com@contoso.com')).toMatchObject({ recipientType: 'Unknown' });
  });

  it('a quoted local part that could be a dot-atom is the same mailbox (RFC 5322 3.4.1)', () => {
    expect(resolveRecipient(index, '"alice"@contoso.com').recipientType).toBe('Mailbox');
    expect(decideRcpt({ topology: t, server, connector, permissions, recipient: '"alice"@Contoso.com', acceptedSoFar: 0 }).accepted).toBe(true);
  });

  it('a U-label domain matches the accepted domain written as A-labels', () => {
    const rcpt = decideRcpt({ topology: t, server, connector, permissions, recipient: 'a@Bücher.example', acceptedSoFar: 0, utf8: true });
    expect(rcpt).toMatchObject({ accepted: true, acceptedDomain: { domain: { domainName: 'xn--bcher-kva.example' } } });
    expect(rcpt.because).not.toContain('syntax');
    const refused = decideRcpt({ topology: t, server, connector, permissions, recipient: 'a@bücher.example', acceptedSoFar: 0 });
    expect(refused.because).toContain('SMTPUTF8');
  });
});

describe('paths (RFC 5321 4.1.2): null path, source route, length', () => {
  it('<> is the null path', () => {
    expect(parsePath('<>')).toEqual({ ok: true, mailbox: undefined, address: '', sourceRoute: [] });
  });
  it('a source route is accepted and ignored (RFC 5321 C.)', () => {
    const path = parsePath('<@relay.example,@[192.0.2.1]:user@contoso.com>');
    expect(path).toMatchObject({ ok: true, mailbox: { domain: 'contoso.com', canonical: 'user@contoso.com' }, address: 'user@contoso.com', sourceRoute: ['relay.example', '[192.0.2.1]'] });
  });
  it('the address is the mailbox as written, for the envelope; the canonical form is for matching', () => {
    expect(parsePath('<@Relay.example:"Al"@Contoso.COM>')).toMatchObject({ ok: true, address: '"Al"@Contoso.COM', mailbox: { canonical: 'Al@contoso.com' } });
  });
  it('UTF-8 in a source route or mailbox only with SMTPUTF8 (RFC 6531)', () => {
    expect(parsePath('<@bücher.example:a@contoso.com>').ok).toBe(false);
    expect(parsePath('<@bücher.example:jö@contoso.com>', { utf8: true })).toMatchObject({ ok: true, address: 'jö@contoso.com', sourceRoute: ['xn--bcher-kva.example'] });
  });
  it.each([
    ['<a@b.example> SIZE=1', 13],
    ['<"a>b"@c.example> BODY=8BITMIME', 17],
    ['<"a\\">"@c.example>', 18],
    ['<> RET=FULL', 2],
    ['<a@b.example', -1],
    ['<"a>b@c.example', -1],
  ])('pathLength(%s) is %i: the first > outside a quoted local part ends the path', (text, length) => {
    expect(pathLength(text)).toBe(length);
  });
  it.each(['<@relay.example:>', '<@relay.example user@contoso.com>', '<relay.example:user@contoso.com>', '<@bad_host:user@contoso.com>', 'user@contoso.com', '<user@contoso.com', '<<user@contoso.com>>'])(
    'refuses %s',
    (text) => {
      expect(parsePath(text).ok).toBe(false);
    },
  );
  it('a path is at most 256 octets including the brackets (RFC 5321 4.5.3.1.3)', () => {
    const domain = (n: number) => Array.from({ length: n }, () => 'x'.repeat(60)).join('.');
    const fits = `${'l'.repeat(60)}@${domain(3)}.${'y'.repeat(10)}`;
    expect(fits.length).toBe(254);
    expect(parsePath(`<${fits}>`).ok).toBe(true);
    expect(parsePath(`<${fits}z>`).ok).toBe(false);
    expect(parseMailbox(`${fits}z`).ok).toBe(false);
  });
});

describe('command-line addresses: <alice@contoso.com> is alice@contoso.com', () => {
  it.each([
    ['<alice@contoso.com>', 'alice@contoso.com'],
    [' <alice@contoso.com> ', 'alice@contoso.com'],
    ['<@relay.example:alice@contoso.com>', 'alice@contoso.com'],
    ['<>', ''],
    ['alice@contoso.com', 'alice@contoso.com'],
    ['<a@@b.com>', 'a@@b.com'],
  ])('%s → %s', (text, mailbox) => {
    expect(unbracket(text)).toBe(mailbox);
  });
  it('route plan of <alice@contoso.com> is the Mailbox, not an External recipient', () => {
    expect(plan1(t, 'MBX-PAR', unbracket('<alice@contoso.com>')).recipientType).toBe('Mailbox');
    expect(plan1(t, 'MBX-PAR', '<alice@contoso.com>')).toMatchObject({ status: 'rejected' });
  });
});

describe('command-line address lists: commas split only outside quotes, literals and paths', () => {
  it.each([
    ['a@contoso.com,b@fabrikam.com', ['a@contoso.com', 'b@fabrikam.com']],
    [' a@contoso.com , , b@fabrikam.com ,', ['a@contoso.com', 'b@fabrikam.com']],
    ['"a,b"@contoso.com,c@contoso.com', ['"a,b"@contoso.com', 'c@contoso.com']],
    ['"a\\",b"@contoso.com,c@contoso.com', ['"a\\",b"@contoso.com', 'c@contoso.com']],
    ['<@relay.example,@[192.0.2.1]:a@contoso.com>,b@contoso.com', ['<@relay.example,@[192.0.2.1]:a@contoso.com>', 'b@contoso.com']],
    ['<"x,>"@contoso.com>,b@contoso.com', ['<"x,>"@contoso.com>', 'b@contoso.com']],
    ['a@[IPv6:2001:db8::1],b@[192.0.2.1]', ['a@[IPv6:2001:db8::1]', 'b@[192.0.2.1]']],
    ['"unclosed,a@contoso.com', ['"unclosed,a@contoso.com']],
    ['<a@contoso.com,b@contoso.com', ['<a@contoso.com,b@contoso.com']],
    ['', []],
  ])('%s', (text, items) => {
    expect(splitAddressList(text)).toEqual(items);
  });
  it('each item is then one address of the one rule: "a,b"@contoso.com is a mailbox whose local part holds a comma', () => {
    const [quoted, routed] = addressArguments(['"a,b"@Contoso.com,<@relay.example,@relay2.example:alice@contoso.com>']);
    expect([quoted, routed]).toEqual(['"a,b"@Contoso.com', 'alice@contoso.com']);
    expect(parseMailbox(quoted!)).toMatchObject({ ok: true, mailbox: { localPart: 'a,b', domain: 'contoso.com' } });
  });
});

describe('SMTPUTF8 in an inbound session (RFC 6531)', () => {
  const session = (smtpUtf8Enabled: boolean) =>
    evaluateInboundSession(
      topology({
        sites: [{ name: 'Paris' }],
        servers: [mailbox('MBX-PAR', 'Paris', { defaultReceiveConnectors: false })],
        acceptedDomains: [contosoDomain],
        receiveConnectors: [{ name: 'Anon', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.0.0.0/8'], permissionGroups: ['AnonymousUsers'], smtpUtf8Enabled }],
      }),
      { server: 'MBX-PAR', port: 25, remoteAddress: '10.0.0.5', auth: 'none', sender: '', recipients: ['josé@contoso.com'] },
    );
  it('a UTF-8 recipient is accepted where the connector offers SMTPUTF8', () => {
    expect(session(true).recipients[0]).toMatchObject({ accepted: true });
  });
  it('and refused for its syntax (501) where it does not', () => {
    const outcome = session(false).recipients[0]!;
    expect(outcome).toMatchObject({ accepted: false, reply: { code: 501 } });
    expect(outcome.because).toContain('SMTPUTF8');
  });
});
