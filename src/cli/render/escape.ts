/**
 * Nothing from a config reaches the terminal as a control character. Names, addresses, hints and
 * messages quoting the input may hold ESC (`ESC[2J` clears the screen), CR (rewrites the line), C1
 * controls (U+009B is an 8-bit CSI), bidi overrides and other invisible format characters (U+202E
 * shows `txt.exe` as `exe.txt`). Every text renderer passes what it prints from the input through
 * `visible` (or a whole result through `escapeDeep`), which shows each such character as an escape:
 * `\x1b`, `\x9b`, `\u{202e}`. `jsonSafe` is the last line of defence on everything mxt writes
 * (cli/context.ts): it writes the same characters as `\u001b`, which leaves a JSON string (and a
 * YAML double-quoted one) meaning exactly what it meant, and shows them in any other text.
 */

/**
 * C0, DEL and C1 controls (Cc), format characters (Cf: bidi embeddings, overrides and isolates,
 * zero-width joiners and spaces, the BOM, soft hyphen, tags), line and paragraph separators, and
 * lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** True when the text holds a character `visible` would escape. */
export function hasUnsafe(text: string): boolean {
  return text.search(UNSAFE) >= 0;
}

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The text with every unsafe character shown as `\xHH` or `\u{H…}`; newlines and tabs too (a name never holds one). */
export function visible(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * A copy of a result for a text renderer with every string in it `visible`: plain objects and arrays
 * are copied (shared and cyclic parts stay shared), anything else (numbers, Maps, class instances)
 * is kept as it is.
 */
export function escapeDeep<T>(value: T): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return visible(v);
    if (typeof v !== 'object' || v === null) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      for (const item of v) copy.push(walk(item));
      return copy;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    const copy: Record<string, unknown> = {};
    seen.set(v, copy);
    for (const [key, item] of Object.entries(v)) copy[key] = walk(item);
    return copy;
  };
  return walk(value) as T;
}

/** SGR (colour) sequences as chalk writes them: the only escape sequences mxt itself sends. */
const SGR = /\x1b\[[0-9;]*m/y;

/**
 * Everything mxt writes passes here: unsafe characters become `\uXXXX` (UTF-16 units), except
 * newline and tab, and, when `keepColour` (mxt colours its output), chalk's SGR sequences.
 */
export function jsonSafe(text: string, keepColour: boolean): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(UNSAFE)) {
    const at = match.index;
    const ch = match[0];
    if (ch === '\n' || ch === '\t' || at < last) continue;
    if (keepColour && ch === '\x1b') {
      SGR.lastIndex = at;
      const sgr = SGR.exec(text);
      if (sgr) {
        out += text.slice(last, at + sgr[0].length);
        last = at + sgr[0].length;
        continue;
      }
    }
    out += text.slice(last, at);
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    last = at + ch.length;
  }
  return out + text.slice(last);
}
