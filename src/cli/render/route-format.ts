/** Small text helpers shared by the route renderers: column tables and safe display of config strings. */

/** Control characters from the config are shown escaped, never sent to the terminal (one helper: escape.ts). */
export { visible } from './escape.js';
import { visible } from './escape.js';

/** Left-aligned columns, two spaces apart; `style` colours a cell after padding so widths stay right. */
export function columns(header: string[], rows: string[][], style: (text: string, row: number, col: number) => string = (t) => t, indent = '  '): string[] {
  const all = [header, ...rows].map((r) => r.map(visible));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r, ri) =>
    indent +
    r
      .map((cell, i) => {
        const padded = i === r.length - 1 ? cell : cell.padEnd(widths[i]!);
        return style(padded, ri - 1, i);
      })
      .join('  ')
      .trimEnd(),
  );
}

