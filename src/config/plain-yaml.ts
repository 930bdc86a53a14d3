/**
 * A fast reader for the plain YAML that topologies are written in: block mappings and sequences,
 * flow collections (`{ name: S0, site: S1 }`, `[a, b]`, JSON), one-line plain and quoted scalars,
 * comments. It gives the same value as yaml's Document (`toJS()`) and the source ranges that
 * locating a finding needs, in a fraction of the time: the yaml library spends seconds on a 5 MB
 * file building a Document with every token and comment (issue 7, item 8).
 *
 * Anything outside that subset, or that would need yaml's judgement, is not read here: the caller
 * reads the text with yaml's Document, exactly as before, and reports what it finds. That includes
 * every error (bad indentation, duplicate keys, a tab), anchors, aliases, tags, `<<`, directives,
 * several documents, a byte order mark, block scalars (`|`, `>`), explicit keys (`?`), empty values,
 * keys that are not strings, scalars over several lines, double-quoted escapes, carriage returns,
 * and nesting near the depth limit. So a value read here is one yaml reads the same way, and
 * plain-yaml.test.ts feeds tricky inputs and every example through both to hold it to that.
 */
import { isScalar, Schema } from 'yaml';

/** Source ranges of one mapping or sequence, in yaml's terms (`node.range[0]`, `node.range[1]`). */
export interface CollectionSpans {
  start: number;
  /**
   * UNKNOWN_END when comment lines follow the collection's last entry: yaml counts some of them
   * into the range and not others, and only its Document tells which.
   */
  end: number;
  /** A mapping's keys, in the order of the file; undefined for a sequence. */
  keys?: string[];
  /**
   * A mapping: [keyStart, keyEnd, valueStart, valueEnd] per entry; a sequence: [start, end] per
   * item. The value's span is that of a scalar; a collection's own spans have its range.
   */
  spans: number[];
}

export const UNKNOWN_END = -1;

export interface PlainYaml {
  value: unknown;
  /** The spans of every mapping and sequence in `value`. */
  spans: Map<object, CollectionSpans>;
}

/** The value and spans of `text`, or undefined when it is not plain YAML (see above): read it with yaml. */
export function readPlainYaml(text: string, maxDepth: number): PlainYaml | undefined {
  if (UNREAD_CHARACTERS.test(text)) return undefined;
  try {
    return new PlainReader(text, maxDepth).read();
  } catch (error) {
    if (error === notPlain) return undefined;
    throw error;
  }
}

/**
 * Tabs, carriage returns and other control characters, the byte order mark, and the characters
 * YAML 1.1 took for line breaks: where they stand changes how yaml reads a line.
 */
// eslint-disable-next-line no-control-regex
const UNREAD_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Thrown (and caught above) as soon as the text leaves the subset. */
const notPlain = new (class NotPlain {})();
function leave(): never {
  throw notPlain;
}

/** The YAML 1.2 core schema's tags that resolve a plain scalar by its text (null, bool, int, float), from yaml itself. */
const resolvingTags = new Schema({}).tags.flatMap((tag) => (tag.default === true && 'test' in tag && tag.test ? [{ test: tag.test, resolve: tag.resolve }] : []));
const RESOLVE_OPTIONS = { intAsBigInt: false };

/** A plain scalar's value, resolved as yaml's core schema does: `1e3` is 1000, `yes` a string, `~` null. */
function resolvePlain(source: string): unknown {
  for (const tag of resolvingTags) {
    if (tag.test.test(source)) {
      const value: unknown = tag.resolve(source, leave, RESOLVE_OPTIONS);
      return isScalar(value) ? value.value : value;
    }
  }
  return source;
}

/** The character codes the reader looks at. */
const [NL, SPACE, HASH, COLON, COMMA, DASH, SQUOTE, DQUOTE, BACKSLASH, LBRACKET, RBRACKET, LBRACE, RBRACE] = Array.from('\n #:,-\'"\\[]{}', (c) => c.charCodeAt(0));

/** YAML's indicators: a plain scalar here starts with none of them (`-` before a non-space aside, see plain()). */
const INDICATORS = new Set(Array.from('-?:,[]{}#&*!|>\'"%@`', (c) => c.charCodeAt(0)));

function startsIndicator(c: number): boolean {
  return INDICATORS.has(c);
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Longest implicit key yaml takes in strict mode is 1024 characters; longer ones are its to report. */
const MAX_KEY_LENGTH = 1000;

/**
 * A key as written (`length`: in the source, quotes included) that is only a name: `<<` (a merge key
 * in YAML 1.1) and `__proto__` (which yaml's toJS() defines as an own property) are yaml's to read.
 */
function checkedKey(key: string, length: number): string {
  if (length > MAX_KEY_LENGTH || key === '<<' || key === '__proto__') leave();
  return key;
}

class PlainReader {
  private readonly len: number;
  readonly spans = new Map<object, CollectionSpans>();
  /** After a block collection: the offset of the next line's first character (len at the end)… */
  private next = 0;
  /** …that line's indent (-1 at the end)… */
  private nextIndent = -1;
  /** …whether comment-only lines came before it… */
  private sawComment = false;
  /** …and where the collection's last entry ended, trailing space, comment and line break included. */
  private lastEnd = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.len = text.length;
  }

  private code(p: number): number {
    return this.text.charCodeAt(p);
  }

  read(): PlainYaml {
    let p = this.skipToContent(0);
    if (p < this.len && this.nextIndent === 0 && this.text.startsWith('---', p)) {
      // A document start marker, alone on its line.
      p = this.lineEnd(p + 3, true);
      p = this.skipToContent(p);
    }
    if (p >= this.len || this.nextIndent !== 0) leave();
    let value: unknown;
    const c = this.code(p);
    if (c === LBRACE || c === LBRACKET) {
      // A flow collection at the root (JSON): nothing but comments may follow it.
      value = this.flow(p, -1);
      this.skipToContent(this.lineEnd(this.next, false));
    } else {
      value = this.blockMap(p, 0);
    }
    if (!this.atEnd()) leave();
    return { value, spans: this.spans };
  }

  private atEnd(): boolean {
    return this.nextIndent === -1;
  }

  /**
   * From the start of a line: past blank and comment-only lines, to the first character of the next
   * line with content. Sets nextIndent (-1 at the end) and sawComment.
   */
  private skipToContent(from: number): number {
    let p = from;
    this.sawComment = false;
    for (;;) {
      const lineStart = p;
      while (p < this.len && this.code(p) === SPACE) p++;
      if (p >= this.len) {
        this.nextIndent = -1;
        return this.len;
      }
      const c = this.code(p);
      if (c === NL) {
        p++;
        continue;
      }
      if (c === HASH) {
        this.sawComment = true;
        const nl = this.text.indexOf('\n', p);
        if (nl < 0) {
          this.nextIndent = -1;
          return this.len;
        }
        p = nl + 1;
        continue;
      }
      this.nextIndent = p - lineStart;
      if (this.nextIndent === 0 && (this.text.startsWith('---', p) || this.text.startsWith('...', p)) && lineStart !== 0) leave();
      return p;
    }
  }

  /**
   * After a node on its line: spaces, a comment (after a space), the line break. Returns the offset
   * past the line break (yaml's `range[2]` of the node). `spaceBefore`: whether a comment may
   * directly follow (the node ended at a space).
   */
  private lineEnd(from: number, spaceBefore: boolean): number {
    let p = from;
    while (p < this.len && this.code(p) === SPACE) p++;
    if (p >= this.len) return this.len;
    const c = this.code(p);
    if (c === HASH) {
      if (p === from && !spaceBefore) leave();
      const nl = this.text.indexOf('\n', p);
      return nl < 0 ? this.len : nl + 1;
    }
    if (c === NL) return p + 1;
    return leave();
  }

  private enter(): void {
    if (++this.depth >= this.maxDepth) leave();
  }

  /** A block mapping whose first key starts at `p`, in column `indent`. */
  private blockMap(start: number, indent: number): Record<string, unknown> {
    this.enter();
    const map: Record<string, unknown> = {};
    const keys: string[] = [];
    const spans: number[] = [];
    let p = start;
    for (;;) {
      const keyStart = p;
      const key = this.key(p);
      const keyEnd = this.next;
      if (Object.hasOwn(map, key)) leave();
      keys.push(key);
      p = keyEnd + 1; // past the ':'
      while (p < this.len && this.code(p) === SPACE) p++;
      const c = p < this.len ? this.code(p) : NL;
      if (c === NL || c === HASH) {
        // The value is the block collection on the next lines (an empty value is yaml's to judge).
        if (c === HASH && this.code(p - 1) !== SPACE) leave();
        const line = this.skipToContent(c === HASH ? this.lineEnd(p, true) : p + 1);
        const childIndent = this.nextIndent;
        const isSeq = this.code(line) === DASH && this.code(line + 1) === SPACE;
        let child: object;
        if (childIndent > indent) child = isSeq ? this.blockSeq(line, childIndent) : this.blockMap(line, childIndent);
        else if (childIndent === indent && isSeq) child = this.blockSeq(line, childIndent);
        else return leave();
        map[key] = child;
        spans.push(keyStart, keyEnd, -1, -1);
      } else {
        const valueStart = p;
        map[key] = this.inlineValue(p, indent, false);
        spans.push(keyStart, keyEnd, valueStart, this.next);
        this.afterInline();
      }
      // A line indented deeper than the keys, after a value, continues it or is an error: yaml's to read.
      if (this.nextIndent > indent) leave();
      if (this.nextIndent !== indent) break;
      p = this.next;
      if (this.code(p) === DASH && (this.code(p + 1) === SPACE || this.code(p + 1) === NL)) leave();
    }
    this.spans.set(map, { start, end: this.sawComment ? UNKNOWN_END : this.lastEnd, keys, spans });
    this.depth--;
    return map;
  }

  /** A block sequence whose first `- ` is at `p`, in column `indent`. */
  private blockSeq(start: number, indent: number): unknown[] {
    this.enter();
    const seq: unknown[] = [];
    const spans: number[] = [];
    let p = start;
    for (;;) {
      p += 2;
      while (p < this.len && this.code(p) === SPACE) p++;
      const itemStart = p;
      const c = p < this.len ? this.code(p) : NL;
      if (c === NL || c === HASH || (c === DASH && (this.code(p + 1) === SPACE || this.code(p + 1) === NL))) leave();
      if (this.isKeyLine(p)) {
        // `- name: x` opens a mapping in the column of its first key.
        const lineStart = this.text.lastIndexOf('\n', p - 1) + 1;
        seq.push(this.blockMap(p, p - lineStart));
        spans.push(itemStart, -1);
      } else {
        seq.push(this.inlineValue(p, indent, false));
        spans.push(itemStart, this.next);
        this.afterInline();
      }
      if (this.nextIndent > indent) leave();
      if (this.nextIndent !== indent) break;
      p = this.next;
      if (!(this.code(p) === DASH && this.code(p + 1) === SPACE)) break;
    }
    this.spans.set(seq, { start, end: this.sawComment ? UNKNOWN_END : this.lastEnd, spans });
    this.depth--;
    return seq;
  }

  /** After a scalar or flow collection that ends at this.next: the rest of its line, then to the next content. */
  private afterInline(): void {
    this.lastEnd = this.lineEnd(this.next, false);
    this.next = this.skipToContent(this.lastEnd);
  }

  /** Whether the line at `p` starts with a key and `: `: a plain or quoted key, as `key()` reads it. */
  private isKeyLine(p: number): boolean {
    const c = this.code(p);
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.quotedEnd(p);
      return this.code(close) === COLON;
    }
    if (startsIndicator(c)) return false;
    for (let q = p; q < this.len; q++) {
      const d = this.code(q);
      if (d === NL) return false;
      if (d === COLON) {
        const e = this.code(q + 1);
        if (e === SPACE || e === NL || q + 1 >= this.len) return true;
      }
      if (d === HASH && this.code(q - 1) === SPACE) return false;
    }
    return false;
  }

  /**
   * A block mapping's key at `p`, up to its `:` (then followed by a space or the line's end); this.next
   * is set to the offset of the `:`, which is also where the key ends (no space before the colon).
   */
  private key(p: number): string {
    const key = this.keyAt(p, false);
    const end = this.next;
    if (this.code(end) !== COLON) leave();
    const after = end + 1 < this.len ? this.code(end + 1) : NL;
    if (after !== SPACE && after !== NL) leave();
    return key;
  }

  /** A quoted or plain key at `p` (see plainKey); this.next is set to its end. */
  private keyAt(p: number, inFlow: boolean): string {
    const c = this.code(p);
    return c === SQUOTE || c === DQUOTE ? checkedKey(this.quoted(p), this.next - p) : this.plainKey(p, inFlow);
  }

  /**
   * A plain key at `p`, which ends at a `:` followed by a space, in a block also by the line's end
   * (`a:b` is part of the key there, in a flow yaml's to read). Keys are names: anything that could
   * make yaml read them otherwise (a comment, a quote, a flow indicator, a space before the colon, in
   * a flow any space) is its to read. this.next is set to the colon.
   */
  private plainKey(p: number, inFlow: boolean): string {
    if (startsIndicator(this.code(p))) leave();
    let q = p;
    for (;; q++) {
      if (q >= this.len) leave();
      const d = this.code(q);
      if (d === COLON) {
        const e = q + 1 < this.len ? this.code(q + 1) : NL;
        if (e === SPACE || (!inFlow && e === NL)) break;
        if (inFlow) leave();
      }
      if (d === NL || d === HASH || (inFlow && d === SPACE) || isFlowIndicator(d) || d === SQUOTE || d === DQUOTE || d === BACKSLASH) leave();
    }
    if (this.code(q - 1) === SPACE) leave();
    const key = this.text.slice(p, q);
    if (resolvePlain(key) !== key) leave();
    this.next = q;
    return checkedKey(key, q - p);
  }

  /**
   * A value that starts on its line at `p`: a flow collection, a quoted or a plain scalar. Sets
   * this.next to its end (before any trailing space). `indent`: the enclosing block's column,
   * which the lines of a flow collection must go beyond.
   */
  private inlineValue(p: number, indent: number, inFlow: boolean): unknown {
    const c = this.code(p);
    if (c === LBRACE || c === LBRACKET) return this.flow(p, indent);
    if (c === SQUOTE || c === DQUOTE) return this.quoted(p);
    return this.plain(p, inFlow);
  }

  /** A plain scalar on one line; this.next is set to its end. */
  private plain(p: number, inFlow: boolean): unknown {
    const c = this.code(p);
    if (startsIndicator(c)) {
      // `-1`, `-foo`: a dash starts a plain scalar when something other than a space follows it.
      if (c !== DASH || p + 1 >= this.len) leave();
      const d = this.code(p + 1);
      if (d === SPACE || d === NL || (inFlow && isFlowIndicator(d))) leave();
    }
    let q = p;
    let end = p;
    for (; q < this.len; q++) {
      const d = this.code(q);
      if (d === NL) break;
      if (d === SPACE) continue;
      if (d === HASH && this.code(q - 1) === SPACE) break;
      if (d === COLON) {
        const e = q + 1 < this.len ? this.code(q + 1) : NL;
        // `key: value` inside a value is a nested mapping, in a flow a pair: yaml's to read.
        if (e === SPACE || e === NL || (inFlow && isFlowIndicator(e))) leave();
      }
      if (inFlow && isFlowIndicator(d)) break;
      end = q + 1;
    }
    this.next = end;
    return resolvePlain(this.text.slice(p, end));
  }

  /** Offset of the closing quote of the one-line quoted scalar at `p`. */
  private quotedEnd(p: number): number {
    const quote = this.code(p);
    for (let q = p + 1; q < this.len; q++) {
      const d = this.code(q);
      if (d === NL || d === BACKSLASH) return leave();
      if (d === quote) {
        if (quote === SQUOTE && this.code(q + 1) === SQUOTE) {
          q++;
          continue;
        }
        return q + 1;
      }
    }
    return leave();
  }

  /** A one-line quoted scalar without escapes (a single-quoted one may double its quotes); this.next is set past its closing quote. */
  private quoted(p: number): string {
    const end = this.quotedEnd(p);
    this.next = end;
    const inner = this.text.slice(p + 1, end - 1);
    return this.code(p) === SQUOTE ? inner.replaceAll("''", "'") : inner;
  }

  /**
   * Past spaces, line breaks and comments inside a flow collection. Lines after the first must be
   * indented beyond `indent`, the enclosing block's column (-1 at the root).
   */
  private flowSpace(from: number, indent: number): number {
    let p = from;
    for (;;) {
      const c = p < this.len ? this.code(p) : -1;
      if (c === SPACE) p++;
      else if (c === NL) {
        p++;
        const lineStart = p;
        while (p < this.len && this.code(p) === SPACE) p++;
        const d = p < this.len ? this.code(p) : -1;
        if (d !== NL && d !== HASH && p - lineStart <= indent) leave();
        if (indent < 0 && p - lineStart === 0 && (this.text.startsWith('---', p) || this.text.startsWith('...', p))) leave();
      } else if (c === HASH) {
        const before = this.code(p - 1);
        if (before !== SPACE && before !== NL) leave();
        const nl = this.text.indexOf('\n', p);
        p = nl < 0 ? this.len : nl;
      } else return p;
    }
  }

  /** A flow mapping or sequence at `p`; this.next is set past its closing bracket. */
  private flow(start: number, indent: number): object {
    this.enter();
    const isMap = this.code(start) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    const keys: string[] = [];
    const spans: number[] = [];
    let p = this.flowSpace(start + 1, indent);
    while (this.code(p) !== close) {
      if (p >= this.len) leave();
      if (isMap) {
        const keyStart = p;
        const key = this.keyAt(p, true);
        const keyEnd = this.next;
        if (Object.hasOwn(map, key)) leave();
        keys.push(key);
        // `"a":1` (JSON) needs no space after the colon; a plain key does (see plainKey).
        p = keyEnd;
        while (this.code(p) === SPACE) p++;
        if (this.code(p) !== COLON) leave();
        p++;
        while (this.code(p) === SPACE) p++;
        const c = this.code(p);
        if (p >= this.len || c === NL || c === HASH || c === COMMA || c === close) leave();
        const valueStart = p;
        map[key] = this.flowValue(p, indent);
        spans.push(keyStart, keyEnd, valueStart, this.next);
      } else {
        const itemStart = p;
        seq.push(this.flowValue(p, indent));
        spans.push(itemStart, this.next);
      }
      p = this.flowSpace(this.next, indent);
      const c = this.code(p);
      if (c === COMMA) p = this.flowSpace(p + 1, indent);
      else if (c !== close) leave();
    }
    this.next = p + 1;
    const value = isMap ? map : seq;
    this.spans.set(value, isMap ? { start, end: p + 1, keys, spans } : { start, end: p + 1, spans });
    this.depth--;
    return value;
  }

  /** A value inside a flow collection; in a sequence, one that turns out to be a key (`[a: 1]`) is yaml's. */
  private flowValue(p: number, indent: number): unknown {
    const value = this.inlineValue(p, indent, true);
    let q = this.next;
    while (this.code(q) === SPACE) q++;
    if (this.code(q) === COLON) leave();
    return value;
  }
}
