/**
 * SMTP command syntax (RFC 5321 4.1): the verb, the path of MAIL/RCPT (`<…>` and ESMTP parameters,
 * RFC 1869), xtext (RFC 3461 4). Only the *shape* of a path is parsed here: whether the mailbox in it
 * is a valid address is a policy decision (core/policy decideMailFrom / decideRcpt), so the relay and
 * `mxt route inbound` judge the same addresses the same way.
 */

export interface CommandLine {
  /** Upper-cased verb. */
  verb: string;
  /** Everything after the verb and one space, as sent. */
  args: string;
}

export function parseCommandLine(line: string): CommandLine {
  const match = /^([A-Za-z][A-Za-z0-9-]*)(?: (.*))?$/s.exec(line);
  if (!match) return { verb: '', args: line };
  return { verb: match[1]!.toUpperCase(), args: (match[2] ?? '').trim() };
}

export interface PathArgument {
  /** The mailbox inside `<…>` without a source route; '' for `<>`. */
  address: string;
  /** Upper-cased keyword → value (undefined for a keyword without `=`). */
  params: Map<string, string | undefined>;
}

export type PathParse = { ok: true; value: PathArgument } | { ok: false; error: string };

/**
 * `FROM:<addr> PARAMS` / `TO:<addr> PARAMS`. A space after the colon is tolerated (many clients send
 * it). A source route (`<@a,@b:user@c>`, RFC 5321 4.1.2 / C) is kept in the address so that policy
 * sees it and refuses it as an address rather than relaying along it.
 */
export function parsePath(args: string, keyword: 'FROM' | 'TO'): PathParse {
  const prefix = new RegExp(`^${keyword}:\\s*`, 'i');
  const head = prefix.exec(args);
  if (!head) return { ok: false, error: `expected ${keyword}:<address>` };
  const rest = args.slice(head[0].length);
  if (!rest.startsWith('<')) return { ok: false, error: 'the address must be in angle brackets' };
  const close = closingBracket(rest);
  if (close < 0) return { ok: false, error: 'missing >' };
  const address = rest.slice(1, close);
  const tail = rest.slice(close + 1);
  if (tail !== '' && !tail.startsWith(' ')) return { ok: false, error: 'parameters must follow a space' };
  const params = new Map<string, string | undefined>();
  for (const word of tail.split(' ').filter(Boolean)) {
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9-]*$/.test(key)) return { ok: false, error: `bad parameter ${word}` };
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    // A repeated keyword with the same value is harmless (Python's smtplib sends SMTPUTF8 twice when
    // asked for it and the message needs it); a conflicting one is a syntax error.
    if (params.has(key) && params.get(key) !== value) return { ok: false, error: `conflicting parameter ${key}` };
    params.set(key, value);
  }
  return { ok: true, value: { address, params } };
}

/** The `>` that closes the path, skipping quoted strings (`<"a>b"@c>`). */
function closingBracket(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '\\') i += 1;
    else if (c === '"') quoted = !quoted;
    else if (c === '>' && !quoted) return i;
  }
  return -1;
}

/** RFC 3461 4: `+XX` hex escapes; undefined when malformed. */
export function decodeXtext(text: string): string | undefined {
  if (!/^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/.test(text)) return undefined;
  return text.replace(/\+([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** True when the text has a byte outside US-ASCII (RFC 6531: needs SMTPUTF8). */
export function hasNonAscii(text: string): boolean {
  return /[^\x00-\x7f]/.test(text);
}

/** `BDAT <size> [LAST]` (RFC 3030 2). */
export function parseBdat(args: string): { size: number; last: boolean } | undefined {
  const match = /^(\d{1,15})(?: +(LAST))?$/i.exec(args);
  if (!match) return undefined;
  return { size: Number(match[1]), last: match[2] !== undefined };
}
