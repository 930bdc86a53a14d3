/**
 * Edits as splices into the original bytes of a YAML file. The yaml package re-renders a whole
 * document when it writes one (moving end-of-line comments, dropping alignment, using one line end),
 * so instead each change is written as new text for one source range of the parsed document:
 * - set a scalar: its own range is replaced, in its quoting where the new value is a string;
 * - set a flow value, or any value inside a flow collection: the value's range, as flow text;
 * - set a block value: the lines of its key (`key: …` to the end of its value);
 * - a new key: after the last key of its mapping, as `, key: v` in a flow map or a line of its own;
 * - remove: the entry's (or key's) own lines in block style, the item and one comma in flow style;
 * - append: after the last item of the list, in the style of its siblings.
 * Inserted text takes the file's line end (CRLF files stay CRLF). The caller checks that the result
 * reads back as the edited value and falls back otherwise (config/apply-edit.ts).
 */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type Pair, type ToStringOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditPath, ValueChange } from '../core/edit/plan.js';

type Change = ValueChange & { path: EditPath };
type Key = string | number;

export interface Style {
  options: ToStringOptions;
  /** `{ a: 1 }` maps but `[a, b]` lists, as in the examples: unpad the lists after rendering. */
  unpadSeqs: boolean;
  /** The file's line end, for inserted text. */
  eol: string;
}

export function detectStyle(text: string): Style {
  const paddedMaps = /\{ [^}\s]/.test(text);
  const paddedSeqs = /\[ [^\]\s]/.test(text);
  const unpaddedSeqs = /\[[^\]\s]/.test(text);
  const indentSeq = !/^[\w"'-]+:[ \t]*(#.*)?\r?\n- /m.test(text);
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return {
    options: { lineWidth: 0, indentSeq, flowCollectionPadding: paddedMaps || (paddedSeqs && !unpaddedSeqs) },
    unpadSeqs: paddedMaps && unpaddedSeqs && !paddedSeqs,
    eol: crlf > lf ? '\r\n' : '\n',
  };
}

export function renderDocument(doc: Document, style: Style): string {
  return withEol(unpad(doc.toString(style.options), style), style);
}

function unpad(text: string, style: Style): string {
  return style.unpadSeqs ? text.replace(/\[ ([^\]\n]*?) \]/g, '[$1]') : text;
}

function withEol(text: string, style: Style): string {
  return style.eol === '\n' ? text : text.replace(/\r?\n/g, style.eol);
}

// ---------------------------------------------------------------------------------------------
// The edited document (the reference value, and the source of re-rendered entries)

export function applyToDocument(doc: Document, change: Change): void {
  if (change.op === 'delete') {
    doc.deleteIn(change.path);
    return;
  }
  if (change.op === 'append') {
    const seq = doc.getIn(change.path, true);
    if (!isSeq(seq)) {
      doc.setIn(change.path, nodeFor([change.value], false));
      return;
    }
    seq.items.push(nodeFor(change.value, siblingsFlow(seq)));
    return;
  }
  const parent = change.path.length > 1 ? doc.getIn(change.path.slice(0, -1), true) : doc.contents;
  const parentFlow = (isMap(parent) || isSeq(parent)) && Boolean(parent.flow);
  const current = doc.getIn(change.path, true);
  if (isScalar(current) && !isObject(change.value)) {
    // Keep the scalar node (its comment, its anchor); quoting follows the new value's needs.
    current.value = change.value;
    if (current.type !== 'PLAIN') current.type = undefined;
    return;
  }
  doc.setIn(change.path, nodeFor(change.value, parentFlow));
}

/** The quoting every string item of a list shares (`["0.0.0.0:25", "[::]:25"]`), if any. */
function commonQuote(seq: YAMLSeq): Scalar.Type | undefined {
  const types = new Set(seq.items.map((item) => (isScalar(item) && typeof item.value === 'string' ? item.type : 'other')));
  const [only] = [...types];
  return types.size === 1 && (only === 'QUOTE_DOUBLE' || only === 'QUOTE_SINGLE') ? only : undefined;
}

function siblingsFlow(seq: YAMLSeq): boolean {
  return seq.items.length > 0 && seq.items.every((item) => isMap(item) && item.flow);
}

/** A node for a new value: flow maps among flow siblings, scalar lists always in flow style. */
function nodeFor(value: unknown, flow: boolean): Node {
  const node = new Document().createNode(value) as Node;
  const visit = (n: unknown, inFlow: boolean) => {
    if (isSeq(n)) {
      n.flow = inFlow || n.items.every((item) => isScalar(item));
      n.items.forEach((item) => visit(item, n.flow ?? false));
    } else if (isMap(n)) {
      n.flow = inFlow;
      n.items.forEach((pair) => visit(pair.value, inFlow));
    }
  };
  visit(node, flow);
  return node;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

// ---------------------------------------------------------------------------------------------
// Rendering pieces of text

/**
 * One line of flow YAML for a value (rendered as the only item of a flow list, so that flow quoting
 * rules apply). `quote`: the quoting the replaced value had, kept for the strings of the new one.
 */
function flowText(value: unknown, style: Style, quote?: Scalar.Type): string {
  const item = isObject(value) ? nodeFor(value, true) : new Scalar(value);
  if (quote === 'QUOTE_DOUBLE' || quote === 'QUOTE_SINGLE') {
    visit(item, {
      Scalar(_key, node) {
        if (typeof node.value === 'string') node.type = quote;
      },
    });
    if (isScalar(item) && typeof value === 'string') item.type = quote;
  }
  const doc = new Document();
  const seq = doc.createNode([]) as YAMLSeq;
  seq.flow = true;
  seq.items.push(item);
  doc.contents = seq;
  const text = doc.toString(style.options).trimEnd();
  if (!text.startsWith('[') || !text.endsWith(']') || text.includes('\n')) throw new Error('not one line of flow YAML');
  const pad = style.options.flowCollectionPadding && text.startsWith('[ ') && text.endsWith(' ]') ? 2 : 1;
  return unpad(text.slice(pad, -pad), style);
}

/** Block YAML of a value; lines after the first indented by `indent` spaces; ends with a line end. */
function blockText(value: unknown, style: Style, indent: number): string {
  const doc = new Document();
  doc.contents = nodeFor(value, false);
  const lines = unpad(doc.toString(style.options), style).replace(/\n$/, '').split('\n');
  return lines.map((line, i) => (i === 0 || line === '' ? line : ' '.repeat(indent) + line)).join('\n') + '\n';
}

/** `key: value` for a block mapping at column `indent`, ending with a line end. */
function pairText(key: Key, value: unknown, style: Style, indent: number): string {
  if (!isObject(value) || (Array.isArray(value) && value.every((v) => !isObject(v)))) return `${flowText(key, style)}: ${flowText(value, style)}\n`;
  return blockText({ [key]: value }, style, indent);
}

// ---------------------------------------------------------------------------------------------
// Positions

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The start of the line after the one `pos` is on; `pos` itself when it already starts a line. */
function lineEnd(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const next = text.indexOf('\n', pos);
  return next < 0 ? text.length : next + 1;
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** Only blanks between the line start and `pos`. */
function startsLine(text: string, pos: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, pos), pos));
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function pairEnd(pair: Pair): number | undefined {
  return rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)?.[1];
}

function findPair(map: YAMLMap, key: Key): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key)) as Pair | undefined;
}

function nodeAt(doc: Document, path: readonly Key[]): unknown {
  return path.length === 0 ? doc.contents : doc.getIn(path, true);
}

/** Whether a node at `path` sits inside a flow collection. */
function inFlow(doc: Document, path: readonly Key[]): boolean {
  for (let i = 0; i <= path.length; i++) {
    const node = nodeAt(doc, path.slice(0, i));
    if ((isMap(node) || isSeq(node)) && node.flow) return true;
  }
  return false;
}

interface Splice {
  from: number;
  to: number;
  text: string;
  /** The text holds original bytes: written as it is, line ends included. */
  raw?: boolean;
}

function apply(text: string, splice: Splice, style: Style): string {
  let insert = splice.raw ? splice.text : withEol(splice.text, style);
  // Appending after a last line without a line end: give that line one first.
  if (splice.from === text.length && text.length > 0 && !text.endsWith('\n') && /^\s*\S/.test(insert) && insert.endsWith(style.eol)) insert = style.eol + insert.slice(0, -style.eol.length);
  return text.slice(0, splice.from) + insert + text.slice(splice.to);
}

// ---------------------------------------------------------------------------------------------
// Splicing changes

/** The text with every change spliced in, or undefined when a change meets a layout this does not handle. */
export function spliceChanges(text: string, changes: readonly Change[], style: Style): string | undefined {
  let current = text;
  for (const change of changes) {
    // Parsed again after each change: the ranges of the next change are those of the text as it is now.
    const parsed = parseDocument(current);
    if (parsed.errors.length > 0) return undefined;
    let splice: Splice | undefined;
    try {
      splice = spliceFor(current, parsed, change, style);
    } catch {
      return undefined;
    }
    if (!splice) return undefined;
    current = apply(current, splice, style);
  }
  return current;
}

function spliceFor(text: string, doc: Document, change: Change, style: Style): Splice | undefined {
  const path = change.path;
  const key = path[path.length - 1]!;
  const parentPath = path.slice(0, -1);
  const parent = nodeAt(doc, parentPath);
  if (change.op === 'append') return appendTo(text, doc, path, change.value, style);
  if (change.op === 'delete') return isSeq(parent) ? removeItem(text, doc, parentPath, parent, key, style) : isMap(parent) ? removeKey(text, parent, key) : undefined;
  if (parent === null && parentPath.length === 0) {
    // An empty document (nothing, or only comments): the section goes at the end.
    return { from: text.length, to: text.length, text: pairText(key, change.value, style, 0) };
  }
  if (!isMap(parent)) return undefined;
  return setKey(text, doc, parentPath, parent, key, change.value, style);
}

function setKey(text: string, doc: Document, parentPath: readonly Key[], map: YAMLMap, key: Key, value: unknown, style: Style): Splice | undefined {
  const flow = inFlow(doc, parentPath);
  const pair = findPair(map, key);
  if (pair) {
    const current = pair.value as Node | null;
    const range = rangeOf(current);
    if (isScalar(current) && range && !isObject(value) && current.source !== '') {
      return { ...at(range), text: flowText(value, style, current.type) };
    }
    if (range && (flow || ((isMap(current) || isSeq(current)) && current.flow && isObject(value)))) {
      return { ...at(range), text: flowText(value, style, isSeq(current) ? commonQuote(current) : undefined) };
    }
    const keyRange = rangeOf(pair.key);
    if (!keyRange || !startsLine(text, keyRange[0])) return undefined;
    return { from: keyRange[0], to: lineEnd(text, pairEnd(pair)!), text: pairText(key, value, style, column(text, keyRange[0])) };
  }
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    if (!last) return rangeOf(map) ? { ...at(rangeOf(map)!), text: flowText({ [key]: value }, style) } : undefined;
    const end = pairEnd(last);
    return end === undefined ? undefined : { from: end, to: end, text: `, ${flowText(key, style)}: ${flowText(value, style)}` };
  }
  if (flow || !last) return undefined;
  const firstKey = rangeOf(map.items[0]!.key);
  const end = pairEnd(last);
  if (!firstKey || end === undefined) return undefined;
  const indent = column(text, firstKey[0]);
  const from = lineEnd(text, end);
  return { from, to: from, text: ' '.repeat(indent) + pairText(key, value, style, indent) };
}

function removeKey(text: string, map: YAMLMap, key: Key): Splice | undefined {
  const pair = findPair(map, key);
  if (!pair) return undefined;
  const keyRange = rangeOf(pair.key);
  const end = pairEnd(pair);
  if (!keyRange || end === undefined) return undefined;
  const index = map.items.indexOf(pair);
  if (map.flow) {
    if (map.items.length === 1) return rangeOf(map) ? { ...at(rangeOf(map)!), text: '{}' } : undefined;
    if (index > 0) return { from: pairEnd(map.items[index - 1]!)!, to: end, text: '' };
    return { from: keyRange[0], to: rangeOf(map.items[1]!.key)![0], text: '' };
  }
  // A key on the line of the list dash (`- name: …`) would take the next key up with it: not spliced.
  if (!startsLine(text, keyRange[0])) return undefined;
  return { from: lineStart(text, keyRange[0]), to: lineEnd(text, end), text: '' };
}

function removeItem(text: string, doc: Document, seqPath: readonly Key[], seq: YAMLSeq, index: Key, style: Style): Splice | undefined {
  if (typeof index !== 'number') return undefined;
  const item = rangeOf(seq.items[index]);
  if (!item) return undefined;
  if (seq.flow) {
    if (seq.items.length === 1) return rangeOf(seq) ? { ...at(rangeOf(seq)!), text: '[]' } : undefined;
    if (index > 0) return { from: rangeOf(seq.items[index - 1])![1], to: item[1], text: '' };
    return { from: item[0], to: rangeOf(seq.items[1])![0], text: '' };
  }
  const dashLine = dashOf(text, item[0])?.line;
  if (dashLine === undefined) return undefined;
  if (seq.items.length > 1) return { from: dashLine, to: lineEnd(text, item[1]), text: '' };
  // The last item: `key:` + its lines become `key: []`, the rest of the key's line (a comment) kept.
  const parent = nodeAt(doc, seqPath.slice(0, -1));
  const pair = isMap(parent) ? findPair(parent, seqPath[seqPath.length - 1]!) : undefined;
  const keyRange = rangeOf(pair?.key);
  if (!keyRange) return undefined;
  const colon = text.indexOf(':', keyRange[1]);
  if (colon < 0 || colon >= dashLine) return undefined;
  const keyLineEnd = lineEnd(text, colon);
  // Comment lines between the key and the dash stay, byte for byte.
  const between = text.slice(keyLineEnd, dashLine);
  if (!/^([ \t]*(#[^\n]*)?\r?\n)*$/.test(between)) return undefined;
  const rest = text.slice(colon + 1, keyLineEnd);
  return { from: colon + 1, to: lineEnd(text, item[1]), text: ` []${rest}${between}`, raw: true };
}

function appendTo(text: string, doc: Document, path: readonly Key[], value: unknown, style: Style): Splice | undefined {
  const seq = nodeAt(doc, path);
  if (!isSeq(seq)) return undefined;
  const last = rangeOf(seq.items[seq.items.length - 1]);
  if (!last) return appendToEmpty(text, doc, path, seq, value, style);
  if (seq.flow || inFlow(doc, path)) return { from: last[1], to: last[1], text: `, ${flowText(value, style)}` };
  const dash = dashOf(text, rangeOf(seq.items[0])![0]);
  if (!dash) return undefined;
  const indent = dash.column + 2;
  const flow = siblingsFlow(seq) || !isObject(value);
  const body = flow ? `${flowText(value, style)}\n` : blockText(value, style, indent);
  const from = lineEnd(text, last[1]);
  return { from, to: from, text: `${' '.repeat(dash.column)}- ${body}` };
}

/** `key: []` in a block mapping: the first item goes on a line of its own below the key, a comment after `[]` stays. */
function appendToEmpty(text: string, doc: Document, path: readonly Key[], seq: YAMLSeq, value: unknown, style: Style): Splice | undefined {
  const parent = nodeAt(doc, path.slice(0, -1));
  const pair = isMap(parent) && !parent.flow ? findPair(parent, path[path.length - 1]!) : undefined;
  const keyRange = rangeOf(pair?.key);
  const range = rangeOf(seq);
  if (!keyRange || !range || !seq.flow || !startsLine(text, keyRange[0])) return undefined;
  const colon = text.indexOf(':', keyRange[1]);
  if (colon < 0 || colon > range[0] || text.slice(colon + 1, range[0]).trim() !== '') return undefined;
  const end = lineEnd(text, range[1]);
  const rest = text.slice(range[1], end).replace(/\r?\n$/, '');
  const dash = ' '.repeat(column(text, keyRange[0]) + (style.options.indentSeq === false ? 0 : 2));
  const body = isObject(value) ? blockText(value, style, dash.length + 2) : `${flowText(value, style)}\n`;
  // `key: []  # comment` → `key:  # comment`; `key: []` → `key:`.
  const from = rest.trim() === '' ? colon + 1 : range[0];
  return { from, to: end, text: `${rest.trim() === '' ? '' : rest}\n${dash}- ${body}` };
}

/** The list dash of a block list item starting at `itemStart` (on its line, or alone on a line above it). */
function dashOf(text: string, itemStart: number): { line: number; column: number } | undefined {
  let pos = itemStart - 1;
  while (pos >= 0 && /\s/.test(text[pos]!)) pos--;
  if (text[pos] !== '-') return undefined;
  const line = lineStart(text, pos);
  if (!/^[ \t]*$/.test(text.slice(line, pos))) return undefined;
  return { line, column: pos - line };
}

function at(range: [number, number]): { from: number; to: number } {
  return { from: range[0], to: range[1] };
}

// ---------------------------------------------------------------------------------------------
// Re-rendering the changed entries (the fallback when a change cannot be spliced on its own)

/**
 * Each entry a change touched (`sites[2]`, `sendConnectors[0]`: the first two path steps) is
 * re-rendered from the edited document and spliced over its own range; everything else stays.
 */
export function spliceEntries(text: string, original: Document, edited: Document, changes: readonly Change[], style: Style): string | undefined {
  const entries = new Map<string, EditPath>();
  for (const change of changes) {
    if (change.op !== 'set' && change.op !== 'delete') return undefined;
    if (change.path.length < 3) return undefined;
    const entry = change.path.slice(0, change.path.length - 1);
    entries.set(JSON.stringify(entry), entry);
  }
  const splices: Splice[] = [];
  for (const entry of entries.values()) {
    const before = nodeAt(original, entry);
    const after = nodeAt(edited, entry);
    const range = rangeOf(before);
    if (!range || !(isMap(before) && isMap(after))) return undefined;
    if (before.flow || inFlow(original, entry)) {
      splices.push({ ...at(range), text: flowText(after.toJSON(), style) });
      continue;
    }
    const indent = column(text, range[0]);
    const end = lineEnd(text, range[1]);
    splices.push({ from: range[0], to: end, text: blockText(after.toJSON(), style, indent) });
  }
  splices.sort((a, b) => b.from - a.from);
  let current = text;
  for (const splice of splices) current = apply(current, splice, style);
  return current;
}
