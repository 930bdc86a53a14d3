/**
 * Apply a planned edit (core/edit ValueChange[]) to the YAML text of a config file, keeping what the
 * user wrote: every byte outside the changed object stays as it is (comments, alignment, quoting,
 * blank lines, line ends). Each change is spliced into the original text at the source range of the
 * node it touches (config/yaml-splice.ts): a scalar is replaced where it stands, a key or an entry is
 * inserted after its last sibling or its lines are removed, in the style of its siblings.
 *
 * The result is checked: it must read back as exactly the edited value. When it does not (a layout
 * the splicer does not handle), the changed entries are re-rendered in place; then a three-way line
 * merge; then, as the last resort, the plain re-rendered document (correct, if less faithful).
 */
import { parseDocument, type Document } from 'yaml';
import { applyChanges, type EditPath, type ValueChange } from '../core/edit/plan.js';
import { checkAliases, checkEditableRoot } from './edit-guard.js';
import { mergeLines } from './yaml-merge.js';
import { applyToDocument, detectStyle, renderDocument, spliceChanges, spliceEntries } from './yaml-splice.js';

/** Throws EditRefusedError when no edit can be made to this text (its document is not a mapping of sections). */
export function checkEditable(text: string, prefix: readonly (string | number)[] = []): void {
  checkEditableRoot(parseDocument(text), prefix);
}

/** The edited text; throws EditRefusedError (config/edit-guard) for an edit that would break what the file shares. */
export function applyEditToText(text: string, changes: readonly ValueChange[], prefix: readonly (string | number)[] = []): string {
  if (changes.length === 0) return text;
  const original = parseDocument(text);
  checkEditableRoot(original, prefix);
  const full = changes.map((change) => ({ ...change, path: [...prefix, ...change.path] as EditPath }));
  for (const change of full) checkAliases(original, change);
  if (/^\s*[{[]/.test(text) && isJson(text)) return applyToJson(text, changes, prefix);
  const edited = original.clone();
  for (const change of full) applyToDocument(edited, change);
  const expected = JSON.stringify(edited.toJS());
  const style = detectStyle(text);
  for (const attempt of [() => spliceChanges(text, full, style), () => spliceEntries(text, original, edited, full, style), () => merged(text, original, edited, style)]) {
    const result = tryAttempt(attempt);
    if (result !== undefined && readsAs(result, expected)) return result;
  }
  return renderDocument(edited, style);
}

function tryAttempt(attempt: () => string | undefined): string | undefined {
  try {
    return attempt();
  } catch {
    // A layout the attempt does not handle: the next one takes over.
    return undefined;
  }
}

function merged(text: string, original: Document, edited: Document, style: ReturnType<typeof detectStyle>): string {
  return mergeLines(text, renderDocument(original, style), renderDocument(edited, style));
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
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const end = text.endsWith('\n') ? eol : '';
  const render = (v: unknown) => JSON.stringify(v, null, indent).replace(/\n/g, eol) + end;
  const result = mergeLines(text, render(value), render(edited));
  return isJson(result) && JSON.stringify(JSON.parse(result)) === JSON.stringify(edited) ? result : render(edited);
}

function readsAs(text: string, expectedJson: string): boolean {
  try {
    const doc = parseDocument(text);
    return doc.errors.length === 0 && JSON.stringify(doc.toJS()) === expectedJson;
  } catch {
    return false;
  }
}
