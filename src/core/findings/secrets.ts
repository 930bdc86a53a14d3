/**
 * Passwords written where they do not belong (a `password:` key in the config, `password=` in a
 * credential flag) must be refused without being repeated: not in the message, not in the code
 * frame that quotes the offending line. Pure text functions; the renderers and the finding
 * builders call them.
 */

/** Keys that hold a secret itself (never where to find one, like passwordEnv / passwordFile). */
export const SECRET_KEY = /^(?:password|passwd|pwd|pass|passphrase|secret|client_?secret)$/i;

const SECRET_ASSIGNMENT = /(?:password|passwd|pwd|passphrase|secret)\s*[=:]/i;

/** True when a text carries `password=…` or `password: …`, so it must not be shown. */
export function holdsSecret(text: string): boolean {
  return SECRET_ASSIGNMENT.test(text);
}

const MASK = '********';
/** `password:` (quoted or not) as a YAML or JSON key anywhere on a line, in block or flow style. */
const KEY_ON_LINE = /(^|[\s{,[])(["']?)(password|passwd|pwd|pass|passphrase|secret|client_?secret)\2(\s*:)(?=\s|$)/i;

/**
 * The lines of a config file with every secret's value replaced by `********`: the rest of the
 * line after the key, and the lines that continue the value (block scalars, folded plain or quoted
 * scalars: lines indented deeper than the key's line). The line count stays the same, so a
 * finding's line number still points at the right line.
 */
export function maskSecrets(text: string): string[] {
  const lines = text.split(/\r?\n/);
  let continuationIndent = -1;
  return lines.map((line) => {
    const indent = line.length - line.trimStart().length;
    if (continuationIndent >= 0) {
      if (line.trim() === '' || indent > continuationIndent) return line.trim() === '' ? line : `${' '.repeat(indent)}${MASK}`;
      continuationIndent = -1;
    }
    const match = KEY_ON_LINE.exec(line);
    if (!match) return line;
    continuationIndent = indent;
    const end = match.index + match[0].length;
    return `${line.slice(0, end)} ${MASK}`;
  });
}
