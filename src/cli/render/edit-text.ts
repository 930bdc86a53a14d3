/** Text renderers of the edit commands: `list` tables, `show` entries, unified diffs. */
import { Chalk } from 'chalk';
import type { EditKind } from '../../core/edit/kinds.js';
import { formatFieldValue } from '../../core/edit/parse-field.js';
import { visible } from './escape.js';

type Entry = Record<string, unknown>;

export function renderEntryList(rows: { kind: EditKind; entry: Entry }[], colorLevel: 0 | 1 | 2 | 3): string {
  if (rows.length === 0) return '(none)';
  const c = new Chalk({ level: colorLevel });
  const byKind = new Map<EditKind, Entry[]>();
  for (const { kind, entry } of rows) byKind.set(kind, [...(byKind.get(kind) ?? []), entry]);
  const blocks: string[] = [];
  for (const [kind, entries] of byKind) {
    const columns = [...kind.columns];
    const cells = entries.map((entry) => columns.map((col) => visible(formatFieldValue(entry[col]).replace(/,/g, ', '))));
    const widths = columns.map((col, i) => Math.max(col.length, ...cells.map((row) => row[i]!.length)));
    const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
    const title = byKind.size > 1 ? `${c.bold(`${kind.noun}s`)}\n` : '';
    blocks.push(title + [c.bold(line(columns)), ...cells.map(line)].join('\n'));
  }
  return blocks.join('\n\n');
}

export function renderEntry(entry: Entry): string {
  const width = Math.max(...Object.keys(entry).map((k) => visible(k).length));
  return Object.entries(entry)
    .map(([key, value]) => `${visible(key).padEnd(width)}  ${visible(typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify(value) : formatFieldValue(value).replace(/,/g, ', '))}`)
    .join('\n');
}

export function renderDiff(diff: string, colorLevel: 0 | 1 | 2 | 3): string {
  const c = new Chalk({ level: colorLevel });
  return diff
    .split('\n')
    // The lines of the file: a CRLF file's line ends are not shown, anything else unsafe is escaped.
    .map((line) => visible(line.replace(/\r$/, '')))
    .map((line) => (line.startsWith('+++') || line.startsWith('---') ? c.bold(line) : line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : line.startsWith('@@') ? c.cyan(line) : line))
    .join('\n');
}
