/**
 * Queues the delivery status notifications the relay owes (R121, R163–R165): builds them with the
 * pure builder in core/policy/dsn.ts and submits them like any other message, from the null
 * reverse-path, so a report that cannot be delivered is never reported on in turn.
 */
import { randomBytes } from 'node:crypto';
import { buildDsn, wantsDsn, type DsnAction, type DsnNotify, type DsnRecipient } from '../../core/policy/dsn.js';
import type { MessageRow, QueueStore } from './store.js';
import { trackedMessage } from './tracking.js';

export interface ReportRecipient {
  address: string;
  notify: string | null;
  orcpt: string | null;
  status: string;
  diagnostic?: string;
  remoteMta?: string;
  willRetryUntil?: Date;
}

export function parseNotify(notify: string | null): DsnNotify[] | undefined {
  return notify ? (notify.split(',') as DsnNotify[]) : undefined;
}

/** Queues one report for `action` covering the recipients that asked for it; returns whether one was queued. */
export function queueReport(store: QueueStore, reportingMta: string, message: MessageRow, action: DsnAction, recipients: readonly ReportRecipient[], now: number): boolean {
  const wanted = recipients.filter((r) => wantsDsn(message.sender, parseNotify(r.notify), action));
  if (wanted.length === 0) return false;
  const dsnRecipients: DsnRecipient[] = wanted.map((r) => ({
    address: r.address,
    orcpt: r.orcpt ?? undefined,
    action,
    status: r.status,
    diagnostic: r.diagnostic,
    remoteMta: r.remoteMta,
    lastAttempt: action === 'failed' || action === 'delayed' ? new Date(now) : undefined,
    willRetryUntil: r.willRetryUntil,
  }));
  const id = randomBytes(12).toString('hex');
  const dsn = buildDsn({
    reportingMta,
    to: message.sender,
    envid: message.envid ?? undefined,
    ret: message.ret ?? undefined,
    arrivalDate: new Date(message.received_at),
    now: new Date(now),
    messageId: `${id}@${reportingMta}`,
    boundary: `=_mxt_${id}`,
    originalSubject: message.subject ?? undefined,
    recipients: dsnRecipients,
  });
  const original = store.content(message.id);
  const chunks = dsn.parts.map((p) => {
    if (typeof p === 'string') return Buffer.from(p, 'utf8');
    if (p.original === 'full') return original;
    const end = original.indexOf('\r\n\r\n');
    return end < 0 ? original : original.subarray(0, end + 2);
  });
  store.insertGenerated({ sender: '', recipients: [{ address: dsn.recipient, notify: ['NEVER'] }], content: Buffer.concat(chunks), frontId: id, now });
  store.track({
    eventId: 'DSN',
    source: 'DSN',
    ...trackedMessage(message),
    recipients: [dsn.recipient],
    recipientStatus: wanted.map((r) => `${action} ${r.status}`),
    relatedRecipientAddress: wanted.map((r) => r.address).join(';'),
    reference: `${id}@${reportingMta}`,
  });
  return true;
}
