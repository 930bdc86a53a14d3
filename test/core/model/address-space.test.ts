import { describe, expect, it } from 'vitest';
import { formatAddressSpace, matchSpecificity, parseAddressSpace, type AddressSpace } from '../../../src/core/model/address-space.js';

const parse = (text: string): AddressSpace => {
  const r = parseAddressSpace(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('R100 address space syntax', () => {
  it('R100 treats SMTP:contoso.com;1, contoso.com;1, SMTP:contoso.com and contoso.com as the same entry', () => {
    const forms = ['SMTP:contoso.com;1', 'contoso.com;1', 'SMTP:contoso.com', 'contoso.com'].map(parse);
    for (const f of forms) expect(f).toEqual({ type: 'SMTP', address: 'contoso.com', cost: 1 });
  });
  it('R100 reads wildcards, costs, the object form and other address types', () => {
    expect(parse('SMTP:*.Contoso.com;10')).toEqual({ type: 'SMTP', address: '*.contoso.com', cost: 10 });
    expect(parse('*;100')).toEqual({ type: 'SMTP', address: '*', cost: 100 });
    expect(parse('smtp:--;1')).toEqual({ type: 'SMTP', address: '--', cost: 1 });
    expect(parseAddressSpace({ address: 'fabrikam.com', cost: 5 })).toEqual({ ok: true, value: { type: 'SMTP', address: 'fabrikam.com', cost: 5 } });
    expect(parse('X400:c=US;a=Fabrikam;5').type).toBe('X400');
    expect(formatAddressSpace(parse('fabrikam.com;3'))).toBe('SMTP:fabrikam.com;3');
  });
  it('V30 refuses *contoso.com, embedded wildcards, empty addresses and costs outside 1–100', () => {
    for (const bad of ['SMTP:*contoso.com;1', 'a.*.contoso.com', 'SMTP:;1', 'contoso.com;0', 'contoso.com;101', 'contoso.com;x', 'bad_domain..com']) {
      expect(parseAddressSpace(bad).ok, bad).toBe(false);
    }
  });
});

describe('R101 specificity', () => {
  it('R101 ranks exact d above *.d above *.parent above *', () => {
    const d = 'marketing.contoso.com';
    const exact = matchSpecificity(parse('marketing.contoso.com'), d)!;
    const wildSelf = matchSpecificity(parse('*.marketing.contoso.com'), d)!;
    const wildParent = matchSpecificity(parse('*.contoso.com'), d)!;
    const wildTop = matchSpecificity(parse('*.com'), d)!;
    const star = matchSpecificity(parse('*'), d)!;
    expect(exact).toBeGreaterThan(wildSelf);
    expect(wildSelf).toBeGreaterThan(wildParent);
    expect(wildParent).toBeGreaterThan(wildTop);
    expect(wildTop).toBeGreaterThan(star);
  });
  it('R101 an exact domain does not cover its subdomains; *.s covers s itself', () => {
    expect(matchSpecificity(parse('fabrikam.com'), 'eu.fabrikam.com')).toBeUndefined();
    expect(matchSpecificity(parse('*.fabrikam.com'), 'fabrikam.com')).toBeDefined();
    expect(matchSpecificity(parse('*.fabrikam.com'), 'notfabrikam.com')).toBeUndefined();
    expect(matchSpecificity(parse('X400:c=US;1'), 'fabrikam.com')).toBeUndefined();
  });
});
