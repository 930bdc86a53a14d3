/**
 * Reading one dumped object's properties into config keys: each key names the Exchange property it
 * stands for and how its value is read; a value equal to mxt's implied default is left out, so the
 * config reads like a hand-written one. Every property read is marked used: the rest is counted as
 * dropped (read-only or not modelled by mxt).
 */
import { formatAddressSpace, type AddressSpace } from '../model/address-space.js';
import { formatDuration, formatSize, type Parsed } from '../model/units.js';
import type { DumpKind } from './kinds.js';
import * as v from './values.js';

export type DumpPath = (string | number)[];

export interface ImportProblem {
  /** `import-unrecognised`: no cmdlet's object; `import-value`: a value that cannot be read. */
  ruleId: 'import-unrecognised' | 'import-value';
  file: string;
  /** JSON path inside the file. */
  path: DumpPath;
  message: string;
  hint?: string;
}

export interface DumpItem {
  kind: DumpKind;
  file: string;
  path: DumpPath;
  object: Record<string, unknown>;
  /** Lower-case names of the properties read. */
  used: Set<string>;
}

export class ImportRun {
  readonly problems: ImportProblem[] = [];

  /** The property `name` of `item`, read with `read`; undefined when unset or unreadable (a problem then). */
  read<T>(item: DumpItem, name: string, read: (value: unknown) => Parsed<T>): T | undefined {
    item.used.add(name.toLowerCase());
    const raw = v.property(item.object, name);
    if (v.isUnset(raw)) return undefined;
    const parsed = read(raw);
    if (parsed.ok) return parsed.value;
    const key = Object.keys(item.object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    this.problems.push({ ruleId: 'import-value', file: item.file, path: [...item.path, key], message: `${item.kind} ${name}: ${parsed.error}`, hint: hintFor(parsed.error) });
    return undefined;
  }

  problem(item: DumpItem, message: string, hint?: string, key?: string): void {
    this.problems.push({ ruleId: 'import-value', file: item.file, path: key ? [...item.path, key] : item.path, message, ...(hint ? { hint } : {}) });
  }
}

function hintFor(error: string): string | undefined {
  if (/enum's number/.test(error)) return 'dump enums by name: from a remote Exchange Management Shell session, or with ConvertTo-Json -EnumsAsStrings (PowerShell 7)';
  return undefined;
}

export interface Field {
  key: string;
  /** The Exchange property (any case); the key itself unless told. */
  from?: string;
  read: (value: unknown) => Parsed<unknown>;
  /** A schema default (bytes, milliseconds, parsed address spaces) in the form `read` gives. */
  norm?: (value: unknown) => unknown;
}

const normSize = (value: unknown) => (typeof value === 'number' ? formatSize(value) : value);
const normDuration = (value: unknown) => (typeof value === 'number' ? formatDuration(value) : value);
const normSpaces = (value: unknown) => (Array.isArray(value) ? value.map((s) => (typeof s === 'object' ? formatAddressSpace(s as AddressSpace) : s)) : value);

/** Field makers by the type of the Exchange property. */
export const field = {
  size: (key: string, from?: string): Field => ({ key, from, read: v.size, norm: normSize }),
  duration: (key: string, from?: string): Field => ({ key, from, read: v.duration, norm: normDuration }),
  limit: (key: string, from?: string): Field => ({ key, from, read: v.limit }),
  integer: (key: string, from?: string): Field => ({ key, from, read: v.integer }),
  boolean: (key: string, from?: string): Field => ({ key, from, read: v.boolean }),
  text: (key: string, from?: string): Field => ({ key, from, read: v.text }),
  name: (key: string, from?: string): Field => ({ key, from, read: v.objectName }),
  names: (key: string, from?: string): Field => ({ key, from, read: v.list(v.objectName) }),
  texts: (key: string, from?: string): Field => ({ key, from, read: v.list(v.text) }),
  enum: <T extends string>(key: string, allowed: readonly T[], from?: string): Field => ({ key, from, read: v.enumValue(allowed) }),
  flags: <T extends string>(key: string, allowed: readonly T[], from?: string): Field => ({ key, from, read: v.flags(allowed) }),
  addressSpaces: (key: string): Field => ({ key, read: v.list(v.addressSpace), norm: normSpaces }),
  ipRanges: (key: string): Field => ({ key, read: v.list(v.ipRange) }),
  bindings: (key: string): Field => ({ key, read: v.list(v.binding) }),
  smartHosts: (key: string): Field => ({ key, read: v.list(v.smartHost) }),
};

/** Every field of `fields` read from `item` into `out`, left out where it equals `defaults[key]`. */
export function readFields(run: ImportRun, item: DumpItem, fields: readonly Field[], defaults: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const f of fields) {
    const value = run.read(item, f.from ?? f.key, f.read);
    if (value === undefined) continue;
    if (f.key in defaults) {
      const implied = f.norm ? f.norm(defaults[f.key]) : defaults[f.key];
      if (v.sameValue(value, implied)) continue;
    }
    out[f.key] = value;
  }
}

/** What every property read from `item` leaves: the number not read. */
export function droppedOf(item: DumpItem): number {
  return Object.keys(item.object).filter((key) => !item.used.has(key.toLowerCase())).length;
}
