/** RFC 3461/3464 reports (R121, R163, R164): who gets one, and the multipart/report it is. */
import { describe, expect, it } from 'vitest';
import { buildDsn, headerSection, headerValue, wantsDsn } from '../../../src/core/policy/dsn.js';

describe('wantsDsn', () => {
  it('never to the null reverse-path', () => {
    expect(wantsDsn('', undefined, 'failed')).toBe(false);
    expect(wantsDsn('', ['FAILURE'], 'failed')).toBe(false);
  });
  it('without NOTIFY: failures and delays, no success (RFC 3461 §4.1, R163)', () => {
    expect([wantsDsn('a@b.c', undefined, 'failed'), wantsDsn('a@b.c', undefined, 'delayed'), wantsDsn('a@b.c', undefined, 'delivered')]).toEqual([true, true, false]);
  });
  it('NOTIFY=NEVER, SUCCESS, DELAY as asked', () => {
    expect(wantsDsn('a@b.c', ['NEVER'], 'failed')).toBe(false);
    expect(wantsDsn('a@b.c', ['SUCCESS'], 'relayed')).toBe(true);
    expect(wantsDsn('a@b.c', ['SUCCESS'], 'failed')).toBe(false);
    expect(wantsDsn('a@b.c', ['FAILURE'], 'delayed')).toBe(false);
  });
});

describe('buildDsn', () => {
  const base = {
    reportingMta: 'ex01.contoso.com',
    to: 'sender@fabrikam.com',
    envid: 'ENV-42',
    arrivalDate: new Date(Date.UTC(2026, 0, 5, 8, 0, 0)),
    now: new Date(Date.UTC(2026, 0, 5, 9, 30, 0)),
    messageId: 'abc@ex01.contoso.com',
    boundary: 'B1',
    originalSubject: 'Hello\r\nBcc: x@evil',
  };
  it('a failure report: multipart/report with message/delivery-status and the full original', () => {
    const dsn = buildDsn({ ...base, recipients: [{ address: 'bob@contoso.com', orcpt: 'rfc822;Bob@Contoso.com', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' }] });
    expect(dsn.sender).toBe('');
    expect(dsn.recipient).toBe('sender@fabrikam.com');
    const text = dsn.parts[0] as string;
    expect(text).toContain('Content-Type: multipart/report; report-type=delivery-status; boundary="B1"');
    expect(text).toContain('Subject: Undeliverable: Hello Bcc: x@evil\r\n');
    expect(text).toContain('Date: Mon, 05 Jan 2026 09:30:00 +0000');
    expect(text).toContain('Reporting-MTA: dns; ex01.contoso.com\r\nOriginal-Envelope-Id: ENV-42\r\nArrival-Date: Mon, 05 Jan 2026 08:00:00 +0000');
    expect(text).toContain('Original-Recipient: rfc822; Bob@Contoso.com\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    expect(text.endsWith('Content-Type: message/rfc822\r\n\r\n')).toBe(true);
    expect(dsn.parts[1]).toEqual({ original: 'full' });
    expect(dsn.parts[2]).toBe('\r\n--B1--\r\n');
  });
  it('RET=HDRS and delay reports return headers only', () => {
    const hdrs = buildDsn({ ...base, ret: 'HDRS', recipients: [{ address: 'b@c.d', action: 'failed', status: '5.0.0' }] });
    expect(hdrs.parts[1]).toEqual({ original: 'headers' });
    const delay = buildDsn({ ...base, recipients: [{ address: 'b@c.d', action: 'delayed', status: '4.4.7', willRetryUntil: new Date(Date.UTC(2026, 0, 7, 8, 0, 0)) }] });
    expect(delay.parts[0] as string).toContain('Subject: Delivery delayed: ');
    expect(delay.parts[0] as string).toContain('Action: delayed\r\nStatus: 4.4.7\r\nWill-Retry-Until: Wed, 07 Jan 2026 08:00:00 +0000');
    expect(delay.parts[1]).toEqual({ original: 'headers' });
  });
  it('header helpers', () => {
    const m = 'Subject: a\r\n  folded\r\nMessage-ID: <x@y>\r\n\r\nSubject: body';
    expect(headerValue(m, 'subject')).toBe('a folded');
    expect(headerValue(m, 'Message-ID')).toBe('<x@y>');
    expect(headerSection(m)).toBe('Subject: a\r\n  folded\r\nMessage-ID: <x@y>\r\n');
  });
});
