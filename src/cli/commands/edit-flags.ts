/** Flags → draft values, through the kind's table (core/edit/kinds.ts). Every bad flag is reported at once. */
import type { FieldSpec } from '../../core/edit/fields.js';
import type { Draft, EditKind } from '../../core/edit/kinds.js';
import { parseFieldValue } from '../../core/edit/parse-field.js';
import { UserError } from '../../errors.js';

/** Options that are not fields: the command's own switches. */
const NOT_FIELDS = new Set(['config', 'dryRun', 'format', 'unset']);

/** commander's attribute name of a long flag: `remote-ip-ranges` → `remoteIpRanges`. */
export function attributeOf(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function collectValues(kind: EditKind, opts: Record<string, unknown>, except: readonly string[] = []): Draft {
  const byAttribute = new Map<string, FieldSpec>(kind.fields.map((f) => [attributeOf(f.flag), f]));
  const values: Draft = {};
  const problems: string[] = [];
  for (const [attribute, raw] of Object.entries(opts)) {
    if (raw === undefined || NOT_FIELDS.has(attribute) || except.includes(attribute)) continue;
    const spec = byAttribute.get(attribute);
    if (!spec) {
      problems.push(`--${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is not a ${kind.noun} setting`);
      continue;
    }
    const parsed = parseFieldValue(spec, String(raw));
    if (parsed.ok) values[spec.key] = parsed.value;
    else problems.push(parsed.error);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), `see \`--help\` for the ${kind.noun} flags`);
  return values;
}

/** `--unset max-message-size,smartHosts` → config keys. */
export function unsetKeys(kind: EditKind, text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const spec = kind.fields.find((f) => f.key.toLowerCase() === item.toLowerCase() || f.flag === item.replace(/^--/, ''));
      if (!spec) throw new UserError(`--unset: "${item}" is not a ${kind.noun} setting`, `see \`--help\` for the ${kind.noun} flags`);
      if (kind.identity.includes(spec.key)) throw new UserError(`--unset: "${item}" identifies the ${kind.noun} and cannot be removed`);
      return spec.key;
    });
}

export function flagsOf(kind: EditKind, keys: readonly string[]): string[] {
  return keys.map((key) => `--${kind.fields.find((f) => f.key === key)?.flag ?? key}`);
}
