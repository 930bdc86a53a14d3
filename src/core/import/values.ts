/**
 * The value forms `Get-… | ConvertTo-Json` writes for Exchange's types, read into what an mxt config
 * holds. A remote (EMS) session serializes most types as their display strings: ByteQuantifiedSize
 * `35 MB (36,700,160 bytes)`, EnhancedTimeSpan `00:05:00`, AddressSpace `SMTP:*;1`, IPRange
 * `10.1.5.0/24`, ADObjectId as the object's name; a local session (the Exchange snap-in) writes
 * the objects themselves (`{ IsUnlimited, Value }`, `{ Ticks }`, `{ Address, Type, Cost }`,
 * `{ LowerBound, UpperBound, RangeFormat, CIDRLength }`, `{ Name, DistinguishedName }`). Both are read.
 */
import { formatAddressSpace, parseAddressSpace } from '../model/address-space.js';
import { parseBinding, parseIpRange } from '../model/ip-range.js';
import { formatDuration, formatSize, parseDuration, parseSize, type Parsed } from '../model/units.js';

export type Value = Parsed<unknown>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property of a dumped object, by its name in any case (`DNSRoutingEnabled`, `DnsRoutingEnabled`). */
export function property(object: Record<string, unknown>, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

/** `null`, `""` and `[]`: the property is not set. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** Unlimited<T> as a local session writes it: `{ IsUnlimited: true }` or `{ IsUnlimited: false, Value: … }`. */
function unwrapUnlimited(value: unknown): unknown {
  if (!isRecord(value) || !('IsUnlimited' in value || 'isUnlimited' in value)) return value;
  return property(value, 'IsUnlimited') === true ? 'Unlimited' : property(value, 'Value');
}

/** ByteQuantifiedSize: display form, `Unlimited`, bytes, or `{ IsUnlimited, Value }`; written as `35MB`. */
export function size(value: unknown): Parsed<string> {
  const inner = unwrapUnlimited(value);
  if (isRecord(inner)) return size(property(inner, 'Value') ?? property(inner, 'ToBytes'));
  if (typeof inner !== 'string' && typeof inner !== 'number') return fail(`${shown(value)} is not a size`);
  const parsed = parseSize(inner);
  return parsed.ok ? ok(formatSize(parsed.value)) : parsed;
}

/** TimeSpan/EnhancedTimeSpan: `00:05:00`, `2.00:00:00`, `Unlimited`, or `{ Ticks }`; written as `5m`. */
export function duration(value: unknown): Parsed<string> {
  const inner = unwrapUnlimited(value);
  if (isRecord(inner)) {
    const ticks = property(inner, 'Ticks');
    if (typeof ticks === 'number') return ok(formatDuration(Math.round(ticks / 10_000)));
    const ms = property(inner, 'TotalMilliseconds');
    if (typeof ms === 'number') return ok(formatDuration(Math.round(ms)));
    return fail(`${shown(value)} is not a TimeSpan`);
  }
  if (typeof inner !== 'string') return fail(`${shown(value)} is not a TimeSpan such as 00:05:00`);
  const parsed = parseDuration(inner);
  return parsed.ok ? ok(formatDuration(parsed.value)) : parsed;
}

/** Unlimited<int>: a number, its string, `Unlimited`, or `{ IsUnlimited, Value }`. */
export function limit(value: unknown): Parsed<number | 'unlimited'> {
  const inner = unwrapUnlimited(value);
  if (typeof inner === 'string' && /^unlimited$/i.test(inner.trim())) return ok('unlimited');
  return integer(inner);
}

export function integer(value: unknown): Parsed<number> {
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? ok(number) : fail(`${shown(value)} is not a whole number`);
}

export function boolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return ok(value.trim().toLowerCase() === 'true');
  return fail(`${shown(value)} is not true or false`);
}

export function text(value: unknown): Parsed<string> {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number') return ok(String(value));
  // SmtpDomain, SmtpX509Identifier and the like: their display string, when the object carries one.
  if (isRecord(value)) for (const key of ['Domain', 'Address', 'Name']) if (typeof property(value, key) === 'string') return ok(property(value, key) as string);
  return fail(`${shown(value)} is not text`);
}

/**
 * An enum value as written (`Authoritative`), in the schema's spelling. A number is an enum a local
 * session wrote without its name: which name it stands for is not guessed.
 */
export function enumValue<T extends string>(allowed: readonly T[]): (value: unknown) => Parsed<T> {
  return (value) => {
    if (typeof value === 'number') return fail(`${value} is an enum's number, not its name (one of ${allowed.join(', ')})`);
    if (typeof value !== 'string') return fail(`${shown(value)} is not one of ${allowed.join(', ')}`);
    const found = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    return found ? ok(found) : fail(`"${value}" is not one of ${allowed.join(', ')}`);
  };
}

/** A flags enum: `"Tls, BasicAuth"` (its display form) or a list of names; `None` alone is no flag. */
export function flags<T extends string>(allowed: readonly T[]): (value: unknown) => Parsed<T[]> {
  const one = enumValue(allowed);
  return (value) => {
    const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(value) ? value : [value];
    const result: T[] = [];
    for (const item of items) {
      const parsed = one(item);
      if (!parsed.ok) return parsed;
      if (!result.includes(parsed.value)) result.push(parsed.value);
    }
    return ok(result);
  };
}

/** A MultiValuedProperty: a list, one value, or nothing. */
export function list<T>(item: (value: unknown) => Parsed<T>): (value: unknown) => Parsed<T[]> {
  return (value) => {
    const items = isUnset(value) ? [] : Array.isArray(value) ? value : [value];
    const result: T[] = [];
    for (const [i, entry] of items.entries()) {
      const parsed = item(entry);
      if (!parsed.ok) return fail(items.length > 1 ? `entry ${i + 1}: ${parsed.error}` : parsed.error);
      result.push(parsed.value);
    }
    return ok(result);
  };
}

/** One RDN's value of a DN, its escapes undone: `CN=Lyon\, FR` → `Lyon, FR`. */
function rdnValue(rdn: string): string {
  return rdn.replace(/^[A-Za-z]+=/, '').replace(/\\(.)/g, '$1');
}

/** A DN's RDNs, split at the commas that are not escaped. */
export function rdns(dn: string): string[] {
  return dn.split(/(?<!\\),/).map((part) => part.trim());
}

const DN = /^(CN|OU|DC)=/i;

/**
 * The name an ADObjectId stands for: its `Name`, else the first RDN of its DN; a string is a name,
 * a DN (`CN=Paris,CN=Sites,…`), a canonical name (`contoso.com/Configuration/Sites/Paris`) or an
 * identity `EX01\Default Frontend EX01` (a connector's), of which the last part is the name.
 */
export function objectName(value: unknown): Parsed<string> {
  if (isRecord(value)) {
    const name = property(value, 'Name');
    if (typeof name === 'string' && name !== '') return ok(name);
    for (const key of ['DistinguishedName', 'Identity']) {
      const other = property(value, key);
      if (other !== undefined && other !== null) return objectName(other);
    }
    return fail(`${shown(value)} names no object (no Name or DistinguishedName)`);
  }
  if (typeof value !== 'string' || value.trim() === '') return fail(`${shown(value)} is not an object's name`);
  const textValue = value.trim();
  if (DN.test(textValue)) return ok(rdnValue(rdns(textValue)[0]!));
  if (textValue.includes('/')) return ok(textValue.slice(textValue.lastIndexOf('/') + 1));
  if (textValue.includes('\\')) return ok(textValue.slice(textValue.lastIndexOf('\\') + 1));
  return ok(textValue);
}

/** The Exchange organization's name in a configuration DN (`…,CN=Contoso,CN=Microsoft Exchange,CN=Services,…`). */
export function organizationOfDn(dn: string): string | undefined {
  const parts = rdns(dn);
  const at = parts.findIndex((p) => /^CN=Microsoft Exchange$/i.test(p));
  return at > 0 && /^CN=Services$/i.test(parts[at + 1] ?? '') ? rdnValue(parts[at - 1]!) : undefined;
}

/** AddressSpace: `SMTP:*.contoso.com;10`, `*.contoso.com`, or `{ Type, Address, Cost }`; written as `SMTP:*.contoso.com;10`. */
export function addressSpace(value: unknown): Parsed<string> {
  let input: string | { type?: string; address: string; cost?: number };
  if (typeof value === 'string') input = value;
  else if (isRecord(value) && typeof property(value, 'Address') === 'string') {
    const cost = property(value, 'Cost');
    const type = property(value, 'Type');
    input = { address: property(value, 'Address') as string, ...(typeof type === 'string' ? { type } : {}), ...(cost !== undefined ? { cost: Number(cost) } : {}) };
  } else return fail(`${shown(value)} is not an address space`);
  const parsed = parseAddressSpace(input);
  return parsed.ok ? ok(formatAddressSpace(parsed.value)) : parsed;
}

/** An IPAddress as a local session writes it: `{ IPAddressToString }`, or its string. */
function ipAddressText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const textValue = property(value, 'IPAddressToString');
    if (typeof textValue === 'string') return textValue;
  }
  return undefined;
}

/** IPRange: `10.1.5.0/24`, `10.1.5.1-10.1.5.9`, `10.1.5.7`, or `{ LowerBound, UpperBound, RangeFormat, CIDRLength }`. */
export function ipRange(value: unknown): Parsed<string> {
  let textValue: string | undefined;
  if (typeof value === 'string') textValue = value.trim();
  else if (isRecord(value)) {
    const expression = property(value, 'Expression');
    const lower = ipAddressText(property(value, 'LowerBound'));
    const upper = ipAddressText(property(value, 'UpperBound'));
    const format = String(property(value, 'RangeFormat') ?? '');
    const cidr = property(value, 'CIDRLength');
    if (typeof expression === 'string') textValue = expression;
    else if (lower && /cidr/i.test(format) && cidr !== undefined) textValue = `${lower}/${String(cidr)}`;
    else if (lower && upper) textValue = lower === upper ? lower : `${lower}-${upper}`;
  }
  if (textValue === undefined) return fail(`${shown(value)} is not an IP range`);
  const parsed = parseIpRange(textValue);
  return parsed.ok ? ok(textValue) : parsed;
}

/** IPBinding: `0.0.0.0:25`, `[::]:25`, or `{ Address, Port }`. */
export function binding(value: unknown): Parsed<string> {
  let textValue: string | undefined;
  if (typeof value === 'string') textValue = value.trim();
  else if (isRecord(value)) {
    const address = ipAddressText(property(value, 'Address'));
    const port = property(value, 'Port');
    if (address && port !== undefined) textValue = address.includes(':') ? `[${address}]:${String(port)}` : `${address}:${String(port)}`;
  }
  if (textValue === undefined) return fail(`${shown(value)} is not a binding IP:port`);
  const parsed = parseBinding(textValue);
  return parsed.ok ? ok(textValue) : parsed;
}

/** SmartHost: a host name, `[10.0.0.1]` (an address, as Exchange shows it), or `{ Domain, Address, IsIPAddress }`. */
export function smartHost(value: unknown): Parsed<string> {
  if (typeof value === 'string') return ok(value.trim().replace(/^\[(.*)\]$/, '$1'));
  if (isRecord(value)) {
    if (property(value, 'IsIPAddress') === true) {
      const address = ipAddressText(property(value, 'Address'));
      if (address) return ok(address);
    }
    const domain = property(value, 'Domain');
    const host = isRecord(domain) ? property(domain, 'Domain') : domain;
    if (typeof host === 'string') return ok(host);
  }
  return fail(`${shown(value)} is not a smart host`);
}

/** An SMTP address, lower case, without a `SMTP:` prefix (ExternalEmailAddress, EmailAddresses). */
export function smtpAddress(value: unknown): Parsed<string> {
  const raw = isRecord(value) ? (property(value, 'AddressString') ?? property(value, 'SmtpAddress') ?? property(value, 'Address')) : value;
  if (typeof raw !== 'string' || !raw.includes('@')) return fail(`${shown(value)} is not an SMTP address`);
  return ok(raw.trim().replace(/^smtp:/i, '').toLowerCase());
}

/** Sizes, durations and lists compared as the config means them (set-like lists in any order). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const key = (v: unknown) => JSON.stringify(v).toLowerCase();
    const left = a.map(key).sort();
    const right = b.map(key).sort();
    return left.every((v, i) => v === right[i]);
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}
