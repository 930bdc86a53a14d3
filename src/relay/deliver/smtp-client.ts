/**
 * One outbound SMTP session to a next hop, on nodemailer's SMTPConnection (it pipelines, speaks
 * STARTTLS, SIZE, DSN, 8BITMIME and SMTPUTF8, and dot-stuffs bodies so it never sends a smuggling
 * sequence). mxt adds what it lacks: the TLS policy of R108 (opportunistic STARTTLS with a retry
 * in clear when negotiation fails; RequireTLS; IgnoreSTARTTLS) and per-recipient results.
 *
 * Security: opens TCP connections to the next hop's endpoints; sends a credential only over TLS
 * when the connector says BasicAuthRequireTLS.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Endpoint } from './endpoints.js';

export type TlsMode = 'opportunistic' | 'require' | 'none';

export interface SessionOptions {
  endpoint: Endpoint;
  /** EHLO name: the connector's Fqdn or the server's FQDN (R110). */
  heloName: string;
  tls: TlsMode;
  /** CertificateValidation / DomainValidation (R108) check the certificate; otherwise encryption only. */
  verifyCertificate: boolean;
  /** DomainValidation: the name the certificate must carry. */
  tlsDomain?: string;
  auth?: { user: string; pass: string };
  /**
   * Hops inside the organization: the node's own certificate from the organization CA (`mxt relay
   * cert`), which the next node takes as Exchange Server authentication (R40), and that CA to verify it.
   */
  clientTls?: { cert: Buffer; key: Buffer; ca: Buffer };
  /** Inactivity limit in ms (ConnectionInactivityTimeOut, R110). */
  socketTimeout: number;
}

/** A reply that ended a send, classified. */
export interface SmtpFailure {
  /** The connection (or TLS, or login) failed: the queue goes to Retry (R160). */
  connection: boolean;
  permanent: boolean;
  code: number;
  enhancedCode: string;
  text: string;
  /** The reply refused MAIL FROM: the whole transaction, before any recipient was looked at. */
  atMailFrom?: boolean;
}

export interface RecipientResult {
  address: string;
  ok: boolean;
  failure?: SmtpFailure;
}

interface SmtpErrorLike {
  code?: string;
  response?: string;
  responseCode?: number;
  message?: string;
  recipient?: string;
  rejectedErrors?: SmtpErrorLike[];
  command?: string;
}

/** One SMTP reply in its parts (RFC 5321 4.2, RFC 3463 enhanced code; '' when the reply has none). */
export interface SmtpReply {
  code: number;
  enhancedCode: string;
  text: string;
}

/** A reply as read (`250 2.1.0 Sender OK`; a multi-line one as its lines): its parts, the lines' texts joined by a space. */
export function replyParts(response: string): SmtpReply {
  const lines = response.trim().split(/\r?\n/);
  const code = Number(/^(\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const enhancedCode = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})(?: |$)/.exec(lines[0] ?? '')?.[1] ?? '';
  const texts = lines.map((l) => {
    const t = l.replace(/^\d{3}[ -]?/, '');
    return (enhancedCode && t.startsWith(enhancedCode) ? t.slice(enhancedCode.length) : t).trim();
  });
  return { code, enhancedCode, text: texts.filter((t) => t !== '').join(' ') };
}

/** "550 5.1.1 text" → parts; connection-level errors become 451 4.4.x. */
export function classify(e: SmtpErrorLike, connection: boolean): SmtpFailure {
  if (e.response && e.responseCode) {
    const m = /^\d{3}[ -](?:(\d\.\d{1,3}\.\d{1,3}) )?(.*)$/s.exec(e.response.trim());
    const code = e.responseCode;
    const enhancedCode = m?.[1] ?? (code >= 500 ? '5.0.0' : '4.0.0');
    return { connection, permanent: code >= 500, code, enhancedCode, text: (m?.[2] ?? e.response).replace(/\s+/g, ' ').trim() };
  }
  const what = e.code === 'ETIMEDOUT' ? 'timed out' : e.message ?? String(e);
  return { connection: true, permanent: false, code: 451, enhancedCode: '4.4.1', text: `Connection to the next hop failed: ${what}` };
}

export function failureText(f: SmtpFailure): string {
  return `${f.code} ${f.enhancedCode} ${f.text}`;
}

export class OutboundSession {
  private conn: SMTPConnection;
  private broken = false;
  sent = 0;

  private constructor(conn: SMTPConnection, readonly endpoint: Endpoint) {
    this.conn = conn;
    conn.on('error', () => {
      this.broken = true;
    });
    conn.on('end', () => {
      this.broken = true;
    });
  }

  static async open(opts: SessionOptions): Promise<OutboundSession> {
    try {
      return await OutboundSession.connect(opts, opts.tls);
    } catch (e) {
      const f = e as SmtpFailure;
      // R108: without RequireTLS a failed STARTTLS negotiation is retried without TLS.
      if (opts.tls === 'opportunistic' && f.text.includes('TLS')) return OutboundSession.connect(opts, 'none');
      throw e;
    }
  }

  private static connect(opts: SessionOptions, tls: TlsMode): Promise<OutboundSession> {
    const conn = new SMTPConnection({
      host: opts.endpoint.host,
      port: opts.endpoint.port,
      secure: false,
      name: opts.heloName,
      ignoreTLS: tls === 'none',
      requireTLS: tls === 'require',
      opportunisticTLS: tls === 'opportunistic',
      tls: {
        ...(opts.clientTls ? { cert: opts.clientTls.cert, key: opts.clientTls.key, ca: opts.clientTls.ca } : {}),
        rejectUnauthorized: opts.verifyCertificate || opts.clientTls !== undefined,
        servername: opts.tlsDomain ?? (opts.endpoint.name && !/^[\d.:]+$/.test(opts.endpoint.name) ? opts.endpoint.name : undefined),
      },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: opts.socketTimeout,
      socketCloseTimeout: 0,
      allowInternalNetworkInterfaces: true,
    } as SMTPConnection.Options);
    return new Promise<OutboundSession>((resolve, reject) => {
      let settled = false;
      const fail = (e: SmtpErrorLike): void => {
        if (settled) return;
        settled = true;
        conn.close();
        const f = classify(e, true);
        if (tls === 'require' && /TLS/i.test(e.message ?? '')) reject({ ...f, code: 451, enhancedCode: '5.7.3', text: 'STARTTLS is required to send mail' });
        else reject({ ...f, text: e.code === 'ETLS' ? `TLS negotiation failed: ${e.message}` : f.text });
      };
      conn.once('error', fail);
      conn.connect(() => {
        const done = (): void => {
          if (settled) return;
          settled = true;
          conn.removeListener('error', fail);
          resolve(new OutboundSession(conn, opts.endpoint));
        };
        if (!opts.auth) return done();
        conn.login({ user: opts.auth.user, pass: opts.auth.pass }, (err) => (err ? fail(err as SmtpErrorLike) : done()));
      });
    });
  }

  get usable(): boolean {
    return !this.broken;
  }

  get supportsDsn(): boolean {
    return (this.conn as unknown as { _supportedExtensions?: string[] })._supportedExtensions?.includes('DSN') ?? false;
  }

  /**
   * One transaction. Resolves with one result per recipient (accepted, or refused with its reply);
   * rejects with a connection-level SmtpFailure when the session broke.
   */
  send(
    envelope: { from: string; to: string[]; size: number; use8BitMime: boolean; dsn?: { ret?: string; envid?: string; notify?: string; orcpt?: string } },
    content: Buffer,
  ): Promise<RecipientResult[]> {
    this.sent++;
    return new Promise((resolve, reject) => {
      this.conn.send(envelope as SMTPConnection.Envelope, content, (err, info) => {
        if (err) {
          const e = err as SmtpErrorLike;
          if (e.code === 'EENVELOPE' && e.rejectedErrors?.length && e.responseCode) {
            // Every recipient refused (or MAIL FROM refused): the transaction, not the connection.
            const byAddress = new Map(e.rejectedErrors.map((r) => [r.recipient ?? '', classify(r, false)]));
            return resolve(envelope.to.map((a) => ({ address: a, ok: false, failure: byAddress.get(a) ?? classify(e, false) })));
          }
          if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode) {
            const f = { ...classify(e, false), ...(e.command === 'MAIL FROM' && e.code === 'EENVELOPE' ? { atMailFrom: true } : {}) };
            return resolve(envelope.to.map((a) => ({ address: a, ok: false, failure: f })));
          }
          this.broken = true;
          return reject(classify(e, true));
        }
        const refused = new Map((info.rejectedErrors ?? []).map((r) => [(r as SmtpErrorLike).recipient ?? '', classify(r as SmtpErrorLike, false)]));
        resolve(envelope.to.map((a) => (refused.has(a) ? { address: a, ok: false, failure: refused.get(a) } : { address: a, ok: true })));
      });
    });
  }

  /** RSET between messages is not needed after a completed DATA; QUIT when done. */
  close(): void {
    this.broken = true;
    try {
      this.conn.quit();
    } catch {
      this.conn.close();
    }
  }
}
