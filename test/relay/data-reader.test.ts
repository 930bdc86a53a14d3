/**
 * The DATA reader against a reference written for the whole input at once (RFC 5321 4.1.1.4, 4.5.2):
 * random content over the bytes that matter (CR, LF, ".", NUL and one other), split into random
 * chunks, must give the same end of data, content and flags however it is split. The reader copies
 * runs between line endings in bulk; this is what keeps that equal to reading byte by byte.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/core/synthetic/org.js';
import { DataReader, type BareLineEndings } from '../../src/relay/protocol/data-reader.js';

const CR = 13;
const LF = 10;
const DOT = 46;

interface Read {
  end: number;
  content: number[];
  bare: boolean;
  nul: boolean;
}

/** Only CRLF "." CRLF ends the data; a "." opening a line after CRLF is dropped; bare CR or LF is flagged. */
function reference(input: Buffer, mode: BareLineEndings): Read {
  const content: number[] = [];
  let bare = false;
  let nul = false;
  const bareEnding = (byte: number): void => {
    bare = true;
    if (mode === 'normalize') content.push(CR, LF);
    else content.push(byte);
  };
  let lineStart = true;
  for (let i = 0; i < input.length; ) {
    if (lineStart) {
      lineStart = false;
      if (input[i] === DOT) {
        if (input[i + 1] === CR && input[i + 2] === LF) return { end: i + 3, content, bare, nul };
        i += 1;
        continue;
      }
    }
    const b = input[i]!;
    if (b === CR && input[i + 1] === LF) {
      content.push(CR, LF);
      i += 2;
      lineStart = true;
    } else if (b === CR || b === LF) {
      bareEnding(b);
      i += 1;
    } else {
      if (b === 0) nul = true;
      content.push(b);
      i += 1;
    }
  }
  return { end: -1, content, bare, nul };
}

/** The reader fed `input` in the given chunk sizes; `end` counts from the start of the input. */
function chunked(input: Buffer, sizes: number[], mode: BareLineEndings): Read {
  const reader = new DataReader(1 << 20, mode);
  let at = 0;
  for (const size of sizes) {
    const chunk = input.subarray(at, at + size);
    const end = reader.feed(chunk);
    if (end >= 0) {
      const r = reader.result();
      return { end: at + end, content: [...r.content], bare: r.bareLineEnding, nul: r.nul };
    }
    at += size;
  }
  const r = reader.result();
  return { end: -1, content: [...r.content], bare: r.bareLineEnding, nul: r.nul };
}

describe('DATA reader', () => {
  const alphabet = [CR, LF, DOT, 0, 0x61];
  for (const mode of ['reject', 'normalize'] as const) {
    it(`${mode}: 3,000 random inputs in random chunks read as the whole-input reference reads them`, () => {
      const random = prng(mode === 'reject' ? 7 : 8);
      for (let round = 0; round < 3000; round++) {
        const length = Math.floor(random() * 120);
        // Mostly ordinary bytes, so that runs between line endings are long enough to matter.
        const body = Array.from({ length }, () => (random() < 0.6 ? 0x61 : alphabet[Math.floor(random() * alphabet.length)]!));
        const input = Buffer.from([...body, CR, LF, DOT, CR, LF, 0x51, 0x55, 0x49, 0x54]);
        const sizes: number[] = [];
        for (let left = input.length; left > 0; ) {
          const size = Math.min(left, 1 + Math.floor(random() * 12));
          sizes.push(size);
          left -= size;
        }
        const expected = reference(input, mode);
        expect(chunked(input, sizes, mode), `${JSON.stringify(input.toString('latin1'))} in ${sizes.join(',')}`).toEqual(expected);
        expect(chunked(input, [input.length], mode)).toEqual(expected);
      }
    });
  }
});
