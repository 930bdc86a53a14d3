import { describe, expect, it } from 'vitest';
import { ehloKeywords } from '../../../src/core/policy/ehlo.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const t = topology({
  sites: [{ name: 'Paris' }],
  servers: [mailbox('S', 'Paris'), { name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }],
  acceptedDomains: [contosoDomain],
});
const rc = (name: string) => t.receiveConnectors.find((c) => c.name === name)!;
const before = (name: string) => ehloKeywords(rc(name), { tlsActive: false });
const after = (name: string) => ehloKeywords(rc(name), { tlsActive: true });

// R52a rows with mxt's deviations (end of R52a): AUTH PLAIN LOGIN for BasicAuth, no NTLM/GSSAPI,
// no X-ANONYMOUSTLS / X-EXPS, ETRN added (R54); SMTPUTF8 as Exchange 2019 (smtpUtf8Enabled default).
const HEAD = ['SIZE 37748736', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES'];
const TAIL = ['8BITMIME', 'BINARYMIME', 'CHUNKING', 'SMTPUTF8', 'ETRN'];

describe('EHLO keywords of each default connector (R52, R52a)', () => {
  it('R52a Default Frontend: STARTTLS before TLS, no AUTH until TLS (BasicAuthRequireTLS), AUTH PLAIN LOGIN after', () => {
    expect(before('Default Frontend S')).toEqual([...HEAD, 'STARTTLS', ...TAIL]);
    expect(after('Default Frontend S')).toEqual([...HEAD, 'AUTH PLAIN LOGIN', ...TAIL]);
  });

  it('R52a Client Frontend: same shape as Default Frontend', () => {
    expect(before('Client Frontend S')).toEqual([...HEAD, 'STARTTLS', ...TAIL]);
    expect(after('Client Frontend S')).toEqual([...HEAD, 'AUTH PLAIN LOGIN', ...TAIL]);
  });

  it('R52a Outbound Proxy Frontend and Client Proxy: as Default Frontend', () => {
    for (const name of ['Outbound Proxy Frontend S', 'Client Proxy S']) {
      expect(before(name)).toEqual(before('Default Frontend S'));
      expect(after(name)).toEqual(after('Default Frontend S'));
    }
  });

  it('R52a Default <S> (2525): BasicAuth without RequireTLS offers AUTH before TLS too', () => {
    expect(before('Default S')).toEqual([...HEAD, 'STARTTLS', 'AUTH PLAIN LOGIN', ...TAIL]);
    expect(after('Default S')).toEqual([...HEAD, 'AUTH PLAIN LOGIN', ...TAIL]);
  });

  it('R52a Edge default: no AUTH at all', () => {
    expect(before('Default internal receive connector EDGE')).toEqual([...HEAD, 'STARTTLS', ...TAIL]);
    expect(after('Default internal receive connector EDGE')).toEqual([...HEAD, ...TAIL]);
  });

  it('R52a mxt never advertises X-ANONYMOUSTLS, X-EXPS, NTLM, GSSAPI or Exchange-internal verbs', () => {
    const all = t.receiveConnectors.flatMap((c) => [...ehloKeywords(c, { tlsActive: false }), ...ehloKeywords(c, { tlsActive: true })]).join(' ');
    expect(all).not.toMatch(/X-ANONYMOUSTLS|X-EXPS|NTLM|GSSAPI|XRDST|XEXCH50|XSHADOW/);
  });

  it('R52 conditions: SIZE forms, STARTTLS needs a certificate, optional keywords follow their switches', () => {
    const fe = rc('Default Frontend S');
    expect(ehloKeywords({ ...fe, sizeEnabled: 'EnabledWithoutValue' }, { tlsActive: false })[0]).toBe('SIZE');
    expect(ehloKeywords({ ...fe, sizeEnabled: 'Disabled' }, { tlsActive: false })).not.toContain('SIZE 37748736');
    expect(ehloKeywords(fe, { tlsActive: false, certificateAvailable: false })).not.toContain('STARTTLS');
    expect(ehloKeywords({ ...fe, pipeliningEnabled: false, chunkingEnabled: false }, { tlsActive: false })).not.toEqual(
      expect.arrayContaining(['PIPELINING']),
    );
    const noChunking = ehloKeywords({ ...fe, chunkingEnabled: false }, { tlsActive: false });
    expect(noChunking).not.toContain('BINARYMIME'); // BINARYMIME requires CHUNKING
    expect(ehloKeywords({ ...fe, longAddressesEnabled: true, orarEnabled: true }, { tlsActive: false }).slice(-3)).toEqual(['XLONGADDR', 'XORAR', 'ETRN']);
  });

  it('R52 a connector whose only user mechanism is Integrated offers no AUTH in mxt', () => {
    const fe = rc('Default Frontend S');
    expect(ehloKeywords({ ...fe, authMechanism: ['Tls', 'Integrated'] }, { tlsActive: true }).some((k) => k.startsWith('AUTH'))).toBe(false);
  });
});
