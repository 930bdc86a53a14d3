/** core/policy additions for the relay: listener table (R30), connection limits (R23), ETRN/ATRN (R54), TLS principal (R40), address syntax. */
import { describe, expect, it } from 'vitest';
import { parseMailbox } from '../../../src/core/model/address.js';
import { decideAtrn, decideEtrn } from '../../../src/core/policy/legacy-verbs.js';
import { EARLY_TALKER_PAUSE_MS, greetingPause, listenerTable, messageRateKeys, perSourceConnectionLimit } from '../../../src/core/policy/listeners.js';
import { sessionPermissions } from '../../../src/core/policy/permissions.js';
import { tlsClientPrincipal } from '../../../src/core/policy/tls-principal.js';
import { relayTopology } from '../../relay/fixture.js';

const t = relayTopology();
const front = t.receiveConnectors.find((c) => c.name === 'Default Frontend MBX-PAR')!;

describe('listener table (R15, R20, R30)', () => {
  it('one listener per IP:port of the enabled connectors, defaults included', () => {
    const table = listenerTable(t, 'MBX-PAR');
    expect(table.map((l) => `${l.address}:${l.port}`)).toEqual(
      expect.arrayContaining(['0.0.0.0:25', ':::25', '0.0.0.0:587', '0.0.0.0:717', '0.0.0.0:2525', '0.0.0.0:465', '0.0.0.0:475', '0.0.0.0:2600']),
    );
  });

  it('lab mapping: every binding on one address, ports shifted, configured port kept', () => {
    const table = listenerTable(t, 'MBX-PAR', { address: '127.0.9.1', portOffset: 10000 });
    const l25 = table.find((l) => l.port === 10025)!;
    expect(l25).toMatchObject({ address: '127.0.9.1', configuredPort: 25, bindings: ['0.0.0.0:25', '[::]:25'] });
    expect(new Set(table.map((l) => l.address))).toEqual(new Set(['127.0.9.1']));
  });
});

describe('limits (R23)', () => {
  it('per source: MaxInboundConnectionPerSource, capped by the percentage of MaxInboundConnection', () => {
    expect(perSourceConnectionLimit(front)).toBe(20);
    expect(perSourceConnectionLimit({ maxInboundConnection: 100, maxInboundConnectionPerSource: 20, maxInboundConnectionPercentagePerSource: 2 })).toBe(2);
    expect(perSourceConnectionLimit({ maxInboundConnection: 'unlimited', maxInboundConnectionPerSource: 'unlimited', maxInboundConnectionPercentagePerSource: 100 })).toBe(Infinity);
  });
});

describe('early-talker pause before the greeting', () => {
  it('a connector serving a whole address family waits; one whose RemoteIPRanges name its clients greets at once', () => {
    expect(greetingPause(front)).toBe(EARLY_TALKER_PAUSE_MS);
    expect(greetingPause({ remoteIPRanges: ['10.0.0.0/8', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'] })).toBe(EARLY_TALKER_PAUSE_MS);
    expect(greetingPause({ remoteIPRanges: ['0.0.0.0/0'] })).toBe(EARLY_TALKER_PAUSE_MS);
    expect(greetingPause({ remoteIPRanges: ['127.0.0.0/8', '192.168.1.10-192.168.1.20'] })).toBe(0);
  });
});

describe('R23 MessageRateLimit / MessageRateSource', () => {
  it('IPAddress counts per address, User per user, All both, None or unlimited nothing', () => {
    const base = { messageRateLimit: 5 as const, messageRateSource: 'IPAddress' as const };
    expect(messageRateKeys(base, { clientIp: '192.0.2.1', user: 'bob' })).toEqual({ keys: ['ip:192.0.2.1'], limit: 5 });
    expect(messageRateKeys({ ...base, messageRateSource: 'User' }, { clientIp: '192.0.2.1', user: 'Bob' }).keys).toEqual(['user:bob']);
    expect(messageRateKeys({ ...base, messageRateSource: 'All' }, { clientIp: '192.0.2.1', user: 'bob' }).keys).toEqual(['ip:192.0.2.1', 'user:bob']);
    expect(messageRateKeys({ ...base, messageRateSource: 'None' }, { clientIp: '192.0.2.1' }).keys).toEqual([]);
    expect(messageRateKeys({ messageRateLimit: 'unlimited', messageRateSource: 'IPAddress' }, { clientIp: '192.0.2.1' }).keys).toEqual([]);
  });
});

describe('R54 legacy verbs', () => {
  it('ETRN only with ms-Exch-SMTP-Accept-Any-Recipient', () => {
    expect(decideEtrn(sessionPermissions(front, 'anonymous'), 'contoso.com')).toMatchObject({ allowed: false, reply: { code: 530 } });
    expect(decideEtrn(sessionPermissions(front, 'exchangeServer'), '@Contoso.com')).toEqual({ allowed: true, domain: 'contoso.com' });
  });

  it('ATRN: 530 before AUTH, 502 5.5.1 after AUTH without atrnEnabled', () => {
    expect(decideAtrn(front, { principal: 'anonymous' }).code).toBe(530);
    expect(decideAtrn(front, { principal: 'user' })).toMatchObject({ code: 502, enhancedCode: '5.5.1' });
  });
});

describe('R40: TLS client certificates', () => {
  it('a verified certificate naming a server FQDN is ExchangeServer; unverified is anonymous', () => {
    expect(tlsClientPrincipal(t, { verified: true, names: ['MBX-PAR.contoso.com'] })).toEqual({ auth: 'server', as: 'MBX-PAR' });
    expect(tlsClientPrincipal(t, { verified: false, names: ['mbx-par.contoso.com'] })).toEqual({ auth: 'none' });
    expect(tlsClientPrincipal(t, undefined)).toEqual({ auth: 'none' });
  });
});

describe('address syntax used by R57/R60', () => {
  it('RFC 5321 4.1.2: an unquoted @ in the local part is not an address (user@ext@local)', () => {
    // The one address rule (core/model/address.ts) is what the relay's policy asks.
    expect(parseMailbox('user@fabrikam.com@contoso.com').ok).toBe(false);
    expect(parseMailbox('"user@fabrikam.com"@contoso.com').ok).toBe(true);
    expect(parseMailbox('user%fabrikam.com@contoso.com').ok).toBe(true);
  });
});

describe('R52a: STARTTLS stands in for X-ANONYMOUSTLS', () => {
  it('a connector with ExchangeServer but no Tls (R21 Mailbox delivery) offers STARTTLS for the certificate exchange', async () => {
    const { ehloKeywords } = await import('../../../src/core/policy/ehlo.js');
    const delivery = t.receiveConnectors.find((c) => c.name === 'Mailbox delivery Receive connector MBX-PAR')!;
    expect(delivery.authMechanism).toEqual(['ExchangeServer']);
    expect(ehloKeywords(delivery, { tlsActive: false })).toContain('STARTTLS');
    expect(ehloKeywords(delivery, { tlsActive: true })).not.toContain('STARTTLS');
  });
});
