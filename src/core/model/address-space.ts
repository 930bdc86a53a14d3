/**
 * Send connector address spaces (R100, R101): `[Type:]Address[;Cost]`, e.g. `SMTP:*.contoso.com;10`.
 * Hand-written: the syntax and the specificity order are Exchange's own.
 */
import { asciiDomain, domainKey } from './address.js';
import type { Parsed } from './units.js';

export interface AddressSpace {
  /** Address type, upper case; `SMTP` unless given. */
  type: string;
  /** For SMTP: `*`, `--`, `contoso.com` or `*.contoso.com`, lower case, an internationalized domain in A-labels (`xn--…`). */
  address: string;
  /** 1–100, lower preferred (R100). */
  cost: number;
}

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isDomainName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  return text.split('.').every((label) => DOMAIN_LABEL.test(label) || /^[a-z0-9_-]{1,63}$/i.test(label));
}

/** Parse one entry; the object form `{ type, address, cost }` is accepted too. */
export function parseAddressSpace(input: string | { type?: string; address: string; cost?: number }): Parsed<AddressSpace> {
  let type = 'SMTP';
  let address: string;
  let cost = 1;
  if (typeof input === 'string') {
    let text = input.trim();
    const typed = /^([A-Za-z0-9]+):(.*)$/.exec(text);
    if (typed) {
      type = typed[1]!.toUpperCase();
      text = typed[2]!;
    }
    const semi = text.lastIndexOf(';');
    if (semi >= 0) {
      const costText = text.slice(semi + 1).trim();
      if (!/^\d+$/.test(costText)) return { ok: false, error: `address space "${input}": cost "${costText}" is not a whole number` };
      cost = Number(costText);
      text = text.slice(0, semi);
    }
    address = text.trim();
  } else {
    type = (input.type ?? 'SMTP').toUpperCase();
    address = input.address.trim();
    cost = input.cost ?? 1;
  }
  const shown = typeof input === 'string' ? input : `${type}:${address};${cost}`;
  if (!Number.isInteger(cost) || cost < 1 || cost > 100) {
    return { ok: false, error: `address space "${shown}": cost ${cost} is outside 1–100` };
  }
  if (address.length === 0) return { ok: false, error: `address space "${shown}" has an empty address` };
  if (type !== 'SMTP') return { ok: true, value: { type, address, cost } };
  address = address.toLowerCase();
  if (address === '*' || address === '--') return { ok: true, value: { type, address, cost } };
  const wildcard = address.startsWith('*.');
  const written = wildcard ? address.slice(2) : address;
  if (written.includes('*')) {
    return {
      ok: false,
      error: `address space "${shown}": a wildcard must stand alone as the first label ("*.contoso.com"), not "${address}"`,
    };
  }
  // Compared with recipient domains in A-labels (R101), whichever form the config uses.
  const domain = asciiDomain(written);
  if (domain === undefined || !isDomainName(domain)) return { ok: false, error: `address space "${shown}": "${written}" is not a domain name` };
  return { ok: true, value: { type, address: wildcard ? `*.${domain}` : domain, cost } };
}

export function formatAddressSpace(space: AddressSpace): string {
  return `${space.type}:${space.address};${space.cost}`;
}

/**
 * Specificity of an SMTP address space for domain d (R101), higher is more specific;
 * `undefined` when it does not match. Exact d ranks above `*.d`, which ranks above `*.s` for shorter s,
 * and `*` ranks lowest.
 */
export function matchSpecificity(space: AddressSpace, domain: string): number | undefined {
  if (space.type !== 'SMTP') return undefined;
  const d = domainKey(domain);
  const a = space.address;
  if (a === '*') return 0;
  if (a === d) return 2 * labelCount(d) + 1;
  if (a.startsWith('*.')) {
    const suffix = a.slice(2);
    if (d === suffix || d.endsWith(`.${suffix}`)) return 2 * labelCount(suffix);
  }
  return undefined;
}

function labelCount(domain: string): number {
  return domain.split('.').length;
}

/** True when two SMTP address spaces name the very same set of domains. */
export function sameAddressSpace(a: AddressSpace, b: AddressSpace): boolean {
  return a.type === b.type && a.address === b.address;
}
