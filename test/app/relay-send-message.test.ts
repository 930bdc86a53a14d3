// The test message of `mxt send`: a valid RFC 5322 message whatever the flags.
import { describe, expect, it } from 'vitest';
import { buildTestMessage, type TestMessageInput } from '../../src/app/relay-send-message.js';

const base: TestMessageInput = { messageId: 'm1@example.net', date: new Date(Date.UTC(2026, 11, 3, 16, 41, 34)), from: 'a@example.net', to: ['b@contoso.com'], subject: 'hi', body: 'hello', headers: [] };
const header = (m: Buffer) => m.toString('utf8').split('\r\n\r\n')[0]!.split('\r\n');

describe('buildTestMessage', () => {
  it('the standard fields, once each', () => {
    expect(header(buildTestMessage(base))).toEqual([
      'Message-ID: <m1@example.net>',
      'Date: Thu, 03 Dec 2026 16:41:34 +0000',
      'From: a@example.net',
      'To: b@contoso.com',
      'Subject: hi',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
    ]);
  });

  it('a null reverse-path: From names the mailer daemon of the message domain, never "<>"', () => {
    const fields = header(buildTestMessage({ ...base, from: '' }));
    expect(fields).toContain('From: MAILER-DAEMON@example.net');
    expect(fields.some((f) => f.includes('<>'))).toBe(false);
  });

  it('a --header of a standard field replaces it (one From), others are added after', () => {
    const fields = header(buildTestMessage({ ...base, headers: ['from: "CEO" <ceo@contoso.com>', 'X-Test: 1'] }));
    expect(fields.filter((f) => /^from:/i.test(f))).toEqual(['from: "CEO" <ceo@contoso.com>']);
    expect(fields.at(-1)).toBe('X-Test: 1');
  });

  it('--size pads the message to that many bytes in lines of at most 78 octets', () => {
    const m = buildTestMessage({ ...base, size: 10_000 });
    expect(m.length).toBe(10_000);
    expect(Math.max(...m.toString('ascii').split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(78);
  });
});
