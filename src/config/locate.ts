/**
 * Finding path → file:line:col, from the source ranges of the parsed file: yaml's Document, or the
 * spans of the plain reader (plain-yaml.ts), walked the same way. When the exact node does not
 * exist (a missing key), the nearest existing ancestor is used.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../core/findings/finding.js';
import type { ConfigPath } from '../core/model/topology.js';
import { UNKNOWN_END, type CollectionSpans, type PlainYaml } from './plain-yaml.js';

/** Locates findings in one file. */
export interface Locator {
  locate(path: ConfigPath, prefix?: ConfigPath): SourceLocation | undefined;
  /** Unknown keys point at the key itself. */
  locateKey(path: ConfigPath, prefix?: ConfigPath): SourceLocation | undefined;
}

export function locate(doc: Document, lines: LineCounter, file: string, path: ConfigPath, prefix: ConfigPath = []): SourceLocation | undefined {
  return documentLocator(doc, lines, file).locate(path, prefix);
}

export function locateKey(doc: Document, lines: LineCounter, file: string, path: ConfigPath, prefix: ConfigPath = []): SourceLocation | undefined {
  return documentLocator(doc, lines, file).locateKey(path, prefix);
}

type Range = [number, number];

/** What locating needs of a parsed file. */
interface SourceTree<N> {
  root: N | undefined;
  range(node: N | undefined): Range | undefined;
  isScalar(node: N): boolean;
  isMap(node: N | undefined): boolean;
  isSeq(node: N): boolean;
  /** A mapping's first entry whose key reads `key`: the key's range and the value. */
  entry(node: N, key: string): { key: Range | undefined; value: N } | undefined;
  item(node: N, index: number): N | undefined;
  /** yaml's `Document.getIn(path, true)`: keys compared as they are (a number finds no string key). */
  getIn(path: ConfigPath): N | undefined;
}

function rangeAt<N>(tree: SourceTree<N>, path: ConfigPath): Range | undefined {
  let node = tree.root;
  let best = tree.range(node);
  for (const part of path) {
    if (node === undefined) break;
    if (tree.isMap(node)) {
      const entry = tree.entry(node, String(part));
      if (!entry) break;
      // The key is where an admin looks for "this entry"; the value when it is a scalar to fix.
      const value = tree.range(entry.value);
      best = tree.isScalar(entry.value) && value ? value : (entry.key ?? best);
      node = entry.value;
    } else if (tree.isSeq(node) && typeof part === 'number') {
      const item = tree.item(node, part);
      if (item === undefined) break;
      best = tree.range(item) ?? best;
      node = item;
    } else break;
  }
  return best;
}

function keyRangeAt<N>(tree: SourceTree<N>, path: ConfigPath): Range | undefined {
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? tree.root : tree.getIn(parentPath);
  if (parent !== undefined && tree.isMap(parent)) {
    const range = tree.entry(parent, String(path[path.length - 1]))?.key;
    if (range) return range;
  }
  return rangeAt(tree, path);
}

export function documentLocator(doc: Document, lines: LineCounter, file: string): Locator {
  const tree: SourceTree<unknown> = {
    root: doc.contents,
    range: (node) => {
      const range = (node as Node | undefined)?.range;
      return range ? [range[0], range[1]] : undefined;
    },
    isScalar: (node) => isScalar(node),
    isMap: (node) => isMap(node),
    isSeq: (node) => isSeq(node),
    entry: (node, key) => {
      if (!isMap(node)) return undefined;
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
      return pair ? { key: tree.range(pair.key), value: pair.value } : undefined;
    },
    item: (node, index) => (isSeq(node) ? node.items[index] : undefined),
    getIn: (path) => doc.getIn(path, true),
  };
  const at = (range: Range | undefined) => (range ? span(lines, file, range) : undefined);
  return {
    locate: (path, prefix = []) => at(rangeAt(tree, [...prefix, ...path])),
    locateKey: (path, prefix = []) => at(keyRangeAt(tree, [...prefix, ...path])),
  };
}

/** A value of the plain reader with its range (a scalar's is its parent's to tell). */
interface PlainNode {
  value: unknown;
  range: Range | undefined;
}

/**
 * Locates with the plain reader's spans; where those cannot tell (a collection's end before comment
 * lines, see CollectionSpans), with `exact`, yaml's Document of the same text.
 */
export function plainLocator(plain: PlainYaml, text: string, file: string, exact: () => Locator): Locator {
  const spansOf = (value: unknown): CollectionSpans | undefined => (value !== null && typeof value === 'object' ? plain.spans.get(value) : undefined);
  const node = (value: unknown, scalarRange: Range): PlainNode => {
    const spans = spansOf(value);
    return { value, range: spans ? [spans.start, spans.end] : scalarRange };
  };
  const isMapValue = (value: unknown) => spansOf(value)?.keys !== undefined;
  const tree: SourceTree<PlainNode> = {
    root: node(plain.value, [0, 0]),
    range: (n) => n?.range,
    isScalar: (n) => spansOf(n.value) === undefined,
    isMap: (n) => n !== undefined && isMapValue(n.value),
    isSeq: (n) => Array.isArray(n.value),
    entry: (n, key) => {
      const spans = spansOf(n.value);
      const i = spans?.keys?.indexOf(key) ?? -1;
      if (!spans || i < 0) return undefined;
      const s = spans.spans;
      return { key: [s[4 * i]!, s[4 * i + 1]!], value: node((n.value as Record<string, unknown>)[key], [s[4 * i + 2]!, s[4 * i + 3]!]) };
    },
    item: (n, index) => {
      const items = n.value as unknown[];
      if (!Number.isInteger(index) || index < 0 || index >= items.length) return undefined;
      const s = spansOf(items)!.spans;
      return node(items[index], [s[2 * index]!, s[2 * index + 1]!]);
    },
    getIn: (path) => {
      let value = plain.value;
      for (const part of path) {
        if (Array.isArray(value)) {
          const index = typeof part === 'string' && part ? Number(part) : part;
          if (!Number.isInteger(index) || (index as number) < 0) return undefined;
          value = value[index as number];
        } else if (isMapValue(value) && typeof part === 'string' && Object.hasOwn(value as object, part)) {
          value = (value as Record<string, unknown>)[part];
        } else return undefined;
        if (value === undefined) return undefined;
      }
      return { value, range: undefined };
    },
  };
  let lines: LineCounter | undefined;
  let exactLocator: Locator | undefined;
  const at = (range: Range | undefined, again: (locator: Locator) => SourceLocation | undefined) => {
    if (!range) return undefined;
    if (range[1] === UNKNOWN_END) return again((exactLocator ??= exact()));
    lines ??= lineCounter(text);
    return span(lines, file, range);
  };
  return {
    locate: (path, prefix = []) => at(rangeAt(tree, [...prefix, ...path]), (l) => l.locate(path, prefix)),
    locateKey: (path, prefix = []) => at(keyRangeAt(tree, [...prefix, ...path]), (l) => l.locateKey(path, prefix)),
  };
}

/** The line starts yaml's parser reports for text without line breaks inside scalars (the plain reader's). */
function lineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines.addNewLine(nl + 1);
  return lines;
}

/**
 * Start and (exclusive) end of a source range. A block collection's range runs to the start of the
 * next line; the end is pulled back onto the last line it covers, so that an annotation (GitHub,
 * SARIF) does not spill onto the following line.
 */
function span(lines: LineCounter, file: string, [from, to]: Range): SourceLocation {
  const start = lines.linePos(from);
  let end = lines.linePos(to);
  if (end.col === 1 && end.line > start.line && to > from) end = lines.linePos(to - 1);
  return { file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}
