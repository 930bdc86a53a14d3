/** zod issues → findings, with "did you mean" for misspelt keys. */
import type { z } from 'zod';
import type { Finding } from './finding.js';
import { formatPath } from './finding.js';
import { holdsSecret, SECRET_KEY } from './secrets.js';
import { yamlNumber } from '../model/units.js';

/** Levenshtein distance, bounded: small and enough for key suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : distance(word, c);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * `knownKeys(path)` returns the keys the object at `path` accepts, for suggestions. `root` is the value
 * that was parsed: zod 4 leaves the offending input out of its issues, so it is looked up by path to say
 * what was written (and to tell a missing key from a wrong type).
 */
export function findingsFromZod(error: z.ZodError, knownKeys: (path: (string | number)[]) => string[], root?: unknown): Finding[] {
  const findings: Finding[] = [];
  for (const raw of error.issues.flatMap((issue) => unfoldUnion(issue, []))) {
    const path = raw.path.filter((p): p is string | number => typeof p !== 'symbol');
    const issue = withInput(raw, path, root);
    const params = (issue as { params?: { ruleId?: string; hint?: string } }).params ?? {};
    if (issue.code === 'unrecognized_keys') {
      const keys = knownKeys(path);
      for (const key of issue.keys) {
        if (SECRET_KEY.test(key)) {
          findings.push({
            ruleId: 'secret-in-config',
            severity: 'error',
            path: [...path, key],
            message: `a password is never written in the config ("${key}"${path.length ? ` in ${formatPath(path)}` : ''}); the value is not shown`,
            hint: 'remove it, and name where the password is: authenticationCredential: { username: …, passwordEnv: VARIABLE } or passwordFile: PATH',
          });
          continue;
        }
        const guess = suggest(key, keys);
        findings.push({
          ruleId: 'schema-unknown-key',
          severity: 'error',
          path: [...path, key],
          message: `unknown key "${key}"${path.length ? ` in ${formatPath(path)}` : ''}${guess ? `: did you mean "${guess}"?` : ''}`,
          hint: guess ? `rename it to "${guess}"` : `known keys here: ${keys.join(', ')}`,
        });
      }
      continue;
    }
    const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_union') && inputOf(issue) === undefined;
    findings.push({
      ruleId: params.ruleId ?? (missing ? 'schema-required' : 'schema-type'),
      severity: 'error',
      path,
      message: missing ? `${formatPath(path) || 'value'} is required` : describe(issue, path),
      hint: params.hint ?? hintFor(issue),
    });
  }
  return findings;
}

function describe(issue: z.core.$ZodIssue, path: (string | number)[]): string {
  const last = path[path.length - 1];
  const what = typeof last === 'string' ? last : 'value';
  if (issue.code === 'invalid_value') {
    return `${what} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type') return `${what}: expected ${expectedName(issue.expected)}, got ${typeName(inputOf(issue))}`;
  if (issue.code === 'invalid_union') return `${what}: ${firstUnionMessage(issue) ?? 'value has the wrong form'}`;
  return issue.message;
}

/** What the branches of a union accept, e.g. `expected number or "unlimited", got string "abc"`. */
function firstUnionMessage(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const accepted = new Set<string>();
  for (const inner of issue.errors.flat()) {
    if (inner.code === 'invalid_type') accepted.add(expectedName(inner.expected));
    else if (inner.code === 'invalid_value') for (const v of inner.values) accepted.add(JSON.stringify(v));
    else accepted.add(inner.message);
  }
  if (accepted.size === 0) return undefined;
  const input = inputOf(issue);
  return `expected ${[...accepted].join(' or ')}${input === undefined ? '' : `, got ${typeName(input)}`}`;
}

/**
 * A union whose input had the right shape for one branch (a mapping where `string | {…}` is
 * accepted) but was wrong inside it: report that branch's issues at their own paths, which say
 * far more than "expected string or object".
 */
function unfoldUnion(issue: z.core.$ZodIssue, prefix: PropertyKey[]): z.core.$ZodIssue[] {
  const at = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ ...issue, path: at }];
  const inside = issue.errors.find((branch) => branch.length > 0 && !branch.some((inner) => inner.path.length === 0 && (inner.code === 'invalid_type' || inner.code === 'invalid_value')));
  if (!inside) return [{ ...issue, path: at }];
  return inside.flatMap((inner) => unfoldUnion(inner, at));
}

/** zod's type names in YAML words. */
function expectedName(expected: string): string {
  return expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : expected;
}

const ABSENT = Symbol('absent');

/** The issue with `input` filled in from the parsed value when zod left it out. */
function withInput(issue: z.core.$ZodIssue, path: (string | number)[], root: unknown): z.core.$ZodIssue {
  if ('input' in issue) return issue;
  const found = root === undefined ? ABSENT : valueAt(root, path);
  if (found !== ABSENT) return { ...issue, input: found } as z.core.$ZodIssue;
  // No root given: zod's own message still names the type it received ("received undefined").
  const received = /received (\w+)/.exec(issue.message)?.[1];
  return received && received !== 'undefined' ? ({ ...issue, input: { [RECEIVED]: received } } as z.core.$ZodIssue) : issue;
}

const RECEIVED = Symbol('received');

function inputOf(issue: z.core.$ZodIssue): unknown {
  return (issue as { input?: unknown }).input;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return ABSENT;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function typeName(value: unknown): string {
  if (value !== null && typeof value === 'object' && RECEIVED in value) return String((value as { [RECEIVED]: unknown })[RECEIVED]);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // JSON.stringify would say null: name what YAML wrote (.nan, .inf), which no number field accepts.
  if (typeof value === 'string' && holdsSecret(value)) return 'a string that holds a password (not shown)';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${yamlNumber(value)} (not a finite number)`;
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

function hintFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_value') return `use one of: ${issue.values.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.expected === 'array') return 'write a YAML list: [a, b] or one "- item" per line';
  if (issue.code === 'invalid_type' && issue.expected === 'boolean') return 'write true or false';
  return undefined;
}
