/**
 * Sizes and durations in the forms admins meet in Exchange: `35MB`, `36700160`, `unlimited`,
 * `35 MB (36,700,160 bytes)`; `5m`, `2d`, `00:05:00`, `2.00:00:00`.
 * Hand-written because no library reads Exchange's display forms (ByteQuantifiedSize, TimeSpan).
 */

/** Bytes; `Infinity` stands for Exchange's `Unlimited`. */
export type ByteSize = number;
/** Milliseconds. */
export type Duration = number;

const UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseSize(input: number | string): Parsed<ByteSize> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, error: `a size must be a number of bytes or "unlimited", not ${yamlNumber(input)}` };
    return Number.isSafeInteger(input) && input >= 0
      ? { ok: true, value: input }
      : { ok: false, error: `a size in bytes must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${input}` };
  }
  const text = input.trim();
  if (/^unlimited$/i.test(text)) return { ok: true, value: Infinity };
  // Exchange's display form: "35 MB (36,700,160 bytes)": the bytes in brackets are authoritative.
  const display = /^\d+(?:\.\d+)?\s*[KMGT]?B\s*\(([\d,]+)\s*bytes\)$/i.exec(text);
  if (display) {
    const bytes = Number(display[1]!.replace(/,/g, ''));
    if (Number.isSafeInteger(bytes)) return { ok: true, value: bytes };
    return { ok: false, error: `"${input}" is too large a size (at most ${Number.MAX_SAFE_INTEGER} bytes)` };
  }
  const plain = /^(\d+(?:\.\d+)?)\s*([KMGT]?B)?$/i.exec(text.replace(/,/g, ''));
  if (plain) {
    const bytes = Number(plain[1]) * UNIT[(plain[2] ?? 'B').toUpperCase()]!;
    if (Number.isSafeInteger(Math.round(bytes))) return { ok: true, value: Math.round(bytes) };
    return { ok: false, error: `"${input}" is too large a size (at most ${Number.MAX_SAFE_INTEGER} bytes)` };
  }
  return { ok: false, error: `"${input}" is not a size: write 35MB, 36700160, unlimited or "35 MB (36,700,160 bytes)"` };
}

export function formatSize(bytes: ByteSize): string {
  if (bytes === Infinity) return 'unlimited';
  for (const unit of ['TB', 'GB', 'MB', 'KB'] as const) {
    const factor = UNIT[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}

/** Exchange's display form, e.g. `35 MB (36,700,160 bytes)`. */
export function formatSizeExchange(bytes: ByteSize): string {
  if (bytes === Infinity) return 'Unlimited';
  const units = ['GB', 'MB', 'KB'] as const;
  const unit = units.find((u) => bytes >= UNIT[u]!) ?? 'B';
  const value = bytes / UNIT[unit]!;
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${unit} (${bytes.toLocaleString('en-US')} bytes)`;
}

const DURATION_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The longest duration mxt takes: Exchange's TimeSpan.MaxValue is about 10,675,199 days; anything
 * past it (and every number that loses precision as milliseconds) is a typo, not a setting.
 */
export const MAX_DURATION_MS = 10_675_199 * 86_400_000;

export function parseDuration(input: number | string): Parsed<Duration> {
  const bounded = (ms: number): Parsed<Duration> =>
    Number.isFinite(ms) && ms <= MAX_DURATION_MS
      ? { ok: true, value: ms }
      : { ok: false, error: `"${input}" is too long a duration (at most 10675199 days, Exchange's TimeSpan limit); write unlimited for no limit` };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, error: `a duration must be a number of seconds or "unlimited", not ${yamlNumber(input)}` };
    return input >= 0 ? bounded(Math.round(input * 1000)) : { ok: false, error: `a duration in seconds must be ≥ 0, got ${input}` };
  }
  const text = input.trim();
  if (/^unlimited$/i.test(text)) return { ok: true, value: Infinity };
  // TimeSpan: [d.]hh:mm:ss[.fff]
  const span = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text);
  if (span) {
    const [, d, h, m, s, frac] = span;
    if (Number(m) > 59 || Number(s) > 59 || Number(h) > 23) {
      return { ok: false, error: `"${input}" is not a valid TimeSpan (hours ≤ 23, minutes and seconds ≤ 59)` };
    }
    const ms = Math.round(Number(`0.${frac ?? '0'}`) * 1000);
    return bounded(((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000 + ms);
  }
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gi)];
  if (parts.length > 0 && parts.map((p) => p[0]).join('').replace(/\s/g, '') === text.replace(/\s/g, '')) {
    return bounded(Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNIT[p[2]!.toLowerCase()]!, 0)));
  }
  return { ok: false, error: `"${input}" is not a duration: write 5m, 4h, 2d or a TimeSpan such as 00:05:00 or 2.00:00:00` };
}

/** NaN and ±Infinity as YAML writes them (`.nan`, `.inf`), which is how they reached us. */
export function yamlNumber(value: number): string {
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}

export function formatDuration(ms: Duration): string {
  if (ms === Infinity) return 'unlimited';
  for (const [unit, factor] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

/** Exchange TimeSpan `d.hh:mm:ss[.fff]` (R187); the fraction only when there is one. */
export function formatTimeSpan(ms: Duration): string {
  const total = Math.floor(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  const fraction = ms % 1000 === 0 ? '' : `.${String(ms % 1000).padStart(3, '0')}`;
  return `${d > 0 ? `${d}.` : ''}${hms}${fraction}`;
}
