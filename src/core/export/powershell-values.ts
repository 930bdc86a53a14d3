/**
 * Values as the Exchange Management Shell (Windows PowerShell 5.1) reads them, for the exported
 * script (R187): strings in single quotes, lists comma-joined, booleans `$true`/`$false`, sizes in
 * PowerShell's own multipliers (35MB) or bytes, TimeSpans `d.hh:mm:ss`.
 */
import { formatSize, formatTimeSpan, type ByteSize, type Duration } from '../model/units.js';

/**
 * PowerShell ends a single-quoted string at any of the four single-quote characters, not only at
 * the ASCII one (about_Quoting_Rules: ‘ ’ ‚ ‛ count too), so each is doubled to stay literal.
 */
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
/**
 * Controls, format characters (bidi, zero-width), line and paragraph separators and lone
 * surrogates: a line break inside quotes would split the script's one-command lines, and mxt's
 * output never carries the others raw (the terminal's last line of defence would escape them on
 * standard output, changing the name). They are joined in by code instead.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function charCode(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `[char]::ConvertFromUtf32(0x${hex})` : `[char]0x${hex.padStart(code > 0xff ? 4 : 2, '0')}`;
}

/** A literal string: `'it''s'`; an invisible character is joined in as `[char]0x0A` (PowerShell 5.1 has no `u{}). */
export function psString(text: string): string {
  if (!INVISIBLE.test(text)) return `'${text.replace(SINGLE_QUOTES, (q) => q + q)}'`;
  const parts: string[] = [];
  let run = '';
  for (const ch of text) {
    if (INVISIBLE.test(ch)) {
      if (run) parts.push(psString(run));
      run = '';
      parts.push(charCode(ch));
    } else run += ch;
  }
  if (run) parts.push(psString(run));
  return `(${parts.join(' + ')})`;
}

/** A multi-valued parameter: `'a','b'` (a one-element list is just `'a'`). */
export function psList(values: readonly string[]): string {
  return values.map(psString).join(',');
}

export function psBool(value: boolean): string {
  return value ? '$true' : '$false';
}

/**
 * A ByteQuantifiedSize: `35MB` is PowerShell's own numeric multiplier (what Microsoft's examples
 * write), a size that is no whole number of KB is its byte count (an unqualified value is bytes),
 * and `Infinity` is `'Unlimited'` (for the Unlimited<ByteQuantifiedSize> parameters).
 */
export function psSize(bytes: ByteSize): string {
  if (bytes === Infinity) return psString('Unlimited');
  const text = formatSize(bytes);
  return /[KMGT]B$/.test(text) ? text : String(bytes);
}

/** An (Enhanced)TimeSpan `d.hh:mm:ss[.fff]`, quoted (an unquoted `2.00:00:00` is not one token to PowerShell). */
export function psTimeSpan(ms: Duration): string {
  return psString(formatTimeSpan(ms));
}

/** An Unlimited<Int32>: a count, or `'Unlimited'`. */
export function psLimit(value: number | 'unlimited'): string {
  return value === 'unlimited' || value === Infinity ? psString('Unlimited') : String(value);
}

/** Text for a `#` comment: one line, whatever the name holds. */
export function psComment(text: string): string {
  return text.replace(INVISIBLE_ALL, '?');
}
