/** zod issues → findings, with "did you mean" for misspelt keys. */
import type { z } from 'zod';
import type { Finding } from './finding.js';
import { formatPath } from './finding.js';

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

/** `knownKeys(path)` returns the keys the object at `path` accepts, for suggestions. */
export function findingsFromZod(error: z.ZodError, knownKeys: (path: (string | number)[]) => string[]): Finding[] {
  const findings: Finding[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const params = (issue as { params?: { ruleId?: string; hint?: string } }).params ?? {};
    if (issue.code === 'unrecognized_keys') {
      const keys = knownKeys(path);
      for (const key of issue.keys) {
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
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
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
  if (issue.code === 'invalid_type') return `${what}: expected ${issue.expected}, got ${typeName((issue as { input?: unknown }).input)}`;
  if (issue.code === 'invalid_union') return `${what}: ${firstUnionMessage(issue) ?? 'value has the wrong form'}`;
  return issue.message;
}

function firstUnionMessage(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const inner = issue.errors.flat()[0];
  return inner && inner.code !== 'invalid_type' ? inner.message : `expected ${issue.errors.flat().map((e) => (e.code === 'invalid_type' ? e.expected : e.code)).join(' or ')}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

function hintFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_value') return `use one of: ${issue.values.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.expected === 'array') return 'write a YAML list: [a, b] or one "- item" per line';
  if (issue.code === 'invalid_type' && issue.expected === 'boolean') return 'write true or false';
  return undefined;
}
