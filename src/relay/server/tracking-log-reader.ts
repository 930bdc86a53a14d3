/**
 * Reads a relay's message-tracking log (`logs/tracking.log`, written by logs.ts: one pino JSON
 * line per event) as a stream, line by line, so a log of any size is read in constant memory.
 *
 * A log is appended to while it is read, and a relay that crashed may have left half a line at the
 * end: a last line without its newline that does not parse is counted as torn, not as an error. Any
 * other line that is not a JSON object is skipped and counted, so the reader can say how many.
 *
 * `needles` is a cheap filter before JSON.parse: a line that contains none of them is not parsed
 * (the caller looks for one message among many), only checked to be `{…}`, so a line of another
 * shape is counted whatever it holds.
 *
 * Security: reads one file; never writes.
 */
import { createReadStream } from 'node:fs';

export interface TrackingLine {
  /** The logged fields as written (eventId, messageId, time, …). */
  fields: Record<string, unknown>;
  /** 0-based position in the file, for a stable order among equal timestamps. */
  index: number;
}

export interface TrackingLogStats {
  /** Lines that were read (parsed or not). */
  lines: number;
  /** Lines that are not a JSON object (a torn last line excluded). */
  skipped: number;
  /** The last line had no newline and did not parse: a write cut short (crash). */
  torn: boolean;
}

export async function readTrackingLog(file: string, needles: readonly string[], onLine: (line: TrackingLine) => void): Promise<TrackingLogStats> {
  const stats: TrackingLogStats = { lines: 0, skipped: 0, torn: false };
  let rest = '';
  const handle = (text: string, terminated: boolean): void => {
    const index = stats.lines++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    const unusable = () => (terminated ? stats.skipped++ : (stats.torn = true));
    // A line the filter passes over is still looked at for its shape, so that it is counted too.
    if (needles.length > 0 && !needles.some((n) => text.includes(n))) {
      if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) unusable();
      return;
    }
    let fields: unknown;
    try {
      fields = JSON.parse(trimmed);
    } catch {
      unusable();
      return;
    }
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      stats.skipped++;
      return;
    }
    onLine({ fields: fields as Record<string, unknown>, index });
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) handle(line, true);
  }
  if (rest !== '') handle(rest, false);
  return stats;
}
