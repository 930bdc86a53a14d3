/**
 * What the front door reads from and adds to a message's header (RFC 5322 2.2, RFC 5321 4.4):
 * the header size (MaxHeaderSize), the Received count and who added each (MaxHopCount,
 * MaxLocalHopCount: loop detection), the
 * Message-ID, and the trace header it prepends. Byte-level, no MIME parsing: the relay passes the
 * body on untouched.
 */

export interface HeaderFacts {
  /** Bytes up to and including the empty line that ends the header (whole message if none). */
  headerSize: number;
  /** `Received:` fields (hop count). */
  received: number;
  /** The host of each Received field's `by` clause (lower case; '' when it has none): local hops. */
  receivedBy: string[];
  /** The Message-ID's value without angle brackets, when the header has one. */
  messageId?: string;
  /** Offset of the empty line ending the header, or -1 when the message is all header. */
  bodyOffset: number;
}

export function headerFacts(content: Buffer): HeaderFacts {
  const blank = findHeaderEnd(content);
  const headerEnd = blank < 0 ? content.length : blank;
  const header = content.subarray(0, headerEnd).toString('latin1');
  let received = 0;
  const receivedBy: string[] = [];
  let messageId: string | undefined;
  // A field goes on over the lines that start with white space (RFC 5322 2.2.3): Received's `by`
  // clause is usually on one of them.
  let field = '';
  const endField = () => {
    if (/^received\s*:/i.test(field)) {
      received += 1;
      receivedBy.push(/\sby\s+([^\s;()]+)/i.exec(field)?.[1]?.toLowerCase() ?? '');
    }
  };
  for (const line of header.split(/\r?\n/)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      field += line;
      continue;
    }
    endField();
    field = line;
    const id = /^message-id\s*:\s*<?([^>\s]*)>?/i.exec(line);
    if (id && messageId === undefined && id[1]) messageId = Buffer.from(id[1], 'latin1').toString('utf8');
  }
  endField();
  return { headerSize: blank < 0 ? content.length : blank + 2, received, receivedBy, messageId, bodyOffset: blank };
}

/** Offset of the CRLF that makes the empty line after the header, or -1. */
function findHeaderEnd(content: Buffer): number {
  if (content.length >= 2 && content[0] === 13 && content[1] === 10) return 0;
  const at = content.indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 2;
}

export interface TraceInfo {
  heloName: string;
  clientIp: string;
  fqdn: string;
  /** RFC 3848 / RFC 6531 "with" keyword: ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS… */
  protocol: string;
  id: string;
  recipient?: string;
  date: Date;
}

/** RFC 3848 and RFC 6531 3.7.3: the transmission type of the Received `with` clause. */
export function withProtocol(ehlo: boolean, tls: boolean, authenticated: boolean, smtpUtf8: boolean): string {
  if (!ehlo) return 'SMTP';
  return `${smtpUtf8 ? 'UTF8SMTP' : 'ESMTP'}${tls ? 'S' : ''}${authenticated ? 'A' : ''}`;
}

/** RFC 5322 3.3 date-time, in UTC. */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** A HELO name as it may appear in a header: printable, no CR/LF, bounded. */
function safeToken(text: string): string {
  return text.replace(/[^\x21-\x7e\u0080-\uffff]/g, '?').slice(0, 255);
}

export function receivedHeader(t: TraceInfo): string {
  const forClause = t.recipient ? `\r\n\tfor <${safeToken(t.recipient)}>` : '';
  return `Received: from ${safeToken(t.heloName)} ([${t.clientIp}])\r\n\tby ${t.fqdn} (mxt) with ${t.protocol} id ${t.id}${forClause};\r\n\t${rfc5322Date(t.date)}\r\n`;
}

/**
 * The message as relayed: our Received on top, and a Message-ID (RFC 5321 6.4 lets a submission
 * server add one) at the end of the header when the message had none.
 */
export function stampMessage(content: Buffer, facts: HeaderFacts, trace: TraceInfo, newMessageId: string | undefined): Buffer {
  const received = Buffer.from(receivedHeader(trace), 'utf8');
  if (newMessageId === undefined) return Buffer.concat([received, content]);
  const idLine = Buffer.from(`Message-ID: <${newMessageId}>\r\n`, 'utf8');
  if (facts.bodyOffset < 0) {
    const needsBreak = content.length > 0 && !content.subarray(-2).equals(Buffer.from('\r\n'));
    return Buffer.concat([received, content, needsBreak ? Buffer.from('\r\n') : Buffer.alloc(0), idLine]);
  }
  return Buffer.concat([received, content.subarray(0, facts.bodyOffset), idLine, content.subarray(facts.bodyOffset)]);
}
