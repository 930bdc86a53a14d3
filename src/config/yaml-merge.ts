/**
 * Keep the user's bytes: the yaml package re-renders a whole document (moving trailing comments,
 * dropping alignment spaces), so an edit is applied as a three-way line merge instead:
 * base = the unchanged document re-rendered, ours = the file as it is, theirs = the edited
 * document re-rendered. Lines the edit did not touch come from the file; lines it touched come
 * from the edited rendering. Where both differ from base (an edit on a line the user formatted by
 * hand), the edit wins for those lines only.
 */
import { diffArrays } from 'diff';

export function mergeLines(ours: string, base: string, theirs: string): string {
  const o = splitLines(ours);
  const b = splitLines(base);
  const t = splitLines(theirs);
  const toO = matchOf(b, o);
  const toT = matchOf(b, t);
  const out: string[] = [];
  let [pb, po, pt] = [-1, -1, -1];
  const flush = (nb: number, no: number, nt: number) => {
    const bChunk = b.slice(pb + 1, nb);
    const oChunk = o.slice(po + 1, no);
    const tChunk = t.slice(pt + 1, nt);
    if (same(oChunk, bChunk)) out.push(...tChunk);
    else if (same(tChunk, bChunk)) out.push(...oChunk);
    else out.push(...tChunk);
  };
  for (let i = 0; i < b.length; i++) {
    const oi = toO[i]!;
    const ti = toT[i]!;
    if (oi < 0 || ti < 0 || oi <= po || ti <= pt) continue;
    flush(i, oi, ti);
    out.push(o[oi]!);
    [pb, po, pt] = [i, oi, ti];
  }
  flush(b.length, o.length, t.length);
  return out.join('');
}

/** Lines with their line ends, so that CRLF files and a missing final newline survive. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** For each line of `from`, the index of the equal line of `to` in a longest common subsequence, or -1. */
function matchOf(from: string[], to: string[]): number[] {
  const result = new Array<number>(from.length).fill(-1);
  let i = 0;
  let j = 0;
  for (const change of diffArrays(from.map(normalizeEnd), to.map(normalizeEnd))) {
    const n = change.count ?? change.value.length;
    if (change.added) j += n;
    else if (change.removed) i += n;
    else for (let k = 0; k < n; k++) result[i++] = j++;
  }
  return result;
}

function normalizeEnd(line: string): string {
  return line.replace(/\r?\n$/, '\n');
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => normalizeEnd(line) === normalizeEnd(b[i]!));
}
