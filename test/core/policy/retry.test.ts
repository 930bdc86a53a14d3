/** R160, R163, R164: retry, delay-notification and expiration times, with exact clocks. */
import { describe, expect, it } from 'vitest';
import { delayNotificationTime, expirationTime, messageTimers, nextMessageRetry, nextQueueRetry, type RetrySettings } from '../../../src/core/policy/retry.js';

const MIN = 60_000;
const s: RetrySettings = {
  queueGlitchRetryCount: 4,
  queueGlitchRetryInterval: 1 * MIN,
  transientFailureRetryCount: 6,
  transientFailureRetryInterval: 5 * MIN,
  outboundConnectionFailureRetryInterval: 10 * MIN,
  messageRetryInterval: 15 * MIN,
  messageExpirationTimeout: 2 * 24 * 60 * MIN,
  delayNotificationTimeout: 4 * 60 * MIN,
};
const t0 = Date.UTC(2026, 0, 5, 8, 0, 0);

describe('R160 queue retry schedule', () => {
  it('glitch retries 1 min apart, then 6 transient retries 5 min apart, then every 10 min', () => {
    const times = [1, 2, 3, 4, 5, 10, 11, 12, 40].map((n) => nextQueueRetry(s, n, t0) - t0);
    expect(times).toEqual([MIN, MIN, MIN, MIN, 5 * MIN, 5 * MIN, 10 * MIN, 10 * MIN, 10 * MIN]);
  });
  it('never later than the expiration of the oldest message waiting', () => {
    const firstSeen = t0 - s.messageExpirationTimeout + 2 * MIN;
    expect(nextQueueRetry(s, 30, t0, firstSeen)).toBe(t0 + 2 * MIN);
    expect(nextQueueRetry(s, 30, t0, t0 - s.messageExpirationTimeout - MIN)).toBe(t0);
  });
  it('a single message waits MessageRetryInterval', () => {
    expect(nextMessageRetry(s, t0)).toBe(t0 + 15 * MIN);
    expect(nextMessageRetry(s, t0, t0 - s.messageExpirationTimeout + MIN)).toBe(t0 + MIN);
  });
});

describe('R163/R164 timers', () => {
  it('delay DSN after 4 h, once; expiry after 2 days', () => {
    expect(delayNotificationTime(s, t0)).toBe(t0 + 4 * 60 * MIN);
    expect(expirationTime(s, t0)).toBe(t0 + 48 * 60 * MIN);
    expect(messageTimers(s, t0, t0 + 4 * 60 * MIN - 1, false)).toEqual({ expired: false, delayDue: false });
    expect(messageTimers(s, t0, t0 + 4 * 60 * MIN, false)).toEqual({ expired: false, delayDue: true });
    expect(messageTimers(s, t0, t0 + 5 * 60 * MIN, true)).toEqual({ expired: false, delayDue: false });
    expect(messageTimers(s, t0, t0 + 48 * 60 * MIN, false)).toEqual({ expired: true, delayDue: false });
  });
});
