/**
 * Finding path → file:line:col, from the YAML document's source ranges. When the exact node does not
 * exist (a missing key), the nearest existing ancestor is used.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../core/findings/finding.js';
import type { ConfigPath } from '../core/model/topology.js';

export function locate(doc: Document, lines: LineCounter, file: string, path: ConfigPath, prefix: ConfigPath = []): SourceLocation | undefined {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined = rangeOf(node);
  for (const part of [...prefix, ...path]) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) break;
      // The key is where an admin looks for "this entry"; the value when it is a scalar to fix.
      const key = rangeOf(pair.key);
      const value = rangeOf(pair.value);
      best = isScalar(pair.value) && value ? value : (key ?? best);
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (item === undefined) break;
      best = rangeOf(item) ?? best;
      node = item;
    } else break;
  }
  if (!best) return undefined;
  return span(lines, file, best);
}

/** Unknown keys point at the key itself. */
export function locateKey(doc: Document, lines: LineCounter, file: string, path: ConfigPath, prefix: ConfigPath = []): SourceLocation | undefined {
  const parentPath = [...prefix, ...path.slice(0, -1)];
  const key = path[path.length - 1];
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
    const range = pair ? rangeOf(pair.key) : undefined;
    if (range) return span(lines, file, range);
  }
  return locate(doc, lines, file, path, prefix);
}

/**
 * Start and (exclusive) end of a source range. A block collection's range runs to the start of the
 * next line; the end is pulled back onto the last line it covers, so that an annotation (GitHub,
 * SARIF) does not spill onto the following line.
 */
function span(lines: LineCounter, file: string, [from, to]: [number, number]): SourceLocation {
  const start = lines.linePos(from);
  let end = lines.linePos(to);
  if (end.col === 1 && end.line > start.line && to > from) end = lines.linePos(to - 1);
  return { file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}
