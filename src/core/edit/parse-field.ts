/**
 * Flag text (or a wizard answer) → the value written into the YAML, checked with the model's own
 * parsers (address-space.ts, ip-range.ts, units.ts) so a typo is caught before the file is touched.
 * Sizes and durations are written as the user typed them (`20MB` stays `20MB`).
 */
import { SECRET_KEY } from '../findings/secrets.js';
import { parseAddressSpace } from '../model/address-space.js';
import { parseBinding, parseIpAddress, parseIpRange } from '../model/ip-range.js';
import { parseDuration, parseSize, type Parsed } from '../model/units.js';
import type { FieldSpec } from './fields.js';

type Value = string | number | boolean | (string | number)[] | Record<string, string> | { user: string; extendedRights: string[] }[];

/** Split a comma-separated list; an empty text is the empty list. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function parseFieldValue(spec: FieldSpec, text: string): Parsed<Value> {
  const fail = (error: string): Parsed<Value> => ({ ok: false, error: `--${spec.flag}: ${error}` });
  const trimmed = text.trim();
  switch (spec.parse) {
    case 'string':
      return trimmed ? { ok: true, value: trimmed } : fail('cannot be empty');
    case 'strings':
      return { ok: true, value: splitList(text) };
    case 'bool': {
      if (/^(true|yes|\$true|1)$/i.test(trimmed)) return { ok: true, value: true };
      if (/^(false|no|\$false|0)$/i.test(trimmed)) return { ok: true, value: false };
      return fail(`"${text}" is not true or false`);
    }
    case 'int':
      return /^-?\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : fail(`"${text}" is not a whole number`);
    case 'limit':
      if (/^unlimited$/i.test(trimmed)) return { ok: true, value: 'unlimited' };
      return /^\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : fail(`"${text}" is not a whole number or unlimited`);
    case 'size': {
      const parsed = parseSize(trimmed);
      if (!parsed.ok) return fail(parsed.error);
      return { ok: true, value: /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed };
    }
    case 'duration': {
      const parsed = parseDuration(trimmed);
      return parsed.ok ? { ok: true, value: trimmed } : fail(parsed.error);
    }
    case 'enum': {
      const found = spec.choices?.find((c) => c.toLowerCase() === trimmed.toLowerCase());
      return found ? { ok: true, value: found } : fail(`"${text}" is not one of ${spec.choices?.join(', ')}`);
    }
    case 'enums': {
      const values: string[] = [];
      for (const item of splitList(text)) {
        const found = spec.choices?.find((c) => c.toLowerCase() === item.toLowerCase());
        if (!found) return fail(`"${item}" is not one of ${spec.choices?.join(', ')}`);
        values.push(found);
      }
      return { ok: true, value: values };
    }
    case 'addressSpaces':
      return eachOf(splitList(text), (item) => parseAddressSpace(item), fail);
    case 'ipRanges':
      return eachOf(splitList(text), (item) => parseIpRange(item), fail);
    case 'ipAddresses':
      return eachOf(splitList(text), (item) => parseIpAddress(item), fail);
    case 'bindings':
      return eachOf(splitList(text), (item) => parseBinding(item), fail);
    case 'credential':
      return parseCredential(trimmed, fail);
    case 'adPermissions':
      return parseAdPermissions(trimmed, fail);
  }
}

/**
 * `username=relay@contoso.com,passwordEnv=FABRIKAM_SMTP_PASSWORD` (or `passwordFile=…`): the
 * credential object of the config, which names where the password is and never holds it.
 */
function parseCredential(text: string, fail: (error: string) => Parsed<Value>): Parsed<Value> {
  const credential: Record<string, string> = {};
  // The text may hold a password typed by mistake: errors name the entry by position and known key only, never echo it.
  const items = splitList(text);
  for (const [i, item] of items.entries()) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    const known = ['username', 'passwordEnv', 'passwordFile'].find((k) => k.toLowerCase() === key.toLowerCase());
    const entry = `entry ${i + 1} of ${items.length}`;
    if (SECRET_KEY.test(key)) return fail(`${entry} is a password: a credential never holds the password itself; name where it is with passwordEnv=VARIABLE or passwordFile=PATH`);
    if (!known) return fail(`${entry} is not username=…, passwordEnv=… or passwordFile=… (the entry is not shown: it may be a secret)`);
    if (!item.slice(eq + 1).trim()) return fail(`${entry} (${known}=) has no value`);
    credential[known] = item.slice(eq + 1).trim();
  }
  if (!credential.username) return fail('a credential needs username=…');
  if (!credential.passwordEnv && !credential.passwordFile) return fail('name where the password is: passwordEnv=VARIABLE or passwordFile=PATH (never the password itself)');
  return { ok: true, value: credential };
}

/**
 * R43: `NT AUTHORITY\ANONYMOUS LOGON=ms-Exch-SMTP-Accept-Any-Recipient`; several rights joined by `,`,
 * several principals by `;`. Principal names hold spaces and backslashes, never `=` or `;`.
 */
function parseAdPermissions(text: string, fail: (error: string) => Parsed<Value>): Parsed<Value> {
  const grants: { user: string; extendedRights: string[] }[] = [];
  for (const entry of text.split(';').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const user = eq > 0 ? entry.slice(0, eq).trim() : '';
    const extendedRights = eq > 0 ? splitList(entry.slice(eq + 1)) : [];
    if (!user || extendedRights.length === 0) return fail(`"${entry}" is not PRINCIPAL=RIGHT[,RIGHT…], e.g. "NT AUTHORITY\\ANONYMOUS LOGON=ms-Exch-SMTP-Accept-Any-Recipient"`);
    const bad = extendedRights.find((r) => !/^ms-Exch-[A-Za-z0-9-]+$/.test(r));
    if (bad) return fail(`"${bad}" is not an Exchange extended right (ms-Exch-…)`);
    grants.push({ user, extendedRights });
  }
  return grants.length > 0 ? { ok: true, value: grants } : fail('give at least one PRINCIPAL=RIGHT');
}

function eachOf(items: string[], check: (item: string) => Parsed<unknown>, fail: (error: string) => Parsed<Value>): Parsed<Value> {
  for (const item of items) {
    const parsed = check(item);
    if (!parsed.ok) return fail(parsed.error);
  }
  return { ok: true, value: items };
}

/** For prompts: `true` when the answer parses, else the reason. */
export function checkAnswer(spec: FieldSpec, text: string): true | string {
  const parsed = parseFieldValue(spec, text);
  return parsed.ok ? true : parsed.error.replace(/^--[\w-]+: /, '');
}

/** A written value shown back as flag text (wizard defaults, `show`). */
export function formatFieldValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => formatFieldValue(v)).join(',');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return value === undefined ? '' : String(value);
}
