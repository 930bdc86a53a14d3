/**
 * The plain reader (config/plain-yaml.ts) against yaml's Document, the reader it stands in for:
 * for every text it reads, the same value (keys in the same order) and the same location for every
 * path a finding can have; every other text it must leave to yaml. Fed with tricky inputs (YAML 1.1
 * booleans, numbers in every notation, tags, anchors, `<<`, duplicate keys, several documents, BOM,
 * comments where yaml's ranges are subtle), every file in examples/, the synthetic org, the
 * validate fuzzer's mutations and generated documents (seeded, so every run sees the same cases).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { MAX_CONFIG_DEPTH, readDocument } from '../../src/config/load.js';
import { documentLocator, plainLocator } from '../../src/config/locate.js';
import { readPlainYaml } from '../../src/config/plain-yaml.js';
import type { ConfigPath } from '../../src/core/model/topology.js';
import { generateOrgYaml } from '../../src/dev/generate-org.js';
import { ROOT } from '../helpers/cli.js';
import { makeCases, seededRandom } from '../helpers/mutate.js';

type Reading = 'plain' | 'yaml';

/** Reads `text` both ways; throws when the plain reader reads it otherwise than yaml. */
function readBoth(text: string): { reading: Reading; exactLookups: number } {
  const plain = readPlainYaml(text, MAX_CONFIG_DEPTH);
  if (!plain) return { reading: 'yaml', exactLookups: 0 };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const show = JSON.stringify(text.slice(0, 400));
  if (doc.errors.length > 0) throw new Error(`read plainly, but yaml reports ${doc.errors[0]!.code}: ${show}`);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!sameValue(plain.value, value)) throw new Error(`another value than yaml's: ${JSON.stringify(plain.value)} for ${JSON.stringify(value)} in ${show}`);
  const exact = documentLocator(doc, lines, 'f.yaml');
  let exactLookups = 0;
  const fast = plainLocator(plain, text, 'f.yaml', () => {
    exactLookups++;
    return exact;
  });
  for (const at of findingPaths(value)) {
    for (const prefix of [[], ['mxt']] as ConfigPath[]) {
      const [a, b] = [fast.locate(at, prefix), exact.locate(at, prefix)];
      if (!isDeepStrictEqual(a, b)) throw new Error(`locate ${JSON.stringify([...prefix, ...at])}: ${JSON.stringify(a)}, yaml ${JSON.stringify(b)} in ${show}`);
      const [c, d] = [fast.locateKey(at, prefix), exact.locateKey(at, prefix)];
      if (!isDeepStrictEqual(c, d)) throw new Error(`locateKey ${JSON.stringify([...prefix, ...at])}: ${JSON.stringify(c)}, yaml ${JSON.stringify(d)} in ${show}`);
    }
  }
  return { reading: 'plain', exactLookups };
}

/** Deep equality that also holds the order of keys (findings and `list` follow it). */
function sameValue(a: unknown, b: unknown): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  if (a === null || typeof a !== 'object') return true;
  if (Array.isArray(a)) return a.every((item, i) => sameValue(item, (b as unknown[])[i]));
  const keys = Object.keys(a);
  return isDeepStrictEqual(keys, Object.keys(b as object)) && keys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Every path in the value, and beside each a missing key and a missing index (a finding's path may name either). */
function findingPaths(value: unknown): ConfigPath[] {
  const paths: ConfigPath[] = [];
  const walk = (node: unknown, at: ConfigPath) => {
    paths.push(at, [...at, 'missing'], [...at, 99], [...at, '0']);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...at, i]));
    else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) walk(child, [...at, k]);
  };
  walk(value, []);
  return paths;
}

const TRICKY: Record<string, string[]> = {
  'YAML 1.2 core scalars': [
    'a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\n',
    'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: tRUE\n',
    'a: null\nb: Null\nc: NULL\nd: ~\ne: nULL\n',
    'a: 1e3\nb: 1E3\nc: -1e-3\nd: +.5e+3\ne: 1e\nf: e3\ng: 1.\nh: .5\ni: -.5\nj: 3.14\n',
    'a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\nf: .NAN\ng: NaN\nh: Infinity\n',
    'a: 0x1F\nb: 0o17\nc: 017\nd: 0b11\ne: 1_000\nf: +1\ng: -0\nh: 0xG\ni: 0o8\nj: 12345678901234567890\n',
    'a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 12:30:00\nd: 1:2\n',
    'a: [ yes, no, ~, null, 1e3, .inf, 0x10, 0o10, 010, 1_0, -x, x-, a:b, a#b, SMTP:*;1 ]\n',
    '{ "a": yes, "b": ~, "c": 1e3, "d": "1e3", \'e\': \'x\'\'y\' }\n',
  ],
  'plain and quoted strings': [
    'a: NT AUTHORITY\\ANONYMOUS LOGON\nb: a b  c\nc: é日本\nd: http://x/y\ne: "[::]:25"\nf: 0.0.0.0:25\n',
    "a: 'it''s'\nb: \"say 'x'\"\nc: ''\nd: \"\"\ne: 'a # b'\nf: \"a: b\"\n",
    'a: "x\\ty"\nb: "\\u00e9"\n',
    'a: b, c\nd: b]c\nf: x [1]\ng: x{y}\n',
    'e: {b}c\n',
    'a: b :c\n',
    'b: b:\n',
    'a: x #c\nb: x#c\n',
    'c: "x"#c\n',
    "c: 'x' y\n",
    'a: @x\n',
    'a: `x\n',
    'a: %x\n',
    'a: -\n',
    'a: - x\n',
    'a: ?x\n',
    'a: :x\n',
    'a: foo\n  bar\n',
    'a: "foo\n  bar"\n',
    "a: 'foo\n  bar'\n",
    'a: |\n  text\n',
    'a: >-\n  text\n',
  ],
  'keys': [
    'constructor: 1\ntoString: 2\nhasOwnProperty: 3\nvalueOf: 4\n',
    '__proto__: { a: 1 }\nb: 2\n',
    '{ "__proto__": 1 }\n',
    '<<: { a: 1 }\nb: 2\n',
    'a: &x { b: 1 }\nc:\n  <<: *x\n',
    '1: a\ntrue: b\nnull: c\n~: d\n',
    '"1": a\n\'true\': b\n',
    'a b: 1\n"c d": 2\n\'e\': 3\n',
    'a: 1\na: 2\n',
    'a: 1\n"a": 2\n',
    '{ a: 1, a: 2 }\n',
    'a : 1\n',
    '? a\n: 1\n',
    '[a]: 1\n',
    '{a: 1}: 2\n',
    'a:b: 1\nc: 2\n',
    `${'k'.repeat(1100)}: 1\n`,
  ],
  'anchors, aliases, tags': [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\nb: !!int "2"\n',
    'a: !custom x\n',
    'a: [ &x 1, *x ]\n',
    '%YAML 1.2\n---\na: 1\n',
    '%TAG ! tag:x,2000:\n---\na: !b c\n',
  ],
  'documents and characters': [
    '',
    '# only a comment\n',
    '---\n',
    '---\na: 1\n',
    '--- # start\na: 1\n...\n',
    'a: 1\n---\nb: 2\n',
    'a: 1\n...\n',
    '\uFEFFa: 1\n',
    'a: 1\r\nb: 2\r\n',
    'a:\t1\n',
    '\ta: 1\n',
    'a: x\u0085y\n',
    'a: x\u2028y\n',
    'a: 1',
    'a: 1   ',
    'a: 1 # no newline',
    '  a: 1\n  b: 2\n',
    '- a\n- b\n',
    'just a scalar\n',
    '[1, 2]\n',
  ],
  'collections': [
    'a:\n- x\n- y\nb: 1\n',
    'a:\n  - x\n  -   y\n',
    'a:\n  - - x\n',
    'a:\n  -\n    b: 1\n',
    'a:\n  - b: 1\n    c: 2\n  - d: 3\n',
    'a:\n  -   b: 1\n      c: 2\n',
    'a:\n  - b:\n    - x\n    c: 1\n',
    'a:\n  b: 1\n    c: 2\n',
    'a:\n    b: 1\n  c: 2\n',
    'a:\n  - x\n  b: 1\n',
    'a:\nb: 1\n',
    'a:   # comment\n  b: 1\n',
    'a: # c\n  # c2\n\n  b: 1\n',
    'a: []\nb: {}\nc: [ ]\nd: {  }\n',
    'a: [1, 2,]\nb: {x: 1,}\n',
    'a: [,]\n',
    'a: [ x: 1 ]\n',
    'a: [ "q":1 ]\n',
    'a: {b:1}\n',
    'a: {"b":1, "c" : 2}\n',
    'a: {b}\n',
    'a: { b: }\n',
    'a: [a b, c d]\n',
    'a: [a\n  b]\n',
    'a: [\n  1,\n  2\n  ]\n',
    'a: [\n  1,\n]\n',
    'a: [\n1]\n',
    'a:\n  - [\n  1]\n',
    'a: [ 1, # one\n    2 ] # two\n',
    'a: [1]x\n',
    'a: [1] # c\nb: {c: [d, {e: f}]}\n',
    '{\n  "a": [1,\n    2\n  ],\n  "b": {"c": null}\n}\n',
    '{\n"a": [1,\n2\n]\n}\n',
    '{ "a": 1 }\n# trailing\n',
    '{ "a": 1 }\nb: 2\n',
    '{ "a": 1 } x\n',
  ],
  'comments around the ends of collections': [
    'a: 1\nb: x  # c\n\n# z\n',
    'k:\n  - x\n  # c\nz: 1',
    'k:\n  a: 1\n    # deeper\n  # c\n# d\nz: 1\n',
    'k:\n  a: 1\n  # c\n# d\n',
    'k:\n  a: 1\n\n',
    's:\n- a: 1\n  b:\n    c: 2\n    d: [1]  # x\n- q\n',
    's:\n- a: 1   ',
    's:\n  - a: 1\n    # c\n  - b\n',
    's:\n  - a: 1\n      # deeper\n  - b: 2\n\n    # c\n\n# d\n',
    's:\n  - { a: 1 }\n    # c\n  - [ b ]\n  # d\n',
    'a: b #c\n  # d\nz: 1',
    'a: 1\n\n\nb: 2\n\n\n',
  ],
};

const MUST_READ_PLAINLY = [
  'a: 1\nb: [x, y]\nc: { d: e }\n',
  "a: 'x'\nb: \"y\"\n",
  'a:\n- x\n',
  '---\na: 1\n',
  '{\n  "a": [1, 2],\n  "b": {"c": null}\n}\n',
  'k:\n  - x\n  # c\nz: 1',
];

const MUST_GO_TO_YAML = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  '<<: { a: 1 }\n',
  'a: 1\na: 2\n',
  '1: a\n',
  'a: 1\n---\nb: 2\n',
  '\uFEFFa: 1\n',
  'a: 1\r\n',
  'a: |\n  x\n',
  'a:\n',
  'a: foo\n  bar\n',
  '__proto__: 1\n',
];

describe('the plain reader reads what yaml reads, the same way, or leaves it to yaml', () => {
  for (const [group, texts] of Object.entries(TRICKY)) {
    it(group, () => {
      for (const text of texts) readBoth(text);
    });
  }

  it('reads ordinary topologies itself, JSON included', () => {
    for (const text of MUST_READ_PLAINLY) expect(readBoth(text).reading, JSON.stringify(text)).toBe('plain');
  });

  it('leaves anchors, tags, merge keys, duplicate keys, non-string keys, several documents, BOM, CR, block scalars, empty values and folded lines to yaml', () => {
    for (const text of MUST_GO_TO_YAML) expect(readBoth(text).reading, JSON.stringify(text)).toBe('yaml');
  });

  it('asks yaml where a collection ends before comment lines, and only there', () => {
    expect(readBoth('s:\n  - name: a\n    # about b\n  - name: b\n').exactLookups).toBeGreaterThan(0);
    expect(readBoth('s:\n  - name: a\n  - name: b\n').exactLookups).toBe(0);
  });

  it('gives up before the depth limit, where yaml reports the nesting', () => {
    const deep = `a: ${'['.repeat(MAX_CONFIG_DEPTH)}${']'.repeat(MAX_CONFIG_DEPTH)}\n`;
    expect(readBoth(deep).reading).toBe('yaml');
    expect(readDocument(deep, 'f.yaml').findings[0]?.ruleId).toBe('schema-type');
    expect(readBoth(`a: ${'['.repeat(10)}${']'.repeat(10)}\n`).reading).toBe('plain');
  });

  it('every YAML file in examples/', () => {
    const dir = path.join(ROOT, 'examples');
    // contoso.exchange.json is an Exchange dump for `mxt import exchange`, not a topology.
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(readBoth(text).reading, file).toBe('plain');
    }
  });

  it('the synthetic org', () => {
    expect(readBoth(generateOrgYaml({ sites: 30, seed: 1 })).reading).toBe('plain');
  });

  it('400 mutated examples (the validate fuzzer\'s cases)', () => {
    const read = makeCases(0x706c61, 400).filter((c) => readBoth(c.text).reading === 'plain').length;
    // Most mutations still read plainly (yaml's own rendering of a changed document included).
    expect(read).toBeGreaterThan(100);
  });

  it('4,000 generated documents: block and flow styles, tricky scalars and keys, comments and blank lines anywhere', () => {
    let read = 0;
    for (let seed = 1; seed <= 4000; seed++) if (readBoth(generatedDocument(seed)).reading === 'plain') read++;
    expect(read).toBeGreaterThan(1000);
  });
});

/** A random document (seeded): a tree of mappings, sequences and scalars, written in random styles. */
function generatedDocument(seed: number): string {
  const rng = seededRandom(seed);
  const { int, pick } = rng;
  const chance = (n: number) => int(n) === 0;
  const wild = chance(3);
  const TAME = ['x', 'S0', 'Mailbox', 'yes', 'true', 'false', 'null', '~', '12', '3.14', '1e3', '.inf', '0x1F', 'a b', 'SMTP:*;1', '10.0.0.1/24', '35MB', '-x', 'é', 'NT AUTHORITY\\ANONYMOUS LOGON', 'a#b', 'a:b', "it's"];
  const TRICKY_SCALARS = ['on', 'True', 'NULL', '-1e-3', '-.Inf', '.NaN', '0o17', '017', '1_000', '+1', '-0', '1.', '.5', '2001-12-14', '12:30:00', '[::]:25', 'x-', '日本', 'a,b', 'a]b', 'a}b', 'a[b', 'a"b', '@x', '`x', '%x', '!x', '&x', '*x', '|', '>', '?x', ':x', '-', '- x', 'a: b', 'a #b', '#x', 'x ', '<<', '__proto__', 'toString', '00', '1e', 'a\\nb', 'tab\there', 'a:', 'http://x', '{a}', '[a]', '---', '...', '0b11'];
  const TAME_KEYS = ['name', 'site', 'cost', 'k-1', 'x.y', 'é', 'a b', 'role', 'fqdn', 'members'];
  const TRICKY_KEYS = ['1', 'true', 'null', '~', '<<', '__proto__', 'a:b', '-a', 'toString', 'a#b', '', 'name'];
  const scalar = () => (wild && chance(3) ? pick(TRICKY_SCALARS) : pick(TAME));
  const key = () => (wild && chance(3) ? pick(TRICKY_KEYS) : pick(TAME_KEYS));
  const sp = (n: number) => ' '.repeat(Math.max(0, n));
  const quote = (s: string) => (chance(2) ? `'${s.replaceAll("'", "''")}'` : JSON.stringify(s));
  const written = (s: string) => (chance(4) ? quote(s) : s);
  const comment = () => (chance(6) ? `${sp(1 + int(2))}#${pick(['', ' c', 'x: y', ' - z'])}` : '');
  const between = (indent: number) => {
    let lines = '';
    while (chance(8)) lines += pick(['\n', `\n${sp(indent + int(5) - 2)}# note`, `\n${sp(int(3))}`]);
    return lines;
  };
  type Tree = { kind: 'scalar'; s: string } | { kind: 'map'; entries: [string, Tree][] } | { kind: 'seq'; items: Tree[] };
  const tree = (depth: number): Tree => {
    const r = int(10);
    if (depth > 3 || r < 5) return { kind: 'scalar', s: scalar() };
    if (r < 8) return { kind: 'map', entries: Array.from({ length: int(4) }, () => [key(), tree(depth + 1)] as [string, Tree]) };
    return { kind: 'seq', items: Array.from({ length: int(4) }, () => tree(depth + 1)) };
  };
  const flow = (t: Tree, indent: number): string => {
    const gap = () => (chance(6) ? `\n${sp(indent + int(3))}` : pick([' ', '', ' ']));
    const trailing = () => (chance(8) ? ',' : '');
    if (t.kind === 'scalar') return written(t.s);
    if (t.kind === 'map') return `{${gap()}${t.entries.map(([k, v]) => `${written(k)}:${pick([' ', ' ', ''])}${flow(v, indent)}`).join(`,${gap()}`)}${trailing()}${gap()}}`;
    return `[${gap()}${t.items.map((v) => flow(v, indent)).join(`,${gap()}`)}${trailing()}${gap()}]`;
  };
  const empty = (t: Tree) => (t.kind === 'map' && t.entries.length === 0) || (t.kind === 'seq' && t.items.length === 0);
  // `t` as the value after `key:` or `- ` in column `indent`.
  const after = (t: Tree, indent: number): string => {
    if (t.kind === 'scalar' || empty(t) || chance(4)) return ` ${flow(t, indent)}${comment()}`;
    const child = t.kind === 'seq' && chance(3) ? indent : indent + 1 + int(3);
    return `${comment()}${between(child)}\n${sp(child)}${block(t, child)}`;
  };
  const block = (t: Tree, indent: number): string => {
    if (t.kind === 'map') return t.entries.map(([k, v], i) => `${i ? `${between(indent)}\n${sp(indent)}` : ''}${written(k)}${chance(20) ? ' ' : ''}:${after(v, indent)}`).join('');
    if (t.kind === 'seq') {
      return t.items
        .map((v, i) => {
          const dash = `${i ? `${between(indent)}\n${sp(indent)}` : ''}-`;
          if (v.kind === 'map' && v.entries.length > 0 && chance(2)) {
            const column = indent + 2 + int(2);
            return `${dash}${sp(column - indent - 1)}${block(v, column)}`;
          }
          return `${dash}${after(v, indent)}`;
        })
        .join('');
    }
    return flow(t, indent);
  };
  const root: Tree = { kind: 'map', entries: Array.from({ length: 1 + int(4) }, () => [key(), tree(1)] as [string, Tree]) };
  let text = chance(5) ? flow(root, -1) : block(root, 0);
  if (chance(6)) text = `---\n${text}`;
  if (chance(4)) text = `# head\n\n${text}`;
  if (!chance(3)) text += '\n';
  if (chance(6)) text += pick(['# tail\n', '\n\n', '  # t', '...\n']);
  return text;
}
