/**
 * planEdit(): an add, set or remove on the written config, computed as data. The result is checked
 * the way `mxt validate` checks a file (validate/check: the schema, and the semantic rules on every
 * entry that parsed, even when others did not) and refused when the edit adds an error, whatever
 * else is wrong with the file: an edit may leave old errors alone, never introduce new ones.
 * Pure: the value in is the file's plain data (YAML `toJS`), the changes out are paths and values
 * that config/apply-edit.ts replays on the YAML document.
 */
import type { Finding } from '../findings/finding.js';
import { sameName } from '../model/names.js';
import { checkConfig } from '../validate/check.js';
import type { Draft, EditKind } from './kinds.js';

export type EditPath = (string | number)[];
export type ValueChange = { op: 'append'; path: EditPath; value: unknown } | { op: 'set'; path: EditPath; value: unknown } | { op: 'delete'; path: EditPath };
export type Identity = Record<string, string>;

export type EditRequest =
  | { action: 'add'; kind: EditKind; values: Draft }
  | { action: 'set'; kind: EditKind; identity: Identity; values: Draft; unset?: string[] }
  | { action: 'remove'; kind: EditKind; identity: Identity };

export interface EditPlan {
  /** "added site Lyon" */
  summary: string;
  /** Empty when the edit changes nothing. */
  changes: ValueChange[];
  /** The config value after the edit. */
  after: unknown;
  /** Warnings the edit adds (errors refuse it). */
  warnings: Finding[];
}

export type PlanResult =
  | { status: 'ok'; plan: EditPlan }
  /** `changes`: the refused edit, so that the findings can be shown on the lines it would write. */
  | { status: 'refused'; summary: string; findings: Finding[]; changes: ValueChange[] }
  | { status: 'not-found'; message: string };

type Entry = Record<string, unknown>;

export function describeIdentity(kind: EditKind, identity: Identity): string {
  return kind.identity.length > 1 ? `${kind.noun} "${identity.name}" on ${identity.server}` : `${kind.noun} ${identity[kind.identity[0]!]}`;
}

/** Index of the entry with this identity (case-insensitive, R81), or -1. */
export function findEntry(value: unknown, kind: EditKind, identity: Identity): number {
  const list = sectionOf(value, kind);
  return list.findIndex((entry) => kind.identity.every((key) => typeof entry[key] === 'string' && sameName(entry[key] as string, identity[key] ?? '')));
}

export function sectionOf(value: unknown, kind: EditKind): Entry[] {
  const list = isObject(value) ? value[kind.section] : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

export function identityOf(kind: EditKind, entry: Draft): Identity {
  return Object.fromEntries(kind.identity.map((key) => [key, String(entry[key] ?? '')]));
}

export function planEdit(before: unknown, request: EditRequest): PlanResult {
  const { kind } = request;
  const root = isObject(before) ? before : {};
  const section = root[kind.section];
  let changes: ValueChange[];
  let summary: string;
  if (request.action === 'add') {
    const identity = identityOf(kind, request.values);
    summary = `added ${describeIdentity(kind, identity)}`;
    const existing = findEntry(root, kind, identity);
    if (existing >= 0) {
      // V1: names are unique per kind (case-insensitive).
      return { status: 'refused', summary, changes: [], findings: [{ ruleId: 'V1', severity: 'error', path: [kind.section, existing], message: `${describeIdentity(kind, identity)} already exists`, hint: `change it with \`mxt ${kind.id === 'send' || kind.id === 'receive' ? 'connector' : kind.id} set\`, or pick another name` }] };
    }
    const value = inFieldOrder(kind, withoutUndefined(request.values));
    changes = Array.isArray(section) ? [{ op: 'append', path: [kind.section], value }] : [{ op: 'set', path: [kind.section], value: [value] }];
  } else {
    const index = findEntry(root, kind, request.identity);
    if (index < 0) return { status: 'not-found', message: `no ${describeIdentity(kind, request.identity)} in the config` };
    summary = `${request.action === 'set' ? 'changed' : 'removed'} ${describeIdentity(kind, request.identity)}`;
    if (request.action === 'remove') changes = [{ op: 'delete', path: [kind.section, index] }];
    else changes = setChanges(sectionOf(root, kind)[index]!, [kind.section, index], request.values, request.unset ?? []);
  }
  const after = applyChanges(before, changes);
  if (changes.length === 0) return { status: 'ok', plan: { summary, changes, after, warnings: [] } };
  const added = newFindings(before, check(before), after, check(after));
  const errors = added.filter((f) => f.severity === 'error');
  if (errors.length > 0) return { status: 'refused', summary, findings: errors, changes };
  return { status: 'ok', plan: { summary, changes, after, warnings: added } };
}

function setChanges(entry: Entry, path: EditPath, values: Draft, unset: string[]): ValueChange[] {
  const changes: ValueChange[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || sameValue(entry[key], value)) continue;
    changes.push({ op: 'set', path: [...path, key], value });
  }
  for (const key of unset) if (key in entry && !(key in values)) changes.push({ op: 'delete', path: [...path, key] });
  return changes;
}

/** The same changes on plain data (for validation, and as the reference for the YAML result). */
export function applyChanges(value: unknown, changes: readonly ValueChange[]): unknown {
  const root: unknown = structuredClone(value ?? {});
  for (const change of changes) {
    const parent = walk(root, change.path.slice(0, -1));
    const last = change.path[change.path.length - 1]!;
    if (change.op === 'append') {
      const list = (parent as Record<string | number, unknown>)[last];
      (list as unknown[]).push(structuredClone(change.value));
    } else if (change.op === 'set') {
      (parent as Record<string | number, unknown>)[last] = structuredClone(change.value);
    } else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete (parent as Record<string | number, unknown>)[last];
  }
  return root;
}

function walk(root: unknown, path: EditPath): unknown {
  return path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], root);
}

/** Every finding of a config value: the schema's and the semantic rules' on what parsed (validate/check). */
export function check(value: unknown): Finding[] {
  return checkConfig(value).findings;
}

/**
 * Findings of `after` that `before` did not have, as a multiset of rule id, severity and subject:
 * the path with every list index replaced by the identity of the entry there (its name), so that a
 * finding on `servers[3]` that is `servers[2]` after a removal is the same finding. Counts of errors
 * are never compared: an edit that adds one error and removes another is still refused.
 */
function newFindings(beforeValue: unknown, before: Finding[], afterValue: unknown, after: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  const key = (value: unknown, f: Finding) => `${f.ruleId}\u0000${f.severity}\u0000${subjectOf(value, f.path)}`;
  for (const f of before) seen.set(key(beforeValue, f), (seen.get(key(beforeValue, f)) ?? 0) + 1);
  return after.filter((f) => {
    const k = key(afterValue, f);
    const n = seen.get(k) ?? 0;
    if (n > 0) seen.set(k, n - 1);
    return n === 0;
  });
}

/** `servers[EX01].site`: list indices as the identity of the entry (name; address; name@server). */
export function subjectOf(value: unknown, path: readonly (string | number)[]): string {
  let node = value;
  const parts: string[] = [];
  for (const part of path) {
    const next: unknown = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[part] : undefined;
    if (typeof part === 'number' && isObject(next)) {
      const identity = ['name', 'address', 'domainName', 'edgeServer', 'server'].map((k) => next[k]).filter((v) => typeof v === 'string' || typeof v === 'number');
      parts.push(identity.length > 0 ? `[${identity.map((v) => String(v).toLowerCase()).join('@')}]` : `[#${part}]`);
    } else parts.push(typeof part === 'number' ? `[#${part}]` : `.${part}`);
    node = next;
  }
  return parts.join('');
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withoutUndefined(values: Draft): Draft {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Keys in the order of the kind's table: name first, the way the examples read. */
function inFieldOrder(kind: EditKind, values: Draft): Draft {
  const order = (key: string) => {
    const i = kind.fields.findIndex((f) => f.key === key);
    return i < 0 ? kind.fields.length : i;
  };
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => order(a) - order(b)));
}

function isObject(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
