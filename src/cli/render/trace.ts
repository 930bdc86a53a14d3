/** `mxt trace` output: one message's tracking events as Get-MessageTrackingLog lists them, or the JSON object. */
import type { TraceEvent, TraceResult } from '../../app/relay-trace.js';
import { table } from './table.js';

/** The columns of the text table, in Get-MessageTrackingLog's names. */
const COLUMNS = ['Timestamp', 'Server', 'EventId', 'Source', 'InternalMessageId', 'Sender', 'Recipients', 'RecipientStatus', 'ConnectorId', 'Reference'] as const;

const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(';') : value === undefined || value === null ? '' : String(value));

function row(e: TraceEvent, traced: string): Record<(typeof COLUMNS)[number], string> {
  const bare = typeof e.messageId === 'string' ? e.messageId.replace(/^<|>$/g, '') : traced;
  return {
    Timestamp: e.timestamp,
    Server: e.server,
    EventId: list(e.eventId),
    Source: list(e.source),
    InternalMessageId: list(e.internalMessageId),
    Sender: e.sender === '' ? '<>' : list(e.sender),
    Recipients: list(e.recipients),
    RecipientStatus: list(e.recipientStatus),
    ConnectorId: list(e.connectorId),
    // An event of a report (DSN) that the trace followed: the report's own Message-ID.
    Reference: list(e.reference) || (bare !== traced ? `report <${bare}>` : ''),
  };
}

export function renderTrace(format: string, result: TraceResult): string {
  const { dataDir: _dataDir, ...shown } = result;
  if (format === 'json') return JSON.stringify(shown, null, 2);
  const servers = [...new Set(result.events.map((e) => e.server))];
  const title = `Message-ID <${result.messageId}>: ${result.events.length} event${result.events.length === 1 ? '' : 's'} on ${servers.join(', ')}`;
  return `${title}\n${table(result.events.map((e) => row(e, result.messageId)), COLUMNS)}`;
}

/** What the reader should know about the logs themselves (stderr): lines skipped, a torn end. */
export function traceNotes(result: TraceResult): string[] {
  const notes: string[] = [];
  for (const s of result.searched) {
    if (s.skippedLines > 0) notes.push(`note: ${s.skippedLines} line${s.skippedLines === 1 ? '' : 's'} of ${s.log} ${s.skippedLines === 1 ? 'is' : 'are'} not JSON (skipped)`);
    if (s.tornLastLine) notes.push(`note: ${s.log} ends in half a line (a relay stopped while writing it): skipped`);
  }
  if (result.internalMessageId) notes.push(`note: internal message id ${result.internalMessageId.id} of ${result.internalMessageId.server} is Message-ID <${result.messageId}>`);
  return notes;
}
