/**
 * Use case `mxt trace MESSAGE-ID`: the message-tracking events of one message on every relay node
 * of a data folder, in time order, as Get-MessageTrackingLog -MessageId would list them across the
 * organization's servers. Returns data; never prints.
 *
 * - Nodes: `--server` (repeat), else every `DIR/<SERVER>` with a tracking log, in name order. The
 *   nodes of `mxt relay up` keep their data there too, so they are found without its relay-up.json.
 * - The id is compared as Exchange compares a Message-ID: the text inside the angle brackets, as
 *   written (`<a@b>` and `a@b` are the same id).
 * - An id of digits only that no event has as its Message-ID is taken as an InternalMessageId (the
 *   queue's row, which `queue show` and the 250 reply print: `[InternalId=…]`). That number is only
 *   unique on one node while its message is queued: when it names one message, that message's
 *   Message-ID is traced on every node; when several (on other nodes, or a number used again), it is
 *   a usage error that lists their Message-IDs (--server narrows the search).
 * - Reports: a DSN event names the report's own Message-ID (`reference`); the report's events
 *   (its RECEIVE as the relay generates it, SEND, DELIVER … towards the sender) are added, one level
 *   deep (a report never causes another: it goes from `<>`).
 * - Order: by timestamp; events of one millisecond keep the order of the nodes (by name) and of the
 *   lines in each log; a node's RECEIVE of a message comes before its other events for it.
 *
 * Security: reads the tracking logs of the data folder; writes nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sameName } from '../core/model/names.js';
import { UserError } from '../errors.js';
import { dataDirOf, serverDataDir, trackingLogFile } from '../relay/queue/data-dir.js';
import { readTrackingLog, type TrackingLine } from '../relay/server/tracking-log-reader.js';

export interface TraceOptions {
  /** A Message-ID, with or without its angle brackets, or an InternalMessageId. */
  id: string;
  dataDir?: string;
  servers?: readonly string[];
  cwd: string;
}

/** One logged event: where it was logged, when, then the logged fields under their own names. */
export interface TraceEvent {
  timestamp: string;
  /** The node (its folder under the data folder). */
  server: string;
  eventId?: string;
  [field: string]: unknown;
}

export interface SearchedLog {
  server: string;
  log: string;
  /** Lines that are not JSON (skipped). */
  skippedLines: number;
  /** The log ends in half a line (a relay that stopped while writing it). */
  tornLastLine: boolean;
}

export interface TraceResult {
  /** The Message-ID traced, without angle brackets. */
  messageId: string;
  /** When the id given was an InternalMessageId: the node and number it named. */
  internalMessageId?: { server: string; id: string };
  events: TraceEvent[];
  /** The Message-IDs of the reports (DSNs) whose events were added. */
  reports: string[];
  searched: SearchedLog[];
  dataDir: string;
}

interface Node {
  server: string;
  log: string;
}

interface Found {
  node: Node;
  line: TrackingLine;
}

/** The id inside `<…>`, as Exchange compares Message-IDs. */
export function bareMessageId(text: string): string {
  const t = text.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1).trim() : t;
}

function nodesOf(dataDir: string, servers: readonly string[] | undefined): Node[] {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new UserError(`no data folder ${dataDir}`, 'give --data-dir DIR: the folder given to mxt relay start or mxt relay up (default .mxt in the current folder)');
  }
  const folders = readdirSync(dataDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const withLog = folders.filter((name) => existsSync(trackingLogFile(serverDataDir(dataDir, name))));
  if (servers && servers.length > 0) {
    return servers.map((wanted) => {
      const name = withLog.find((f) => sameName(f, wanted));
      if (!name) throw new UserError(`${wanted}: no tracking log in ${dataDir}`, withLog.length ? `nodes with a tracking log there: ${withLog.join(', ')}` : 'has a relay run with this --data-dir?');
      return { server: name, log: trackingLogFile(serverDataDir(dataDir, name)) };
    });
  }
  const names = [...withLog].sort();
  if (names.length === 0) throw new UserError(`no tracking log under ${dataDir}`, 'has a relay run with this --data-dir? (each node writes DIR/<SERVER>/logs/tracking.log)');
  return names.map((server) => ({ server, log: trackingLogFile(serverDataDir(dataDir, server)) }));
}

/** One pass over every node's log, keeping the lines `keep` wants; `needles` pre-filter the lines. */
async function scan(nodes: Node[], needles: string[], keep: (fields: Record<string, unknown>) => boolean, searched?: SearchedLog[]): Promise<Found[]> {
  const found: Found[] = [];
  for (const node of nodes) {
    const stats = await readTrackingLog(node.log, needles, (line) => {
      if (keep(line.fields)) found.push({ node, line });
    });
    searched?.push({ server: node.server, log: node.log, skippedLines: stats.skipped, tornLastLine: stats.torn });
  }
  return found;
}

const needle = (value: string): string => JSON.stringify(value).slice(1, -1);
const idOf = (fields: Record<string, unknown>): string | undefined => (typeof fields.messageId === 'string' ? bareMessageId(fields.messageId) : undefined);

function asEvent({ node, line }: Found): TraceEvent {
  const { time, level: _level, ...fields } = line.fields;
  return { timestamp: typeof time === 'string' ? time : new Date(Number(time)).toISOString(), server: node.server, ...fields };
}

/**
 * The id given as an InternalMessageId: the Message-ID of the one message that has it. A row number
 * is unique on one node at a time only: nodes count on their own, and a node reuses the number of a
 * message that has left its queue.
 */
function resolveInternal(id: string, hits: Found[]): { server: string; messageId: string } | undefined {
  const messages = new Map<string, string[]>();
  for (const { node, line } of hits) {
    const messageId = idOf(line.fields);
    if (!messageId) continue;
    const servers = messages.get(messageId) ?? [];
    if (!servers.includes(node.server)) servers.push(node.server);
    messages.set(messageId, servers);
  }
  if (messages.size > 1) {
    const list = [...messages].map(([messageId, servers]) => `<${messageId}> on ${servers.join(', ')}`).join('; ');
    throw new UserError(`internal message id ${id} was several messages: ${list}`, 'an internal id is unique on one node only, and only while its message is queued: give the Message-ID');
  }
  const [only] = [...messages];
  return only ? { server: only[1][0]!, messageId: only[0] } : undefined;
}

export async function traceMessage(options: TraceOptions): Promise<TraceResult> {
  const dataDir = dataDirOf(options);
  const given = bareMessageId(options.id);
  if (given === '') throw new UserError('the message id is empty', 'give the Message-ID that mxt send printed (or the one in the message header)');
  const nodes = nodesOf(dataDir, options.servers);
  const searched: SearchedLog[] = [];
  const internal = /^\d+$/.test(given);
  const first = await scan(
    nodes,
    internal ? [needle(given), `"internalMessageId":"${given}"`] : [needle(given)],
    (f) => idOf(f) === given || (internal && f.internalMessageId === given),
    searched,
  );
  let messageId = given;
  let found = first.filter((f) => idOf(f.line.fields) === given);
  let resolved: { server: string; id: string } | undefined;
  if (found.length === 0 && internal) {
    const hit = resolveInternal(given, first.filter((f) => f.line.fields.internalMessageId === given));
    if (hit) {
      messageId = hit.messageId;
      resolved = { server: hit.server, id: given };
      found = await scan(nodes, [needle(messageId)], (f) => idOf(f) === messageId);
    }
  }
  const reports = [...new Set(found.flatMap((f) => (f.line.fields.eventId === 'DSN' && typeof f.line.fields.reference === 'string' ? [bareMessageId(f.line.fields.reference)] : [])))];
  if (reports.length > 0) {
    const wanted = new Set(reports);
    found = found.concat(await scan(nodes, reports.map(needle), (f) => wanted.has(idOf(f) ?? '')));
  }
  const order = new Map(nodes.map((n, i) => [n.server, i]));
  // A node's RECEIVE of a message is its first event for it: the front door's thread may write it a
  // millisecond after the queue's thread wrote the message's EXPAND, so an event is placed no earlier
  // than the RECEIVE of its message on its node (the logged timestamps are shown as they are).
  const received = new Map<string, number>();
  const keyOf = (e: TraceEvent) => `${e.server}\u0000${String(e.internalMessageId ?? '')}\u0000${idOf(e) ?? ''}`;
  const all = found.sort((a, b) => (order.get(a.node.server)! - order.get(b.node.server)!) || a.line.index - b.line.index).map(asEvent);
  for (const e of all) if (e.eventId === 'RECEIVE') received.set(keyOf(e), Date.parse(e.timestamp));
  const placed = (e: TraceEvent) => Math.max(Date.parse(e.timestamp), received.get(keyOf(e)) ?? -Infinity);
  const receiveFirst = (e: TraceEvent) => (e.eventId === 'RECEIVE' ? 0 : 1);
  const events = all.map((e, i) => ({ e, i })).sort((a, b) => placed(a.e) - placed(b.e) || (a.e.server === b.e.server ? receiveFirst(a.e) - receiveFirst(b.e) : 0) || a.i - b.i).map(({ e }) => e);
  return { messageId, ...(resolved ? { internalMessageId: resolved } : {}), events, reports, searched, dataDir };
}
