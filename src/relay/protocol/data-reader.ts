/**
 * DATA content (RFC 5321 4.1.1.4, 4.5.2) read as a state machine over bytes: dot-unstuffing, and the one end of data
 * that counts, CRLF "." CRLF. A bare LF or bare CR never ends a line for this purpose, so none of the
 * SMTP smuggling vectors (`\n.\n`, `\r.\r`, `\n.\r\n`, `\r.\n`, `\r\n.\n`, `\r\n.\r`, with or without
 * NUL) can end the message early and slip a second one past us. Bare line endings are recorded (the
 * session rejects the message by default) or, in `normalize` mode, rewritten to CRLF. NUL is recorded.
 *
 * Content beyond `limit` bytes is counted but not kept, so an oversized message cannot fill memory.
 */

export type BareLineEndings = 'reject' | 'normalize';

const CR = 13;
const LF = 10;
const DOT = 46;

const enum State {
  /** Start of a line that followed CRLF (or the start of the data). */
  LineStart,
  /** "." seen at the start of such a line. */
  Dot,
  /** ".\r" seen at the start of such a line. */
  DotCr,
  /** Inside a line, or at the start of one that followed a bare line ending. */
  Mid,
  /** CR seen inside a line. */
  MidCr,
}

export interface DataResult {
  content: Buffer;
  /** Bytes of content after unstuffing, kept or not. */
  size: number;
  truncated: boolean;
  bareLineEnding: boolean;
  nul: boolean;
}

export class DataReader {
  private state = State.LineStart;
  private readonly store: ChunkCollector;
  private bare = false;
  private nul = false;

  constructor(
    limit: number,
    private readonly mode: BareLineEndings,
  ) {
    this.store = new ChunkCollector(limit);
  }

  /**
   * Consume bytes of `chunk` from `start`. Returns the offset just after CRLF.CRLF when the data ended
   * there, or -1 when all of the chunk was content.
   */
  feed(chunk: Buffer, start = 0): number {
    // Only normalize mode writes more than it reads (a bare CR or LF becomes CRLF).
    const out = Buffer.allocUnsafe((chunk.length - start) * (this.mode === 'normalize' ? 2 : 1) + 2);
    let n = 0;
    let end = -1;
    let i = start;
    // Inside a line only CR, LF and NUL matter: the bytes up to the next CR or LF are copied in one
    // go. Each next position is searched once and kept until passed (linear in the chunk, whatever
    // it holds); chunk.length stands for "none left".
    let nextCr = -1;
    let nextLf = -1;
    let nextNul = -1;
    const next = (byte: number, from: number): number => {
      const at = chunk.indexOf(byte, from);
      return at < 0 ? chunk.length : at;
    };
    /** A bare CR or LF: kept as it is (the message is refused later), or made CRLF in normalize mode. */
    const bareEnding = (byte: number): void => {
      this.bare = true;
      if (this.mode === 'normalize') {
        out[n++] = CR;
        out[n++] = LF;
      } else out[n++] = byte;
    };
    while (i < chunk.length) {
      const b = chunk[i]!;
      switch (this.state) {
        case State.LineStart:
          if (b === DOT) {
            this.state = State.Dot;
            i += 1;
            continue;
          }
          this.state = State.Mid;
          continue; // the same byte, now inside the line
        case State.Dot:
          if (b === CR) {
            this.state = State.DotCr;
            i += 1;
            continue;
          }
          this.state = State.Mid; // a stuffed dot: dropped (4.5.2)
          continue;
        case State.DotCr:
          if (b === LF) {
            end = i + 1;
            break;
          }
          // ".\r" then something else: a bare CR after a lone dot, never the end of data.
          bareEnding(CR);
          this.state = State.Mid;
          continue;
        case State.Mid: {
          if (nextCr < i) nextCr = next(CR, i);
          if (nextLf < i) nextLf = next(LF, i);
          const run = Math.min(nextCr, nextLf);
          if (run > i) {
            if (nextNul < i) nextNul = next(0, i);
            if (nextNul < run) this.nul = true;
            chunk.copy(out, n, i, run);
            n += run - i;
            i = run;
            continue;
          }
          if (b === CR) this.state = State.MidCr;
          // The next line began after a bare LF: a dot there is content, not a terminator.
          else bareEnding(LF);
          i += 1;
          continue;
        }
        case State.MidCr:
          if (b === LF) {
            out[n++] = CR;
            out[n++] = LF;
            this.state = State.LineStart;
            i += 1;
            continue;
          }
          bareEnding(CR);
          this.state = State.Mid;
          continue; // reprocess b inside the line
      }
      break;
    }
    this.store.add(out.subarray(0, n), true);
    return end;
  }

  result(): DataResult {
    return { content: this.store.content(), size: this.store.size, truncated: this.store.truncated, bareLineEnding: this.bare, nul: this.nul };
  }
}

/** BDAT chunks (RFC 3030): octet-counted, taken as they are, with the same memory cap. */
export class ChunkCollector {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  /** `owned`: the caller hands the bytes over (no copy); otherwise they are copied (a view of a reused buffer). */
  add(bytes: Buffer, owned = false): void {
    this.size += bytes.length;
    if (this.truncated) return;
    if (this.kept + bytes.length > this.limit) {
      this.truncated = true;
      this.parts.length = 0;
      return;
    }
    this.parts.push(owned ? bytes : Buffer.from(bytes));
    this.kept += bytes.length;
  }

  content(): Buffer {
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }
}
