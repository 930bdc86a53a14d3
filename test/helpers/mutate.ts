/**
 * Seeded mutations of the example configs, shared by the fuzz tests (validate, edits): structural
 * mutations on the YAML document (keys, values, entries) and textual ones (truncation, garbage,
 * lines). The synthetic org's PRNG, so every run sees the same cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import { prng } from '../../src/core/synthetic/org.js';
import { ROOT } from './cli.js';

/** The synthetic org's seeded PRNG, with the two helpers the mutations need. */
export function seededRandom(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
export type Rng = ReturnType<typeof seededRandom>;

export const examples = readdirSync(path.join(ROOT, 'examples'))
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
export function mutateStructure(text: string, rng: Rng): string {
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
export function mutateText(text: string, rng: Rng): string {
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

/** `count` mutated examples, 1–3 mutations each, the same for the same seed. */
export function makeCases(seed: number, count: number): { name: string; text: string }[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
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
