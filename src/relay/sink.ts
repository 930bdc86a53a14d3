/**
 * The hand-off between the relay's SMTP front door and what stores accepted mail.
 *
 * The front door calls `accept()` once per message, after the final data command (DATA's
 * CRLF.CRLF or BDAT LAST), and sends its 250 only when the promise resolves: by then the
 * message and its recipients are durable on disk (fsync). A rejected promise is a transient
 * failure to store (451 4.3.0) unless the error carries its own SMTP reply.
 *
 * Security: none here; the implementations touch the disk.
 */
import type { Topology } from '../core/model/topology.js';

/** One accepted RCPT TO, with its RFC 3461 parameters. */
export interface EnvelopeRecipient {
  /** The address as accepted, without angle brackets. */
  readonly address: string;
  /** RFC 3461 NOTIFY values, when the client gave them. */
  readonly notify?: readonly ('NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY')[];
  /** RFC 3461 ORCPT as `addr-type;address` with xtext decoded, when given. */
  readonly orcpt?: string;
}

export interface AcceptedMessage {
  /** The front door's id for the message (also in its Received header and RECEIVE event). */
  readonly id: string;
  readonly receivedAt: Date;
  /** The receive connector that took the session (its name in the topology). */
  readonly receiveConnector: string;
  readonly remoteAddress: string;
  readonly heloName: string;
  /** The authenticated user or organization principal, when the session authenticated. */
  readonly authenticatedAs?: string;
  /** MAIL FROM address; '' for the null reverse-path. */
  readonly sender: string;
  readonly recipients: readonly EnvelopeRecipient[];
  readonly bodyType: '7BIT' | '8BITMIME' | 'BINARYMIME';
  readonly smtpUtf8: boolean;
  /** RFC 3461 RET and ENVID of MAIL FROM, when given. */
  readonly ret?: 'FULL' | 'HDRS';
  readonly envid?: string;
  /** The whole message as it will be relayed, with the Received header the front door added. */
  readonly content: Buffer;
}

export interface AcceptResult {
  /** The store's id, quoted in the 250 reply ("Queued mail for delivery" + id). */
  readonly queueId: string;
}

/** An error a sink may throw to answer with a reply of its own (for example 452 4.3.1). */
export interface SinkReply {
  readonly code: number;
  readonly enhancedCode: string;
  readonly text: string;
}

/** Whether a sink's rejection carries its own SMTP reply. */
export function isSinkReply(error: unknown): error is SinkReply {
  const e = error as Partial<SinkReply> | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'number' && typeof e.enhancedCode === 'string' && typeof e.text === 'string';
}

export interface MessageSink {
  accept(message: AcceptedMessage): Promise<AcceptResult>;
  /**
   * Back pressure: asked before MAIL FROM and before the final data command; a reply here is
   * sent instead of going on (Exchange answers `452 4.3.1 Insufficient system resources`).
   */
  admission?(): SinkReply | undefined;
  /** ETRN: start delivery now of what waits for this domain; resolves to whether anything does. */
  startDelivery?(domain: string): Promise<boolean>;
  /** The configuration changed (SIGHUP): route what waits again (R120); resolves to how many recipients. */
  reload?(topology: Topology): number;
  close(): Promise<void>;
}
