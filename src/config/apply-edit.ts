/**
 * Apply a planned edit (core/edit ValueChange[]) to the YAML text of a config file, keeping what the
 * user wrote: comments, key order, quoting, flow or block style, blank lines. New entries follow the
 * style of their siblings (a flow `{ … }` entry among flow entries), lists of scalars are written in
 * flow style like the examples. The result is checked: it must read back as exactly the edited
 * value, or the plain re-rendered document is used instead (correct, if less faithful).
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type ToStringOptions } from 'yaml';
import { applyChanges, type EditPath, type ValueChange } from '../core/edit/plan.js';
import { checkAliases, checkEditableRoot } from './edit-guard.js';
import { mergeLines } from './yaml-merge.js';

/** Throws EditRefusedError when no edit can be made to this text (its document is not a mapping of sections). */
export function checkEditable(text: string, prefix: readonly (string | number)[] = []): void {
  checkEditableRoot(parseDocument(text), prefix);
}

/** The edited text; throws EditRefusedError (config/edit-guard) for an edit that would break what the file shares. */
export function applyEditToText(text: string, changes: readonly ValueChange[], prefix: readonly (string | number)[] = []): string {
  if (changes.length === 0) return text;
  const original = parseDocument(text);
  checkEditableRoot(original, prefix);
  for (const change of changes) checkAliases(original, { ...change, path: [...prefix, ...change.path] });
  if (/^\s*[{[]/.test(text) && isJson(text)) return applyToJson(text, changes, prefix);
  const edited = original.clone();
  for (const change of changes) applyChange(edited, { ...change, path: [...prefix, ...change.path] });
  const style = detectStyle(text);
  const base = render(original, style);
  const theirs = render(edited, style);
  const expected = JSON.stringify(edited.toJS());
  const merged = mergeLines(text, base, theirs);
  if (readsAs(merged, expected)) return merged;
  const plain = edited.toString(style.options);
  return plain;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON files (mxt.config.json, package.json) stay JSON, in their own indentation. */
function applyToJson(text: string, changes: readonly ValueChange[], prefix: readonly (string | number)[]): string {
  const value: unknown = JSON.parse(text);
  const edited = applyChanges(value, changes.map((c) => ({ ...c, path: [...prefix, ...c.path] })));
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const end = text.endsWith('\n') ? '\n' : '';
  const render = (v: unknown) => JSON.stringify(v, null, indent) + end;
  const merged = mergeLines(text, render(value), render(edited));
  return isJson(merged) && JSON.stringify(JSON.parse(merged)) === JSON.stringify(edited) ? merged : render(edited);
}

function readsAs(text: string, expectedJson: string): boolean {
  try {
    const doc = parseDocument(text);
    return doc.errors.length === 0 && JSON.stringify(doc.toJS()) === expectedJson;
  } catch {
    return false;
  }
}

function applyChange(doc: Document, change: ValueChange & { path: EditPath }): void {
  const parentPath = change.path.slice(0, -1);
  if (change.op === 'delete') {
    doc.deleteIn(change.path);
    return;
  }
  if (change.op === 'append') {
    const seq = doc.getIn(change.path, true);
    if (!isSeq(seq)) {
      doc.setIn(change.path, nodeFor(doc, [change.value], false));
      return;
    }
    const siblingsFlow = seq.items.length > 0 && seq.items.every((item) => isMap(item) && item.flow);
    seq.items.push(nodeFor(doc, change.value, siblingsFlow));
    return;
  }
  const parent = doc.getIn(parentPath, true);
  const parentFlow = (isMap(parent) || isSeq(parent)) && Boolean(parent.flow);
  const current = doc.getIn(change.path, true);
  if (isScalar(current) && !isObjectValue(change.value)) {
    // Keep the scalar node (its comment, its anchor); quoting follows the new value's needs.
    current.value = change.value;
    if (current.type !== 'PLAIN') current.type = undefined;
    return;
  }
  doc.setIn(change.path, nodeFor(doc, change.value, parentFlow));
}

/** A node for a new value: flow maps among flow siblings, scalar lists always in flow style. */
function nodeFor(doc: Document, value: unknown, flow: boolean): Node {
  const node = doc.createNode(value) as Node;
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

function isObjectValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

interface Style {
  options: ToStringOptions;
  /** `{ a: 1 }` maps but `[a, b]` lists, as in the examples: unpad the lists after rendering. */
  unpadSeqs: boolean;
}

function detectStyle(text: string): Style {
  const paddedMaps = /\{ [^}\s]/.test(text);
  const paddedSeqs = /\[ [^\]\s]/.test(text);
  const unpaddedSeqs = /\[[^\]\s]/.test(text);
  const indentSeq = !/^[\w"'-]+:[ \t]*(#.*)?\r?\n- /m.test(text);
  return {
    options: { lineWidth: 0, indentSeq, flowCollectionPadding: paddedMaps || (paddedSeqs && !unpaddedSeqs) },
    unpadSeqs: paddedMaps && unpaddedSeqs && !paddedSeqs,
  };
}

function render(doc: Document, style: Style): string {
  const text = doc.toString(style.options);
  return style.unpadSeqs ? text.replace(/\[ ([^\]\n]*?) \]/g, '[$1]') : text;
}
