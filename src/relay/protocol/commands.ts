/**
 * SMTP command syntax (RFC 5321 4.1): the verb, the ESMTP parameters after a MAIL/RCPT path
 * (RFC 1869), xtext (RFC 3461 4). The path itself is the core address rule's
 * (core/model/address.ts `parsePath`): where it ends, its source route, its mailbox; whether that
 * mailbox is acceptable is a policy decision (core/policy decideMailFrom / decideRcpt), so the relay
 * and `mxt route inbound` judge the same addresses the same way.
 */
import { parsePath, pathLength, type MailboxParse } from '../../core/model/address.js';

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
  /** The path as sent, angle brackets included (`<>`, `<user@domain>`, `<@a,@b:user@domain>`). */
  path: string;
  /** Upper-cased keyword → value (undefined for a keyword without `=`). */
  params: Map<string, string | undefined>;
}

export type PathArgumentParse = { ok: true; value: PathArgument } | { ok: false; error: string };

/**
 * `FROM:<path> PARAMS` / `TO:<path> PARAMS`. A space after the colon is tolerated (many clients send
 * it). The path ends where the core address parser says it does.
 */
export function parsePathArgument(args: string, keyword: 'FROM' | 'TO'): PathArgumentParse {
  const prefix = new RegExp(`^${keyword}:\\s*`, 'i');
  const head = prefix.exec(args);
  if (!head) return { ok: false, error: `expected ${keyword}:<address>` };
  const rest = args.slice(head[0].length);
  if (!rest.startsWith('<')) return { ok: false, error: 'the address must be in angle brackets' };
  const length = pathLength(rest);
  if (length < 0) return { ok: false, error: 'missing >' };
  const tail = rest.slice(length);
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
  return { ok: true, value: { path: rest.slice(0, length), params } };
}

/**
 * The envelope address of a MAIL/RCPT path (the mailbox as written, a source route dropped) with its
 * parse by the core rule, made once here and handed to the policy. `parsed` is undefined for `<>`;
 * a path the rule refuses keeps its text inside the brackets, for the policy to refuse with the reason.
 */
export function pathAddress(path: string, utf8: boolean): { address: string; parsed: MailboxParse | undefined } {
  const parsed = parsePath(path, { utf8 });
  if (!parsed.ok) return { address: path.slice(1, -1), parsed };
  return { address: parsed.address, parsed: parsed.mailbox && { ok: true, mailbox: parsed.mailbox } };
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
