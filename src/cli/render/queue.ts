/** `mxt queue` output: Exchange's Get-Queue / Get-Message fields as a table or JSON (R175, R177). */
import type { MessageInfo, QueueInfo, ShowResult } from '../../app/queue.js';
import { table } from './table.js';

/** R175: the columns mxt's `queue list` shows. */
const LIST_COLUMNS = ['Identity', 'DeliveryType', 'Status', 'MessageCount', 'Velocity', 'RiskLevel', 'OutboundIPPool', 'NextHopDomain'] as const;

function fields(record: object): string {
  const entries = Object.entries(record).filter(([k]) => k !== 'Recipients');
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)} : ${v === null ? '' : String(v)}`).join('\n');
}

function messageText(m: MessageInfo): string {
  const recipients = m.Recipients.map((r) => `  ${r.Address}  ${r.Status}  ${r.Queue}${r.LastError ? `  ${r.LastError}` : ''}`);
  return `${fields(m)}\nRecipients${recipients.length ? `\n${recipients.join('\n')}` : ' : (none pending)'}`;
}

export function renderQueueList(format: string, result: { server: string; queues: QueueInfo[] }): string {
  if (format === 'json') return JSON.stringify(result.queues, null, 2);
  return table(result.queues as unknown as Record<string, unknown>[], LIST_COLUMNS);
}

export function renderQueueShow(format: string, result: ShowResult): string {
  if (format === 'json') return JSON.stringify(result.kind === 'queue' ? { ...result.queue, Messages: result.messages } : result.message, null, 2);
  if (result.kind === 'message') return messageText(result.message);
  const messages = result.messages.length
    ? table(result.messages.map((m) => ({ ...m, Recipients: m.Recipients.map((r) => r.Address).join(',') })) as unknown as Record<string, unknown>[], ['Identity', 'FromAddress', 'Status', 'Size', 'Subject', 'LastError'])
    : '(no messages)';
  return `${fields(result.queue)}\n\n${messages}`;
}
