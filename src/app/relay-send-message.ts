/**
 * The test message of `mxt send` (RFC 5322): Message-ID, Date, From, To, Subject, MIME-Version and a
 * text/plain body, plus the user's own header fields (one of a standard field's name replaces it); padded to about a size on request, to try a
 * connector's or a send connector's size limit. Pure given its clock and id; never does I/O.
 */
import { rfc5322Date } from '../core/policy/dsn.js';
import { UserError } from '../errors.js';

export interface TestMessageInput {
  messageId: string;
  date: Date;
  from: string;
  to: readonly string[];
  subject: string;
  body: string;
  /** `Name: value` fields, added after the standard ones. */
  headers: readonly string[];
  /** Pad the body with lines of `x` so the whole message is about this many bytes. */
  size?: number;
}

/** RFC 5322 3.6.4 msg-id without its brackets: id-left "@" id-right, printable ASCII, no space. */
export function newMessageId(random: string, time: number, domain: string): string {
  return `${time.toString(36)}.${random}@${domain}`;
}

/** An unstructured field's value: ASCII as it is, else one RFC 2047 encoded word (UTF-8, base64). */
function headerText(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** `Name: value` from the command line: a field name (RFC 5322 3.6.8 ftext), no line break in the value. */
export function checkedHeader(text: string): string {
  const m = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/s.exec(text);
  if (!m) throw new UserError(`--header "${text}" is not a header field`, "write it as 'Name: value', e.g. --header 'X-Test: 1'");
  if (/[\r\n]/.test(m[2]!)) throw new UserError(`--header ${m[1]}: the value may not hold a line break`);
  return `${m[1]}: ${headerText(m[2]!)}`;
}

const PAD_LINE = `${'x'.repeat(76)}\r\n`;

const fieldName = (field: string) => field.slice(0, field.indexOf(':')).toLowerCase();

export function buildTestMessage(m: TestMessageInput): Buffer {
  const body = m.body.replace(/\r?\n/g, '\r\n');
  const ascii = /^[\x00-\x7f]*$/.test(body);
  const own = m.headers.map(checkedHeader);
  const given = new Set(own.map(fieldName));
  // A null reverse-path (a report, `--from '<>'`) is no author: From names the mailer daemon of the
  // message's domain, as MTAs write their reports (`<>` is no RFC 5322 mailbox).
  const author = m.from === '' ? `MAILER-DAEMON@${m.messageId.slice(m.messageId.lastIndexOf('@') + 1)}` : m.from;
  const standard = [
    `Message-ID: <${m.messageId}>`,
    `Date: ${rfc5322Date(m.date)}`,
    `From: ${author}`,
    `To: ${m.to.join(', ')}`,
    `Subject: ${headerText(m.subject)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${ascii ? '7bit' : '8bit'}`,
  ];
  // A --header of a standard field's name takes its place (a test of a spoofed From, say), never twice.
  const head = [...standard.filter((f) => !given.has(fieldName(f))), ...own].join('\r\n');
  let text = `${head}\r\n\r\n${body}${body.endsWith('\r\n') || body === '' ? '' : '\r\n'}`;
  const message = Buffer.from(text, 'utf8');
  if (m.size === undefined || m.size <= message.length) return message;
  // Whole lines of 78 octets (RFC 5322 2.1.1), then one shorter line for the rest.
  const missing = m.size - message.length;
  const lines = Math.floor(missing / PAD_LINE.length);
  const tail = missing - lines * PAD_LINE.length;
  text = PAD_LINE.repeat(lines) + (tail >= 3 ? `${'x'.repeat(tail - 2)}\r\n` : '');
  return Buffer.concat([message, Buffer.from(text, 'ascii')]);
}
