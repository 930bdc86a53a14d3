/**
 * Remote IP ranges and bindings (R30, R34): a single address, CIDR (`192.168.1.0/24`) or a
 * `first-last` range, IPv4 and IPv6. Parsing uses ipaddr.js; ranges are kept as bigint bounds so
 * that "most specific" (R31) is a plain size comparison.
 */
import ipaddr from 'ipaddr.js';
import type { Parsed } from './units.js';

export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/**
 * One address, strictly: a dotted quad or an IPv6 address, nothing around it. No brackets (those
 * belong to bindings, `[::]:25`), no zone id (`fe80::1%eth0` names an interface of one host, which
 * a range of remote addresses cannot mean), no short or octal IPv4 forms.
 */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.trim();
  if (!/^[0-9a-fA-F:.]+$/.test(bare) || !ipaddr.isValid(bare)) return undefined;
  // A strict dotted quad only: ipaddr.js also takes "10" or octal forms, which an admin never means.
  if (!bare.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(bare)) return undefined;
  return ipaddr.parse(bare);
}

export function parseIpAddress(text: string): Parsed<{ family: 4 | 6; value: bigint }> {
  const address = parseAddress(text);
  if (!address) return { ok: false, error: `"${text}" is not an IPv4 or IPv6 address` };
  return { ok: true, value: { family: address.kind() === 'ipv4' ? 4 : 6, value: toBigInt(address) } };
}

export function parseIpRange(text: string): Parsed<IpRange> {
  const input = text.trim();
  if (input.includes('/')) {
    const parts = input.split('/');
    const [addr, bits] = parts;
    const address = parseAddress(addr!);
    const max = address?.kind() === 'ipv4' ? 32 : 128;
    // Exactly one "/" and a plain prefix length: "10.9.0.0/16/garbage" is not a /16.
    if (parts.length !== 2 || !address || !/^(0|[1-9]\d{0,2})$/.test(bits ?? '') || Number(bits) > max) {
      return { ok: false, error: `"${text}" is not a CIDR range such as 192.168.1.0/24 or 2001:db8::/32` };
    }
    const width = BigInt(max - Number(bits));
    const base = (toBigInt(address) >> width) << width;
    return { ok: true, value: { family: max === 32 ? 4 : 6, first: base, last: base + (1n << width) - 1n } };
  }
  const dash = input.indexOf('-', input.includes(':') ? 0 : 1);
  if (dash > 0) {
    const a = parseAddress(input.slice(0, dash));
    const b = parseAddress(input.slice(dash + 1));
    if (!a || !b || a.kind() !== b.kind()) {
      return { ok: false, error: `"${text}" is not a range such as 10.0.0.1-10.0.0.99 (both ends of one family)` };
    }
    const first = toBigInt(a);
    const last = toBigInt(b);
    if (first > last) return { ok: false, error: `"${text}": the range's first address is above its last` };
    return { ok: true, value: { family: a.kind() === 'ipv4' ? 4 : 6, first, last } };
  }
  const single = parseIpAddress(input);
  if (!single.ok) return { ok: false, error: `"${text}" is not an address, CIDR range or first-last range` };
  return { ok: true, value: { family: single.value.family, first: single.value.value, last: single.value.value } };
}

/** Parse or throw: for ranges the schema has already checked. */
export function ipRange(text: string): IpRange {
  const parsed = parseIpRange(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

export function rangeContains(range: IpRange, family: 4 | 6, value: bigint): boolean {
  return range.family === family && value >= range.first && value <= range.last;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function rangeContainsRange(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export const ALL_IPV4 = '0.0.0.0-255.255.255.255';
export const ALL_IPV6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

/** Whole address space of a family. */
export function isWholeFamily(range: IpRange): boolean {
  return range.first === 0n && range.last === (range.family === 4 ? 2n ** 32n - 1n : 2n ** 128n - 1n);
}

export interface Binding {
  address: string;
  family: 4 | 6;
  /** undefined for the wildcard 0.0.0.0 / [::] */
  value: bigint | undefined;
  port: number;
}

/** `0.0.0.0:25`, `[::]:25`, `10.1.0.11:2525`, `[2001:db8::1]:25` (R30). */
export function parseBinding(text: string): Parsed<Binding> {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text.trim()) ?? /^([^:[\]]+):(\d+)$/.exec(text.trim());
  if (!match) return { ok: false, error: `"${text}" is not a binding: write 0.0.0.0:25, 10.1.0.11:25 or [::]:25` };
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return { ok: false, error: `binding "${text}": port ${port} is outside 1–65535` };
  const address = parseIpAddress(match[1]!);
  if (!address.ok) return { ok: false, error: `binding "${text}": ${address.error}` };
  return {
    ok: true,
    value: { address: match[1]!, family: address.value.family, value: address.value.value === 0n ? undefined : address.value.value, port },
  };
}
