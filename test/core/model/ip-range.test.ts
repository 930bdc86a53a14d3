import { describe, expect, it } from 'vitest';
import { ipRange, parseBinding, parseIpRange, rangeContains, rangeContainsRange, rangeSize, rangesOverlap, isWholeFamily, ALL_IPV4, ALL_IPV6 } from '../../../src/core/model/ip-range.js';

describe('R34 remote IP range forms', () => {
  it('R34 reads single addresses, CIDR and first-last ranges, IPv4 and IPv6', () => {
    expect(rangeSize(ipRange('192.168.1.75'))).toBe(1n);
    expect(rangeSize(ipRange('192.168.1.0/24'))).toBe(256n);
    expect(rangeSize(ipRange('192.168.1.0-192.168.1.255'))).toBe(256n);
    expect(rangeSize(ipRange('2001:db8::/126'))).toBe(4n);
    expect(ipRange('10.1.5.7/24').first).toBe(ipRange('10.1.5.0').first);
    expect(isWholeFamily(ipRange(ALL_IPV4))).toBe(true);
    expect(isWholeFamily(ipRange(ALL_IPV6))).toBe(true);
  });
  it('R34 refuses malformed ranges', () => {
    for (const bad of ['10.0.0.999', '10.0.0.0/33', '10.0.0.9-10.0.0.1', '10.0.0.1-::1', 'host.contoso.com', '10', '']) {
      expect(parseIpRange(bad).ok, bad).toBe(false);
    }
  });
  it('R31 containment and overlap between ranges', () => {
    const wide = ipRange('192.168.1.0/24');
    const one = ipRange('192.168.1.75');
    expect(rangeContainsRange(wide, one)).toBe(true);
    expect(rangeContainsRange(one, wide)).toBe(false);
    expect(rangesOverlap(ipRange('10.0.0.0-10.0.0.10'), ipRange('10.0.0.5-10.0.0.20'))).toBe(true);
    expect(rangesOverlap(ipRange('10.0.0.0/24'), ipRange('2001:db8::/32'))).toBe(false);
    expect(rangeContains(wide, 4, one.first)).toBe(true);
  });
});

describe('R30 bindings', () => {
  it('R30 reads IPv4, bracketed IPv6 and wildcard bindings', () => {
    const v4 = parseBinding('0.0.0.0:25');
    expect(v4.ok && v4.value).toMatchObject({ family: 4, value: undefined, port: 25 });
    const v6 = parseBinding('[::]:587');
    expect(v6.ok && v6.value).toMatchObject({ family: 6, value: undefined, port: 587 });
    const exact = parseBinding('10.1.0.11:2525');
    expect(exact.ok && exact.value.value).toBe(ipRange('10.1.0.11').first);
  });
  it('R30 refuses bindings without a port or with a bad port', () => {
    for (const bad of ['0.0.0.0', '0.0.0.0:0', '0.0.0.0:70000', 'ex01:25', '::1:25']) expect(parseBinding(bad).ok, bad).toBe(false);
  });
});

describe('strict ranges (issue 8 item 4)', () => {
  it.each(['10.9.0.0/16/garbage', '10.9.0.0/', '10.9.0.0/+16', '10.9.0.0/0x10', 'fe80::1%eth0', '[10.0.0.1]', '[::1]', ' [::1]/128', '10.0.0.1/32/32'])(
    '%s is not a remote IP range',
    (text) => {
      expect(parseIpRange(text).ok).toBe(false);
    },
  );
  it('10.9.0.0/16 is still the /16 it says', () => {
    expect(parseIpRange('10.9.0.0/16')).toMatchObject({ ok: true, value: { family: 4, first: 0x0a090000n, last: 0x0a09ffffn } });
  });
  it('a binding keeps its brackets for IPv6 ([::]:25), the address inside is strict', () => {
    expect(parseBinding('[::]:25').ok).toBe(true);
    expect(parseBinding('[fe80::1%eth0]:25').ok).toBe(false);
  });
});
