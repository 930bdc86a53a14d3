/**
 * Fuzzing the loader and the validate renderers: the example configs, mutated at random (seeded, so
 * every run sees the same cases), must always end in exit 0 or 1 with findings located at
 * file:line:col, never in an exception, an internal error or a stack trace.
 *
 * The bulk runs in-process through `main(argv, ctx)` (the same code path as the binary, minus the
 * process start); a few cases also go through the built CLI as a subprocess.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import { main } from '../../src/cli/main.js';
import { createContext, type CliContext } from '../../src/cli/context.js';
import { prng } from '../../src/core/synthetic/org.js';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const SEED = 0x6d7874; // "mxt"
const CASES = 1200;
const SUBPROCESS_CASES = 20;
const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;

/** The synthetic org's seeded PRNG, with the two helpers the mutations need. */
function seededRandom(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof seededRandom>;

const examples = readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mxt.yaml'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(path.join(ROOT, 'examples', f), 'utf8') }));

const GARBAGE = ['\t', '\u0000', '\u0007', '\u001b[2J', '"\\e[31m"', '\uFEFF', '\u00e9', '\u{1F4E7}', '{', '}', '[', ']', ':', ': ', '- ', '&a ', '*a', '!!binary ', '!!int ', '%YAML 1.2\n', '---\n', '...\n', '"', "'", '#', '|', '>', ',', '?', '@', '`', '\\', '\r', '\n', '  ', '<<: *a\n', '~', 'null', '1e999', '-0', '0x1F', '.inf'];

/** Replacement values of every type, for "retype" mutations. */
function randomValue(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => rng.int(100_000) - 10,
    () => rng.next() * 1e6,
    () => String(rng.int(1000)),
    () => rng.pick(['', ' ', 'unlimited', 'Mailbox', 'Edge', '35MB', '-5MB', '5m', '00:05:00', 'SMTP:*;1', '*contoso.com', '10.0.0.0/33', '0.0.0.0:25', 'EX01', 'Paris', 'x'.repeat(300)]),
    () => rng.next() < 0.5,
    () => null,
    () => [],
    () => ({}),
    () => [rng.int(10), 'a', null],
    () => ({ name: 'Injected', unknownKey: 1 }),
  ])();
}

/** Every node of the document with its parent collection, for structural mutations. */
function collections(doc: ReturnType<typeof parseDocument>): Node[] {
  const found: Node[] = [];
  const walk = (node: unknown) => {
    if (isMap(node)) {
      found.push(node);
      for (const item of node.items) walk(item.value);
    } else if (isSeq(node)) {
      found.push(node);
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return found;
}

/** One structural mutation on the YAML document (keys, values, entries), then back to text. */
function mutateStructure(text: string, rng: Rng): string {
  const doc = parseDocument(text);
  const all = collections(doc);
  const times = 1 + rng.int(3);
  for (let n = 0; n < times && all.length > 0; n++) {
    const target = rng.pick(all);
    if (isMap(target) && target.items.length > 0) {
      const i = rng.int(target.items.length);
      const pair = target.items[i]!;
      const key = isScalar(pair.key) ? String(pair.key.value) : 'key';
      switch (rng.int(7)) {
        case 0: // delete a key
          target.items.splice(i, 1);
          break;
        case 1: // rename a key: typo, case change or a random name
          pair.key = new Scalar(rng.pick([`${key.slice(0, -1)}`, key.toUpperCase(), `${key}s`, key.split('').reverse().join(''), 'bogusKey']));
          break;
        case 2: // retype the value
          pair.value = doc.createNode(randomValue(rng));
          break;
        case 3: // numbers to strings and strings to numbers
          if (isScalar(pair.value)) pair.value = new Scalar(typeof pair.value.value === 'number' ? String(pair.value.value) : Number.isNaN(Number(pair.value.value)) ? rng.int(99) : pair.value.value);
          else pair.value = doc.createNode(String(rng.int(99)));
          break;
        case 4: { // swap two values of this mapping
          const j = rng.int(target.items.length);
          const other = target.items[j]!;
          [pair.value, other.value] = [other.value, pair.value];
          break;
        }
        case 5: // wrap the value in a list
          pair.value = doc.createNode([doc.createNode(pair.value ?? null)]);
          break;
        default: // add an unknown key
          target.items.push(doc.createPair(rng.pick(['nmae', 'sites', 'addressSpace', 'cost', 'x']), randomValue(rng)) as (typeof target.items)[number]);
      }
    } else if (isSeq(target) && target.items.length > 0) {
      const i = rng.int(target.items.length);
      switch (rng.int(4)) {
        case 0: // delete an entry
          target.items.splice(i, 1);
          break;
        case 1: // duplicate an entry (duplicate names: V1)
          target.items.splice(i, 0, doc.createNode((target.items[i] as Node).toJSON()) as Node);
          break;
        case 2: // swap two entries
          {
            const j = rng.int(target.items.length);
            [target.items[i], target.items[j]] = [target.items[j]!, target.items[i]!];
          }
          break;
        default: // replace an entry with a value of another type
          target.items[i] = doc.createNode(randomValue(rng)) as Node;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** One textual mutation: truncate, insert garbage, delete/duplicate/indent a line. */
function mutateText(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  const lines = text.split('\n');
  const line = rng.int(lines.length);
  switch (rng.int(7)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + Array.from({ length: 1 + rng.int(4) }, () => rng.pick(GARBAGE)).join('') + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rng.int(40)));
    case 3:
      lines.splice(line, 1);
      return lines.join('\n');
    case 4: // a duplicated line usually means a duplicate key
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 5:
      lines[line] = rng.pick(['  ', '\t', ' ', '']) + (lines[line] ?? '');
      return lines.join('\n');
    default: // a digit becomes a letter or the reverse
      return text.replace(/\d/, () => rng.pick(['O', 'x', ''])).replace(/: (\w)/, (_m, c: string) => `: ${rng.int(10)}${c}`);
  }
}

function makeCases(): { name: string; text: string }[] {
  const rng = seededRandom(SEED);
  return Array.from({ length: CASES }, (_, i) => {
    const base = rng.pick(examples);
    let text = base.text;
    const rounds = 1 + rng.int(3);
    for (let r = 0; r < rounds; r++) {
      try {
        text = rng.next() < 0.55 ? mutateStructure(text, rng) : mutateText(text, rng);
      } catch {
        // The mutation itself could not parse the already-broken text: mutate the text instead.
        text = mutateText(text, rng);
      }
    }
    return { name: `case-${String(i).padStart(4, '0')}-${base.name}`, text };
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capturingContext(colorLevel: 0 | 3): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { ...createContext(), out: (t) => void out.push(t), err: (t) => void err.push(t), colorLevel, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir };
  return { ctx, out, err };
}

describe('fuzzed configs through mxt validate', () => {
  const cases = makeCases();

  it('the mutations are deterministic and mostly different from the examples', () => {
    const again = makeCases();
    expect(again.map((c) => c.text)).toEqual(cases.map((c) => c.text));
    const changed = cases.filter((c) => !examples.some((e) => e.text === c.text)).length;
    expect(changed).toBeGreaterThan(CASES * 0.9);
  });

  it(`${CASES} mutated configs in-process: exit 0 or 1, located findings, no exception or stack trace`, async () => {
    const exits = { 0: 0, 1: 0 } as Record<number, number>;
    const rules = new Map<string, number>();
    for (const [i, c] of cases.entries()) {
      writeFileSync(path.join(dir, c.name), c.text);
      const format = FORMATS[i % FORMATS.length]!;
      // Every other text case in colour: chalk's escapes are the only ones allowed through.
      const colour = format === 'text' && i % 2 === 0;
      const { ctx, out, err } = capturingContext(colour ? 3 : 0);
      const code = await main(['validate', '--config', c.name, '--format', format], ctx);
      const output = [...out, ...err].join('\n');
      const context = `${c.name} (--format ${format}):\n${output.slice(0, 2000)}`;
      expect([0, 1], context).toContain(code);
      expect(output, context).not.toMatch(/internal error/);
      expect(hasStackTrace(output), context).toBe(false);
      if (format === 'text') {
        const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
        expect(plain, `${context}\n(a control character from the config reached the terminal)`).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
        if (colour && code === 1) expect(output).toMatch(/\u001b\[/);
      }
      exits[code] = (exits[code] ?? 0) + 1;
      if (format === 'json') {
        const result = JSON.parse(out.join('')) as { valid: boolean; findings: { ruleId: string; where: string }[] };
        expect(result.valid, context).toBe(code === 0);
        for (const f of result.findings) {
          expect(f.where, context).toMatch(new RegExp(`^${c.name.replace(/\./g, '\\.')}:\\d+:\\d+$`));
          rules.set(f.ruleId, (rules.get(f.ruleId) ?? 0) + 1);
        }
      }
    }
    // The figures, so a change in what the fuzzer reaches shows up in the log.
    console.log(`fuzz: ${CASES} cases run in-process (seed ${SEED}): ${exits[0]} valid, ${exits[1]} invalid; rule ids seen: ${[...rules.keys()].sort().join(', ')}`);
    expect(exits[0]! + exits[1]!).toBe(CASES);
    expect(exits[1]).toBeGreaterThan(CASES / 2);
  });

  it(`${SUBPROCESS_CASES} of the cases through the built CLI: exit 0 or 1, no stack trace`, async () => {
    const sample = cases.filter((_, i) => i % Math.floor(CASES / SUBPROCESS_CASES) === 0).slice(0, SUBPROCESS_CASES);
    for (const c of sample) {
      writeFileSync(path.join(dir, c.name), c.text);
      const r = await mxt(['validate', '--config', c.name, '--format', 'text'], { cwd: dir });
      const output = `${r.stdout}\n${r.stderr}`;
      expect([0, 1], `${c.name}:\n${output.slice(0, 2000)}`).toContain(r.exitCode);
      expect(hasStackTrace(output), output).toBe(false);
      expect(output).toMatch(new RegExp(`${c.name.replace(/\./g, '\\.')}: \\d+ errors?, \\d+ warnings?`));
    }
    console.log(`fuzz: ${sample.length} cases run through the built CLI`);
    expect(sample).toHaveLength(SUBPROCESS_CASES);
  });
});
