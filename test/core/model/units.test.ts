import { describe, expect, it } from 'vitest';
import { formatSize, formatSizeExchange, formatTimeSpan, MAX_DURATION_MS, parseDuration, parseSize } from '../../../src/core/model/units.js';

const ok = <T>(r: { ok: boolean; value?: T }) => (r.ok ? r.value : undefined);

describe('sizes (product.md: 35MB, 36700160, unlimited, Exchange display form)', () => {
  it('reads plain, unit and display forms to bytes', () => {
    expect(ok(parseSize('35MB'))).toBe(36_700_160);
    expect(ok(parseSize('64 KB'))).toBe(65_536);
    expect(ok(parseSize(36_700_160))).toBe(36_700_160);
    expect(ok(parseSize('36700160'))).toBe(36_700_160);
    expect(ok(parseSize('35 MB (36,700,160 bytes)'))).toBe(36_700_160);
    expect(ok(parseSize('Unlimited'))).toBe(Infinity);
    expect(ok(parseSize('1.5GB'))).toBe(1_610_612_736);
  });
  it('refuses what is not a size, with a message', () => {
    for (const bad of ['35 MiB', 'big', '-1', '', '35MB extra']) {
      const r = parseSize(bad);
      expect(r.ok, bad).toBe(false);
    }
    expect(parseSize(-5).ok).toBe(false);
    expect(parseSize(1.5).ok).toBe(false);
  });
  it('formats back in both forms (R187, spec 0.1)', () => {
    expect(formatSize(36_700_160)).toBe('35MB');
    expect(formatSize(Infinity)).toBe('unlimited');
    expect(formatSize(1000)).toBe('1000B');
    expect(formatSizeExchange(36_700_160)).toBe('35 MB (36,700,160 bytes)');
    expect(formatSizeExchange(37_748_736)).toBe('36 MB (37,748,736 bytes)');
    expect(formatSizeExchange(Infinity)).toBe('Unlimited');
  });
});

describe('durations (5m, 2d, TimeSpan 00:05:00 and 2.00:00:00)', () => {
  it('reads shorthand and TimeSpan forms to milliseconds', () => {
    expect(ok(parseDuration('5m'))).toBe(300_000);
    expect(ok(parseDuration('2d'))).toBe(172_800_000);
    expect(ok(parseDuration('1h30m'))).toBe(5_400_000);
    expect(ok(parseDuration('00:05:00'))).toBe(300_000);
    expect(ok(parseDuration('2.00:00:00'))).toBe(172_800_000);
    expect(ok(parseDuration('1.02:03:04'))).toBe(((24 + 2) * 3600 + 3 * 60 + 4) * 1000);
    expect(ok(parseDuration(30))).toBe(30_000);
  });
  it('refuses malformed durations', () => {
    for (const bad of ['5 minutes', '00:61:00', '25:00:00', 'x', '']) expect(parseDuration(bad).ok, bad).toBe(false);
  });
  it('formats TimeSpans as d.hh:mm:ss (R187)', () => {
    expect(formatTimeSpan(172_800_000)).toBe('2.00:00:00');
    expect(formatTimeSpan(600_000)).toBe('00:10:00');
  });
});

describe('strict values (issue 8 item 4): no float overflow, no .nan/.inf', () => {
  it.each(['99999999999999999999d', '99999999999999999.00:00:00', '10675200d', '1e400s'])('duration %s is refused', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
  it('the longest TimeSpan Exchange takes is still a duration', () => {
    expect(parseDuration('10675199d')).toEqual({ ok: true, value: MAX_DURATION_MS });
  });
  it.each([NaN, Infinity, -Infinity])('number %s is neither a size nor a duration, and the error says it as YAML does', (n) => {
    const size = parseSize(n);
    const duration = parseDuration(n);
    expect(size.ok || duration.ok).toBe(false);
    if (!size.ok) expect(size.error).toMatch(/\.nan|\.inf/);
    if (!duration.ok) expect(duration.error).toMatch(/\.nan|\.inf/);
  });
  it.each(['35 MB (99,999,999,999,999,999,999 bytes)', '99999999999999999999', '9999999999TB'])('size %s is refused', (text) => {
    expect(parseSize(text).ok).toBe(false);
  });
});
