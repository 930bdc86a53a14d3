/**
 * SMTP mailboxes and paths (RFC 5321 4.1.2, 4.5.3.1; RFC 6531 for SMTPUTF8): the one address rule
 * that MAIL FROM and RCPT TO (core/policy), recipient classification (core/route) and the CLI's
 * `--to`/`--sender` share, so that an address accepted at RCPT is one the categorizer can route and
 * the other way round.
 *
 * Hand-written: the grammar is small, and the address libraries on npm parse RFC 5322 header
 * addresses (comments, display names, obsolete forms) rather than the stricter RFC 5321 envelope.
 *
 * Decisions the RFCs leave to us, all in this file:
 * - The local part is a Dot-string or a Quoted-string; `"alice"` and `alice` are the same mailbox
 *   (RFC 5322 3.4.1), so the canonical form drops quotes that are not needed.
 * - The domain is a hostname (RFC 5321 `Domain`: LDH labels of 1–63 octets, no trailing dot, no
 *   underscore) or an address literal: `[1.2.3.4]` or `[IPv6:…]` in the forms of RFC 5321 4.1.3.
 *   General address literals (`[tag:…]`) need a tag registered with IANA and none but IPv6 is, so
 *   they are refused.
 * - Non-ASCII characters (RFC 6531 `UTF8-non-ascii` in atext/qtext, U-labels in the domain) are
 *   accepted only when the caller says the session negotiated SMTPUTF8 (`utf8: true`); control
 *   characters (C0, C1, DEL) never are. A U-label domain is checked and converted to its A-label
 *   form (`xn--…`) with the WHATWG URL parser's IDNA processing, so that accepted-domain matching
 *   compares like with like.
 * - Lengths (RFC 5321 4.5.3.1) are counted in UTF-8 octets: local part 64, domain 255, path 256
 *   including the angle brackets (so a mailbox of at most 254).
 * - Relay-test forms: `user%ext.com@local` and `ext.com!user@local` are valid (`%` and `!` are
 *   atext) and are mailboxes of `local`; `"user@ext"@local` is valid and a mailbox of `local`;
 *   `user@ext@local` is not an address. Only the domain after the last unquoted `@` decides routing.
 * - A source route (`<@a,@b:user@c>`) is accepted and ignored (RFC 5321 4.1.1.3, C.).
 */

export interface Mailbox {
  /** The local part as the mailbox owner sees it: quotes removed, quoted pairs resolved. */
  localPart: string;
  /**
   * The domain that routing compares: lower case, A-labels for an internationalized domain, or
   * the bracketed literal (`[10.0.0.1]`, `[ipv6:2001:db8::1]`) for an address literal.
   */
  domain: string;
  /** For an address literal: the bare IP address (`10.0.0.1`, `2001:db8::1`). */
  addressLiteral?: string;
  /** The mailbox uses non-ASCII characters (needs SMTPUTF8, RFC 6531). */
  utf8: boolean;
  /** `local@domain` with unneeded quotes dropped and the domain in lower case (U-labels kept). */
  canonical: string;
}

export type MailboxParse = { ok: true; mailbox: Mailbox } | { ok: false; reason: string };
export type PathParse =
  | {
      ok: true;
      /** undefined for the null path `<>`. */
      mailbox: Mailbox | undefined;
      /** The mailbox as written (between the source route and `>`): what an envelope keeps; '' for `<>`. */
      address: string;
      sourceRoute: string[];
    }
  | { ok: false; reason: string };

export interface AddressOptions {
  /** The session negotiated SMTPUTF8 (RFC 6531): UTF-8 is allowed in local part and domain. */
  utf8?: boolean;
}

export const MAX_LOCAL_PART_OCTETS = 64;
export const MAX_DOMAIN_OCTETS = 255;
export const MAX_PATH_OCTETS = 256;

/** RFC 5321 atext, by character code (a table: this runs for every character of every address). */
const ATEXT_CODES = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~") ATEXT_CODES[c.charCodeAt(0)] = 1;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `local@domain` (no angle brackets). */
export function parseMailbox(text: string, options: AddressOptions = {}): MailboxParse {
  const utf8 = options.utf8 === true;
  const ascii = PRINTABLE_ASCII.test(text);
  if (!ascii) {
    if (CONTROL.test(text)) return fail('an address may not contain control characters (C0, C1, DEL)');
    if (!isWellFormed(text)) return fail('the address is not valid UTF-8');
  }
  const local = scanLocalPart(text, utf8);
  if (!local.ok) return local;
  const rest = text.slice(local.end);
  if (!rest.startsWith('@')) {
    return fail(local.end === text.length ? 'an address needs an @ and a domain (local@domain)' : `unexpected "${text[local.end]}" after the local part`);
  }
  const domainText = rest.slice(1);
  if (domainText.length === 0) return fail('the domain after @ is empty');
  const domain = domainText.startsWith('[') ? parseAddressLiteral(domainText) : parseDomain(domainText, utf8);
  if (!domain.ok) return domain;
  const canonicalLocal = canonicalLocalPart(local.value);
  if (octets(local.raw) > MAX_LOCAL_PART_OCTETS) return fail(`the local part is longer than ${MAX_LOCAL_PART_OCTETS} octets (RFC 5321 4.5.3.1.1)`);
  const canonical = `${canonicalLocal}@${domain.written}`;
  if (octets(text) + 2 > MAX_PATH_OCTETS) return fail(`the address is longer than ${MAX_PATH_OCTETS - 2} octets (a path is at most ${MAX_PATH_OCTETS}, RFC 5321 4.5.3.1.3)`);
  const usesUtf8 = !ascii;
  return {
    ok: true,
    mailbox: {
      localPart: local.value,
      domain: domain.value,
      ...(domain.literal !== undefined ? { addressLiteral: domain.literal } : {}),
      utf8: usesUtf8,
      canonical,
    },
  };
}

/**
 * `<mailbox>`, `<@a,@b:mailbox>` (source route, RFC 5321 4.1.1.3 and C: accepted, its hosts checked,
 * then ignored) or the null path `<>` (`mailbox` undefined; only a reverse-path may be null, which
 * the caller decides).
 */
export function parsePath(text: string, options: AddressOptions = {}): PathParse {
  if (!text.startsWith('<') || pathLength(text) !== text.length) return fail('a path is written in angle brackets: <local@domain>');
  if (octets(text) > MAX_PATH_OCTETS) return fail(`the path is longer than ${MAX_PATH_OCTETS} octets (RFC 5321 4.5.3.1.3)`);
  let inner = text.slice(1, -1);
  if (inner === '') return { ok: true, mailbox: undefined, address: '', sourceRoute: [] };
  const sourceRoute: string[] = [];
  if (inner.startsWith('@')) {
    const colon = inner.indexOf(':');
    if (colon < 0) return fail('a source route (@host,@host:) must end with a colon before the mailbox');
    for (const hop of inner.slice(0, colon).split(',')) {
      if (!hop.startsWith('@')) return fail(`source route entry "${hop}" must be @domain`);
      const domain = hop.startsWith('@[') ? parseAddressLiteral(hop.slice(1)) : parseDomain(hop.slice(1), options.utf8 === true);
      if (!domain.ok) return fail(`source route entry "${hop}": ${domain.reason}`);
      sourceRoute.push(domain.value);
    }
    inner = inner.slice(colon + 1);
  }
  const parsed = parseMailbox(inner, options);
  return parsed.ok ? { ok: true, mailbox: parsed.mailbox, address: inner, sourceRoute } : parsed;
}

/**
 * How long the path at the start of `text` is, up to and with the `>` that closes it: the first `>`
 * outside a quoted local part (`<"a>b"@c>`), so that the ESMTP parameters after a MAIL or RCPT
 * path (RFC 5321 4.1.2) are found where the address parser ends the path. -1 when no `>` closes it.
 */
export function pathLength(text: string): number {
  for (let i = 1; i < text.length; i += 1) {
    if (text[i] === '>') return i + 1;
    if (text[i] === '"') {
      const end = quotedStringEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    }
  }
  return -1;
}

/**
 * A command-line list of addresses (`--to a@contoso.com,b@fabrikam.com`): split on the commas that
 * are outside a quoted local part (`"a,b"@contoso.com`), an address literal and a path (a source
 * route `<@a,@b:user@d>` has commas of its own); items trimmed, empty ones dropped. An item is not
 * checked here: the policy or the categorizer refuses it with the reason.
 */
export function splitAddressList(text: string): string[] {
  const items: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === ',') {
      items.push(text.slice(start, i));
      start = i += 1;
      continue;
    }
    const end = groupEnd(text, i);
    i = end < 0 ? text.length : end; // an unclosed quote, path or literal runs to the end: one item
  }
  items.push(text.slice(start));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Where the quoted string, path or address literal that opens at `i` ends (after it); the next index for any other character; -1 when it is not closed. */
function groupEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return quotedStringEnd(text, i);
  if (c === '<') {
    const length = pathLength(text.slice(i));
    return length < 0 ? -1 : i + length;
  }
  if (c === '[') {
    const close = text.indexOf(']', i);
    return close < 0 ? -1 : close + 1;
  }
  return i + 1;
}

/** Where the quoted string opened at `start` ends (after its closing quote, `\` pairs skipped); -1 when it does not. */
function quotedStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/**
 * An address as given on the command line or in a route test file: `alice@contoso.com`, or the
 * path form `<alice@contoso.com>` (brackets stripped, a source route dropped) so that both mean
 * the same mailbox; `<>` is `''` (the null sender). Anything that is not a valid path is returned
 * with only its brackets removed, for the policy or the categorizer to refuse with the reason.
 */
export function unbracket(text: string): string {
  const t = text.trim();
  if (!t.startsWith('<') || !t.endsWith('>')) return t;
  const path = parsePath(t, { utf8: true });
  if (path.ok) return path.mailbox?.canonical ?? '';
  return t.slice(1, -1).trim();
}

/** The recipients of `--to` values (route plan, route inbound): each value one address or a comma list of them (splitAddressList), in either form unbracket takes. */
export function addressArguments(values: readonly string[]): string[] {
  return values.flatMap(splitAddressList).map(unbracket);
}

type Scan = { ok: true; value: string; raw: string; end: number } | { ok: false; reason: string };

/** RFC 5321 Local-part = Dot-string / Quoted-string; returns where it ends. */
function scanLocalPart(text: string, utf8: boolean): Scan {
  if (text.startsWith('"')) {
    let value = '';
    let i = 1;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined) return fail('the quoted local part ends inside a \\ escape');
        if (!isQtextChar(next, utf8, true)) return fail(nonAsciiOr(next, utf8, `"\\${next}" is not a valid quoted pair`));
        value += next;
        i++;
        continue;
      }
      if (!isQtextChar(c, utf8, false)) return fail(nonAsciiOr(c, utf8, `"${c}" may not appear unescaped inside a quoted local part`));
      value += c;
    }
    if (i >= text.length) return fail('the quoted local part has no closing quote');
    return { ok: true, value, raw: text.slice(0, i + 1), end: i + 1 };
  }
  let i = 0;
  let atomStart = true;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '@') break;
    if (c === '.') {
      if (atomStart) return fail(i === 0 ? 'the local part may not start with a dot' : 'the local part may not contain two dots in a row');
      atomStart = true;
      continue;
    }
    if (!isAtext(c, utf8)) {
      if (c === '"') return fail('a quote may only enclose the whole local part ("…"@domain)');
      return fail(nonAsciiOr(c, utf8, `"${c}" is not allowed in an unquoted local part (quote the local part)`));
    }
    atomStart = false;
  }
  if (i === 0) return fail(text.startsWith('@') ? 'the local part before @ is empty' : 'the address is empty');
  if (atomStart) return fail('the local part may not end with a dot');
  return { ok: true, value: text.slice(0, i), raw: text.slice(0, i), end: i };
}

function isAtext(c: string, utf8: boolean): boolean {
  const code = c.charCodeAt(0);
  return code < 128 ? ATEXT_CODES[code] === 1 : utf8;
}

/** qtextSMTP is %d32-33 / %d35-91 / %d93-126; a quoted pair takes any of %d32-126. */
function isQtextChar(c: string, utf8: boolean, pair: boolean): boolean {
  if (c > '\u007f') return utf8;
  const code = c.charCodeAt(0);
  if (code < 32 || code > 126) return false;
  return pair || (c !== '"' && c !== '\\');
}

function nonAsciiOr(c: string, utf8: boolean, reason: string): string {
  return c > '\u007f' && !utf8 ? `"${c}" is not ASCII: such an address needs SMTPUTF8 (RFC 6531)` : reason;
}

/** The local part written the shortest way: a dot-atom when it is one, else quoted with `\` for `"` and `\`. */
function canonicalLocalPart(value: string): string {
  const dotAtom = value !== '' && value.split('.').every((atom) => atom.length > 0 && [...atom].every((c) => isAtext(c, true)));
  return dotAtom ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

type DomainParse = { ok: true; value: string; written: string; literal?: string } | { ok: false; reason: string };

/** RFC 5321 Domain, with U-labels (RFC 6531) when `utf8`. */
export function parseDomain(text: string, utf8: boolean): DomainParse {
  if (text.endsWith('.')) return fail(`the domain "${text}" may not end with a dot`);
  const written = text.normalize('NFC').toLowerCase();
  const labels = written.split('.');
  const ascii: string[] = [];
  for (const label of labels) {
    if (label === '') return fail(`the domain "${text}" has an empty label (two dots in a row, or a leading dot)`);
    if (/^[\u0000-\u007f]*$/.test(label)) {
      if (!LDH_LABEL.test(label)) {
        return fail(
          label.length > 63
            ? `the domain label "${label}" is longer than 63 octets`
            : `"${label}" is not a domain label (letters, digits and inner hyphens; no "_", "@", brackets or spaces)`,
        );
      }
      ascii.push(label);
      continue;
    }
    if (!utf8) return fail(`the domain "${text}" is not ASCII: such an address needs SMTPUTF8 (RFC 6531)`);
    const aLabel = toALabel(label);
    if (!aLabel) return fail(`"${label}" is not a valid internationalized domain label (IDNA)`);
    ascii.push(aLabel);
  }
  const value = ascii.join('.');
  if (octets(value) > MAX_DOMAIN_OCTETS || octets(written) > MAX_DOMAIN_OCTETS) return fail(`the domain is longer than ${MAX_DOMAIN_OCTETS} octets (RFC 5321 4.5.3.1.2)`);
  return { ok: true, value, written };
}

/**
 * A domain name as routing compares it (accepted domains R62, address spaces R101, addresses): NFC,
 * lower case, each U-label as its A-label (the IDNA of `parseDomain`), so that `bücher.example` and
 * `xn--bcher-kva.example` are one domain whichever form the config or the address uses. ASCII labels
 * are kept as they are: their syntax (`*`, `_`) is the caller's rule. undefined when a non-ASCII
 * label is not a valid internationalized label.
 */
export function asciiDomain(name: string): string | undefined {
  if (PRINTABLE_ASCII.test(name)) return name.toLowerCase();
  const labels: string[] = [];
  for (const label of name.normalize('NFC').toLowerCase().split('.')) {
    const aLabel = /^[\u0000-\u007f]*$/.test(label) ? label : toALabel(label);
    if (aLabel === undefined) return undefined;
    labels.push(aLabel);
  }
  return labels.join('.');
}

/** A domain as routing keys it: `asciiDomain`, or lower case when that refuses it (validation reports such a name, V40/V30). */
export function domainKey(name: string): string {
  const trimmed = name.trim();
  return asciiDomain(trimmed) ?? trimmed.toLowerCase();
}

/** One U-label to its A-label with the WHATWG URL parser's IDNA (UTS #46) processing; undefined when refused. */
function toALabel(label: string): string | undefined {
  if (/[\s/\\?#@:%[\]]/.test(label)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${label}/`).hostname;
  } catch {
    return undefined;
  }
  // The URL parser maps some characters (fullwidth dots, case) itself; a label must stay one label.
  if (host.includes('.') || !host.startsWith('xn--') || !LDH_LABEL.test(host)) return undefined;
  return host;
}

/** `[1.2.3.4]` or `[IPv6:…]` (RFC 5321 4.1.3). */
function parseAddressLiteral(text: string): DomainParse {
  if (!text.endsWith(']') || text.indexOf(']') !== text.length - 1) return fail(`the address literal "${text}" must end with "]" and nothing after it`);
  const inner = text.slice(1, -1);
  const tagged = /^([A-Za-z0-9-]*[A-Za-z0-9]):(.*)$/.exec(inner);
  if (tagged && tagged[1]!.toLowerCase() === 'ipv6') {
    const ipv6 = tagged[2]!.toLowerCase();
    if (!isIpv6Literal(ipv6)) return fail(`"${text}" is not an IPv6 address literal such as [IPv6:2001:db8::1] (RFC 5321 4.1.3; no zone id)`);
    return { ok: true, value: `[ipv6:${ipv6}]`, written: `[IPv6:${ipv6}]`, literal: ipv6 };
  }
  if (tagged) return fail(`"${text}": the address literal tag "${tagged[1]}" is not registered (only IPv6 is, RFC 5321 4.1.3)`);
  const ipv4 = ipv4Literal(inner);
  if (ipv4 === undefined) return fail(`"${text}" is not an address literal such as [192.0.2.1] or [IPv6:2001:db8::1]`);
  return { ok: true, value: `[${ipv4}]`, written: `[${ipv4}]`, literal: ipv4 };
}

/** IPv4-address-literal = Snum 3("." Snum), Snum 0–255 in 1–3 digits; written back without leading zeros. */
function ipv4Literal(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number).join('.');
}

/** IPv6-full, IPv6-comp, IPv6v4-full, IPv6v4-comp of RFC 5321 4.1.3 (at most 6 groups beside "::", 4 with an IPv4 tail). */
function isIpv6Literal(text: string): boolean {
  const hex = (group: string) => /^[0-9a-f]{1,4}$/.test(group);
  let body = text;
  let groups = 8;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    if (ipv4Literal(text.slice(lastColon + 1)) === undefined) return false;
    body = text.slice(0, lastColon + 1);
    // keep the trailing ':' only when it is part of '::'
    body = body.endsWith('::') ? body : body.slice(0, -1);
    groups = 6;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const split = (half: string) => (half === '' ? [] : half.split(':'));
  if (halves.length === 1) {
    const all = split(body);
    return all.length === groups && all.every(hex);
  }
  const left = split(halves[0]!);
  const right = split(halves[1]!);
  // "::" stands for at least two groups of zeros, so at most groups − 2 others (RFC 5321 4.1.3).
  return left.every(hex) && right.every(hex) && left.length + right.length <= groups - 2;
}

function octets(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let n = 0;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    n += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return n;
}

/** No lone surrogates (they have no UTF-8 form). */
function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
