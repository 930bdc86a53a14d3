/**
 * The relay's two logs, JSON lines under `<server dir>/logs/`:
 * - `protocol/<connector>.log`: per receive connector whose ProtocolLoggingLevel is Verbose (R20:
 *   Default Frontend by default), one line per command or reply: session id, direction, text, time;
 * - `tracking.log`: message tracking: a `RECEIVE` event per accepted message, then what became of it
 *   (SEND, DELIVER, FAIL, EXPAND, DSN, POISONMESSAGE: queue/tracking.ts), what `mxt trace` will read.
 * Written through pino.
 *
 * Security: AUTH responses are masked by the session before they get here.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { ReceiveConnector } from '../../core/model/topology.js';
import type { AcceptedMessage, AcceptResult } from '../sink.js';
import type { TrackingEvent } from '../queue/tracking.js';

export interface ProtocolLine {
  session: string;
  direction: 'in' | 'out';
  text: string;
  local: string;
  remote: string;
}

function fileLogger(file: string): { logger: Logger; destination: ReturnType<typeof pino.destination> } {
  mkdirSync(path.dirname(file), { recursive: true });
  // Synchronous: a line is on disk before the reply it records is answered on; a crash loses nothing.
  const destination = pino.destination({ dest: file, sync: true, mkdir: true });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'text' }, destination);
  return { logger, destination };
}

/** A connector name as a file name: letters, digits, `-`, `_`, `.` kept, others become `_`. */
export function connectorLogName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
}

export class RelayLogs {
  private readonly protocol = new Map<string, ReturnType<typeof fileLogger>>();
  private readonly tracking: ReturnType<typeof fileLogger>;

  constructor(private readonly dir: string, private readonly serverFqdn: string) {
    this.tracking = fileLogger(path.join(dir, 'tracking.log'));
  }

  protocolLine(connector: ReceiveConnector, line: ProtocolLine): void {
    if (connector.protocolLoggingLevel !== 'Verbose') return;
    let log = this.protocol.get(connector.name);
    if (!log) {
      log = fileLogger(path.join(this.dir, 'protocol', connectorLogName(connector.name)));
      this.protocol.set(connector.name, log);
    }
    log.logger.info({ connector: connector.name, session: line.session, direction: line.direction, local: line.local, remote: line.remote }, line.text);
  }

  /** The RECEIVE event (Exchange message tracking's EventId and field names). */
  received(message: AcceptedMessage, result: AcceptResult, messageId: string | undefined): void {
    this.tracking.logger.info({
      eventId: 'RECEIVE',
      source: 'SMTP',
      messageId: messageId ?? null,
      internalMessageId: result.queueId,
      sender: message.sender,
      recipients: message.recipients.map((r) => r.address),
      recipientCount: message.recipients.length,
      totalBytes: message.content.length,
      connectorId: message.receiveConnector,
      clientIp: message.remoteAddress,
      clientHostname: message.heloName,
      serverHostname: this.serverFqdn,
      authenticatedAs: message.authenticatedAs ?? null,
    });
  }

  /** An event past RECEIVE (queue/tracking.ts), with this server's name where the event has none. */
  track(event: TrackingEvent): void {
    this.tracking.logger.info({ ...event, serverHostname: event.serverHostname ?? this.serverFqdn });
  }

  async close(): Promise<void> {
    for (const { destination } of [this.tracking, ...this.protocol.values()]) destination.end();
  }
}
