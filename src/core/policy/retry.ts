/**
 * Retry, expiration and delay-notification times of a queued message (R160, R163, R164). Pure: the
 * clock comes in as `now` (ms since the epoch), so tests give exact times.
 */
import type { TransportServiceSettings } from '../model/topology.js';

export type RetrySettings = Pick<
  TransportServiceSettings,
  | 'queueGlitchRetryCount'
  | 'queueGlitchRetryInterval'
  | 'transientFailureRetryCount'
  | 'transientFailureRetryInterval'
  | 'outboundConnectionFailureRetryInterval'
  | 'messageRetryInterval'
  | 'messageExpirationTimeout'
  | 'delayNotificationTimeout'
>;

/** R164: when a message that entered the server at `firstSeen` expires. */
export function expirationTime(s: RetrySettings, firstSeen: number): number {
  return firstSeen + s.messageExpirationTimeout;
}

/** R163: when its delay DSN is due. */
export function delayNotificationTime(s: RetrySettings, firstSeen: number): number {
  return firstSeen + s.delayNotificationTimeout;
}

/**
 * R160: the next connection attempt of a queue after its `failures`-th consecutive connection
 * failure (1 = the first): glitch retries first, then the transient retries, then the outbound
 * connection failure interval until the messages expire. Never later than the expiration of the
 * oldest message waiting there (`firstSeen`), so expiry is acted on in time.
 */
export function nextQueueRetry(s: RetrySettings, failures: number, now: number, firstSeen?: number): number {
  let interval: number;
  if (failures <= s.queueGlitchRetryCount) interval = s.queueGlitchRetryInterval;
  else if (failures <= s.queueGlitchRetryCount + s.transientFailureRetryCount) interval = s.transientFailureRetryInterval;
  else interval = s.outboundConnectionFailureRetryInterval;
  const next = now + interval;
  return firstSeen === undefined ? next : Math.min(next, Math.max(now, expirationTime(s, firstSeen)));
}

/** R160: a single message (a recipient's transient reply, not a connection failure) waits `MessageRetryInterval`. */
export function nextMessageRetry(s: RetrySettings, now: number, firstSeen?: number): number {
  const next = now + s.messageRetryInterval;
  return firstSeen === undefined ? next : Math.min(next, Math.max(now, expirationTime(s, firstSeen)));
}

export interface MessageTimers {
  expired: boolean;
  /** A delay DSN is due now (and has not gone out yet). */
  delayDue: boolean;
}

export function messageTimers(s: RetrySettings, firstSeen: number, now: number, delaySent: boolean): MessageTimers {
  const expired = now >= expirationTime(s, firstSeen);
  return { expired, delayDue: !expired && !delaySent && now >= delayNotificationTime(s, firstSeen) };
}
