/**
 * Delivery status notifications (R121, R163, R164, R165; RFC 3461, RFC 3464): which recipients get
 * one, and the multipart/report message itself. Pure: the clock, the message id and the MIME
 * boundary come in; the original message is left to the caller (a marker in `parts`), so bytes that
 * are not UTF-8 go back unchanged.
 */

export type DsnNotify = 'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY';
/** RFC 3464 Action values mxt sends. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/**
 * RFC 3461 §4.1: without NOTIFY an MTA sends failure reports and may send delay reports; Exchange
 * does both (R163). Nothing ever goes to the null reverse-path (RFC 5321 §6.1, RFC 3461 §6).
 */
export function wantsDsn(sender: string, notify: readonly DsnNotify[] | undefined, action: DsnAction): boolean {
  if (sender === '') return false;
  const asked = notify && notify.length ? notify : (['FAILURE', 'DELAY'] as const);
  if (asked.includes('NEVER')) return false;
  switch (action) {
    case 'failed':
      return asked.includes('FAILURE');
    case 'delayed':
      return asked.includes('DELAY');
    default:
      // delivered, relayed, expanded: only on request (RFC 3461 §5.2.2, §6.2).
      return asked.includes('SUCCESS');
  }
}

export interface DsnRecipient {
  address: string;
  /** ORCPT as `addr-type;address`. */
  orcpt?: string;
  action: DsnAction;
  /** RFC 3463 status, e.g. `5.1.1`. */
  status: string;
  /** The SMTP reply or mxt's reason, e.g. `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found`. */
  diagnostic?: string;
  remoteMta?: string;
  lastAttempt?: Date;
  willRetryUntil?: Date;
}

export interface DsnInput {
  /** The reporting server's FQDN (Reporting-MTA, postmaster domain). */
  reportingMta: string;
  /** The original sender: the report's only recipient. */
  to: string;
  envid?: string;
  ret?: 'FULL' | 'HDRS';
  arrivalDate: Date;
  now: Date;
  messageId: string;
  boundary: string;
  originalSubject?: string;
  recipients: readonly DsnRecipient[];
}

/** Where the caller puts the original message (full) or its header section (headers). */
export type DsnPart = string | { original: 'full' | 'headers' };

export interface DsnMessage {
  /** Envelope: always the null reverse-path (RFC 3461 §6.2), to the original sender. */
  sender: '';
  recipient: string;
  parts: DsnPart[];
}

const SUBJECTS: Record<DsnAction, string> = {
  failed: 'Undeliverable',
  delayed: 'Delivery delayed',
  delivered: 'Delivered',
  relayed: 'Relayed',
  expanded: 'Expanded',
};

const HUMAN: Record<DsnAction, string> = {
  failed: 'Delivery has failed to these recipients or groups:',
  delayed: "Delivery is delayed to these recipients or groups; the server will keep trying:",
  delivered: 'Your message has been delivered to the following recipients:',
  relayed: 'Your message has been relayed to the following recipients; no further notification may come from the destination:',
  expanded: 'Your message has been delivered to the following groups:',
};

/** RFC 5322 date-time, in UTC. */
export function rfc5322Date(d: Date): string {
  const [wd, day, mon, year, time] = d.toUTCString().replace(',', '').split(' ');
  return `${wd}, ${day} ${mon} ${year} ${time} +0000`;
}

/** One header line's value with CR/LF removed, so nothing from the original can add headers. */
function clean(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function orcptField(orcpt: string): string {
  const semi = orcpt.indexOf(';');
  return semi > 0 ? `${orcpt.slice(0, semi)}; ${orcpt.slice(semi + 1)}` : `rfc822; ${orcpt}`;
}

/**
 * The report for one kind of action (failure, delay or success reports go separately, as Exchange
 * sends them). RET: FULL returns the whole message, HDRS only its headers; without RET a failure
 * returns the whole message (Exchange's default) and the other reports only the headers.
 */
export function buildDsn(input: DsnInput): DsnMessage {
  const first = input.recipients[0];
  if (!first) throw new Error('buildDsn: no recipient');
  const action = first.action;
  const postmaster = `postmaster@${input.reportingMta}`;
  const b = input.boundary;
  const subject = `${SUBJECTS[action]}${input.originalSubject ? `: ${clean(input.originalSubject)}` : ''}`;
  const lines: string[] = [
    `From: Mail Delivery System <${postmaster}>`,
    `To: <${clean(input.to)}>`,
    `Date: ${rfc5322Date(input.now)}`,
    `Subject: ${subject}`,
    `Message-ID: <${input.messageId}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    'This is a MIME-formatted message.',
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    HUMAN[action],
    '',
  ];
  for (const r of input.recipients) lines.push(`  ${clean(r.address)}${r.diagnostic ? `: ${clean(r.diagnostic)}` : ''}`);
  lines.push('', `Reporting server: ${input.reportingMta}`, '', `--${b}`, 'Content-Type: message/delivery-status', '');
  lines.push(`Reporting-MTA: dns; ${input.reportingMta}`);
  if (input.envid) lines.push(`Original-Envelope-Id: ${clean(input.envid)}`);
  lines.push(`Arrival-Date: ${rfc5322Date(input.arrivalDate)}`);
  for (const r of input.recipients) {
    lines.push('');
    if (r.orcpt) lines.push(`Original-Recipient: ${clean(orcptField(r.orcpt))}`);
    lines.push(`Final-Recipient: rfc822; ${clean(r.address)}`, `Action: ${r.action}`, `Status: ${r.status}`);
    if (r.remoteMta) lines.push(`Remote-MTA: dns; ${clean(r.remoteMta)}`);
    if (r.diagnostic) lines.push(`Diagnostic-Code: smtp; ${clean(r.diagnostic)}`);
    if (r.lastAttempt) lines.push(`Last-Attempt-Date: ${rfc5322Date(r.lastAttempt)}`);
    if (r.willRetryUntil) lines.push(`Will-Retry-Until: ${rfc5322Date(r.willRetryUntil)}`);
  }
  const full = input.ret === 'FULL' || (input.ret === undefined && action === 'failed');
  lines.push('', `--${b}`, full ? 'Content-Type: message/rfc822' : 'Content-Type: text/rfc822-headers', '', '');
  return {
    sender: '',
    recipient: input.to,
    parts: [lines.join('\r\n'), { original: full ? 'full' : 'headers' }, `\r\n--${b}--\r\n`],
  };
}

/** The header section of a message (up to the first empty line), CRLF-terminated. */
export function headerSection(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return end < 0 ? message : message.slice(0, end).concat('\r\n');
}

/** A header's unfolded value from a message's header section, or undefined. */
export function headerValue(message: string, name: string): string | undefined {
  const head = headerSection(message);
  const re = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im');
  const m = re.exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}
