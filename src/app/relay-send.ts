/**
 * Use case `mxt send`: submit one test message to a receive connector of a server of the topology,
 * with the stack's own outbound client (nodemailer's SMTPConnection), and report every reply that
 * decided it. Returns data; never prints.
 *
 * - Connector: --connector, else the entry point a client of that kind reaches
 *   (core/policy/submission-connector.ts).
 * - Where it listens: --address/--port-offset when given (as given to `relay start`), else the
 *   server's node in DIR/relay-up.json (`relay up`), else the connector's binding as written.
 * - TLS: STARTTLS when offered (`auto`), required (`require`) or never (`none`); the certificate is
 *   checked against the organization CA of the data folder (`mxt relay cert`) when there is one.
 * - Addresses go through the core's address rules (core/model/address.ts), the ones the relay
 *   applies at MAIL and RCPT.
 *
 * Security: opens one SMTP connection; sends a password only after STARTTLS unless --tls none.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { loadConfig, requireTopology } from '../config/load.js';
import { addressArguments, parseMailbox, unbracket } from '../core/model/address.js';
import { sameName } from '../core/model/names.js';
import { parseSize } from '../core/model/units.js';
import type { ListenerMapping } from '../core/policy/listeners.js';
import { submissionConnector, submissionEndpoint } from '../core/policy/submission-connector.js';
import { UserError } from '../errors.js';
import { dataDirOf } from '../relay/queue/data-dir.js';
import { replyParts, type SmtpReply } from '../relay/deliver/smtp-client.js';
import { caPaths } from '../relay/tls/certificates.js';
import { labMapping } from './lab-mapping.js';
import { buildTestMessage, newMessageId } from './relay-send-message.js';
import { readLabState } from './relay-lab.js';

export type SendTls = 'auto' | 'require' | 'none';

export interface SendOptions {
  config?: string;
  cwd: string;
  server: string;
  connector?: string;
  from: string;
  to: readonly string[];
  subject?: string;
  body?: string;
  bodyFile?: string;
  headers?: readonly string[];
  size?: string;
  auth?: { user: string; password: string };
  tls?: SendTls;
  ehlo?: string;
  dataDir?: string;
  address?: string;
  portOffset?: string;
  messageId?: string;
  /** Tests: a fixed clock. */
  now?: () => Date;
}

export interface SentReply {
  /** The command the reply answers (`MAIL FROM:<…>`, `RCPT TO:<…>`, `DATA`, `.` for the message). */
  command: string;
  reply: SmtpReply;
}

export interface SendResult {
  server: string;
  connector: string;
  endpoint: { host: string; port: number };
  /** Where the endpoint came from. */
  endpointFrom: 'flags' | 'relay-up' | 'binding';
  tls: boolean;
  authenticated: boolean;
  messageId: string;
  size: number;
  accepted: string[];
  rejected: { recipient: string; reply: SmtpReply }[];
  /** The reply to MAIL FROM. */
  mailFrom: SmtpReply | null;
  /** The reply that ended the transaction: to the message (after DATA), else the refusal before it. */
  reply: SmtpReply | null;
  /** Every command and its reply, in order (AUTH arguments masked). */
  transcript: SentReply[];
}

/** A recipient the session ended before it was asked for (the connection closed). */
const NO_REPLY: SmtpReply = { code: 0, enhancedCode: '', text: 'no reply: the session ended before this recipient' };

function sender(text: string): string {
  const address = unbracket(text);
  if (address === '') return '';
  const parsed = parseMailbox(address, { utf8: true });
  if (!parsed.ok) throw new UserError(`--from ${text}: ${parsed.reason}`, 'e.g. --from someone@example.net (or --from "<>" for the null sender)');
  return parsed.mailbox.canonical;
}

function recipients(values: readonly string[]): string[] {
  const list = addressArguments(values);
  if (list.length === 0) throw new UserError('give at least one recipient with --to', 'e.g. --to alice@contoso.com (repeat, or a comma list)');
  return list.map((address) => {
    const parsed = parseMailbox(address, { utf8: true });
    if (!parsed.ok) throw new UserError(`--to ${address}: ${parsed.reason}`, 'e.g. --to alice@contoso.com');
    return parsed.mailbox.canonical;
  });
}

function bodyOf(options: SendOptions): string {
  if (options.body !== undefined && options.bodyFile !== undefined) throw new UserError('give --body or --body-file, not both');
  if (options.bodyFile === undefined) return options.body ?? 'This is a test message sent by mxt send.';
  try {
    return readFileSync(path.resolve(options.cwd, options.bodyFile), 'utf8');
  } catch (error) {
    throw new UserError(`--body-file ${options.bodyFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function sizeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseSize(text);
  if (!parsed.ok || !Number.isFinite(parsed.value)) throw new UserError(`--size ${text}: ${parsed.ok ? 'a test message needs a finite size' : parsed.error}`, 'e.g. --size 30MB');
  return parsed.value;
}

/** --address/--port-offset, else the node of relay-up.json, else none (the binding as written). */
async function mappingFor(options: SendOptions, dataDir: string, server: string): Promise<{ mapping: ListenerMapping; from: SendResult['endpointFrom'] }> {
  if (options.address !== undefined || options.portOffset !== undefined) return { mapping: labMapping(options), from: 'flags' };
  const node = (await readLabState(dataDir))?.nodes.find((n) => sameName(n.server, server));
  if (node) return { mapping: labMapping(node), from: 'relay-up' };
  return { mapping: {}, from: 'binding' };
}

/**
 * A transaction log of the connection: nodemailer reports each command it writes and each reply it
 * reads, in order; replies come in the order of the commands (RFC 5321 4.1, and RFC 2920 when
 * pipelined), so each reply answers the oldest command not yet answered. The first reply is the
 * greeting; a reply with no command waiting answers the message sent after `354`.
 */
function transcriptLogger(transcript: SentReply[]) {
  const waiting: string[] = [];
  let greeted = false;
  const log = (entry: { tnx?: string }, message: unknown): void => {
    const text = String(message);
    if (entry?.tnx === 'client') waiting.push(text);
    else if (entry?.tnx === 'server') {
      const command = greeted ? (waiting.shift() ?? '.') : '(greeting)';
      greeted = true;
      transcript.push({ command, reply: replyParts(text) });
    }
  };
  const quiet = (): void => undefined;
  return { debug: log, info: quiet, warn: quiet, error: quiet, trace: quiet, fatal: quiet };
}

function connectError(endpoint: { host: string; port: number }, error: { code?: string; message?: string }): UserError {
  const where = `${endpoint.host}:${endpoint.port}`;
  const what = error.message ?? String(error);
  const hint =
    error.code === 'ECONNECTION' || /ECONNREFUSED/.test(what)
      ? 'is the relay running there? (mxt relay start --server S --address IP --port-offset N, or mxt relay up; give mxt send the same --address and --port-offset)'
      : error.code === 'ETLS'
        ? 'with --tls none the message goes without STARTTLS; mxt relay cert makes the certificates the relay needs'
        : undefined;
  return new UserError(`cannot send to ${where}: ${what}`, hint, 1);
}

export async function sendTestMessage(options: SendOptions): Promise<SendResult> {
  const from = sender(options.from);
  const to = recipients(options.to);
  const body = bodyOf(options);
  const size = sizeOf(options.size);
  const tlsMode = options.tls ?? 'auto';
  const dataDir = dataDirOf(options);
  const topology = requireTopology(await loadConfig({ config: options.config, cwd: options.cwd }));
  const server = topology.servers.find((s) => sameName(s.name, options.server));
  if (!server) throw new UserError(`unknown server "${options.server}"`, `servers in this topology: ${topology.servers.map((s) => s.name).join(', ') || 'none'}`);
  const choice = submissionConnector(topology, server, { ...(options.connector !== undefined ? { name: options.connector } : {}), authenticated: options.auth !== undefined });
  if (!choice.ok) throw new UserError(choice.reason, choice.hint);
  const { connector } = choice;
  const { mapping, from: endpointFrom } = await mappingFor(options, dataDir, server.name);
  const endpoint = submissionEndpoint(connector, server, mapping);
  if (!endpoint) throw new UserError(`receive connector "${connector.name}" has no binding to connect to`);

  const now = options.now?.() ?? new Date();
  const domain = from.includes('@') ? from.slice(from.lastIndexOf('@') + 1) : server.fqdn;
  const messageId = options.messageId !== undefined ? options.messageId.replace(/^<|>$/g, '') : newMessageId(randomBytes(8).toString('hex'), now.getTime(), domain);
  if (!/^[\x21-\x3b\x3d\x3f\x41-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/.test(messageId)) throw new UserError(`--message-id ${options.messageId}: not a Message-ID`, 'write it as left@right, e.g. --message-id test-1@example.net');
  const content = buildTestMessage({ messageId, date: now, from, to, subject: options.subject ?? `mxt send test ${messageId}`, body, headers: options.headers ?? [], ...(size !== undefined ? { size } : {}) });

  const ca = caPaths(dataDir).caCert;
  const trusted = existsSync(ca) ? readFileSync(ca) : undefined;
  const transcript: SentReply[] = [];
  const conn = new SMTPConnection({
    host: endpoint.host,
    port: endpoint.port,
    secure: false,
    name: options.ehlo ?? hostname(),
    ignoreTLS: tlsMode === 'none',
    requireTLS: tlsMode === 'require',
    opportunisticTLS: tlsMode === 'auto',
    // The organization CA (mxt relay cert) vouches for the relay's certificate, issued for the connector's FQDN.
    tls: trusted ? { ca: trusted, rejectUnauthorized: true, servername: connector.fqdn } : { rejectUnauthorized: false },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    allowInternalNetworkInterfaces: true,
    logger: transcriptLogger(transcript),
    transactionLog: true,
  } as SMTPConnection.Options);
  const result = (reply: SmtpReply | null, accepted: string[], rejected: SendResult['rejected']): SendResult => ({
    server: server.name,
    connector: connector.name,
    endpoint: { host: endpoint.host, port: endpoint.port },
    endpointFrom,
    tls: conn.secure,
    authenticated: conn.authenticated,
    messageId: `<${messageId}>`,
    size: content.length,
    accepted,
    rejected,
    mailFrom: transcript.find((t) => t.command.startsWith('MAIL FROM'))?.reply ?? null,
    reply,
    transcript,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      conn.once('error', reject);
      conn.connect(() => {
        conn.removeListener('error', reject);
        resolve();
      });
    });
  } catch (error) {
    conn.close();
    throw connectError(endpoint, error as { code?: string; message?: string });
  }
  try {
    if (options.auth) {
      const login = await new Promise<Error | undefined>((resolve) => conn.login({ user: options.auth!.user, pass: options.auth!.password }, (err) => resolve(err ?? undefined)));
      if (login) {
        const refused = [...transcript].reverse().find((t) => t.reply.code >= 400)?.reply ?? null;
        if (!refused) throw connectError(endpoint, login);
        return result(refused, [], to.map((recipient) => ({ recipient, reply: refused })));
      }
    }
    // Declared (RFC 1870) when it fits what the EHLO advertised; a message over it goes undeclared,
    // or the client would refuse to send it: the point of --size is to see the relay refuse it.
    const advertised = Number(/\bSIZE (\d+)/.exec([...transcript].reverse().find((t) => t.command.startsWith('EHLO'))?.reply.text ?? '')?.[1] ?? 0);
    const declared = advertised === 0 || content.length <= advertised ? { size: content.length } : {};
    const sent = await new Promise<{ error?: { code?: string; message?: string; responseCode?: number } }>((resolve) =>
      conn.send({ from, to, ...declared, use8BitMime: !/^[\x00-\x7f]*$/.test(body) } as SMTPConnection.Envelope, content, (err) => resolve(err ? { error: err as never } : {})),
    );
    if (sent.error && !sent.error.responseCode) throw connectError(endpoint, sent.error);
    const rcpt = new Map(transcript.filter((t) => t.command.startsWith('RCPT TO:')).map((t) => [/^RCPT TO:<(.*?)>/.exec(t.command)?.[1] ?? '', t.reply]));
    const mail = transcript.find((t) => t.command.startsWith('MAIL FROM'))?.reply;
    const refusedAtMail = mail !== undefined && mail.code >= 400 ? mail : undefined;
    const accepted = refusedAtMail ? [] : to.filter((r) => (rcpt.get(r)?.code ?? 0) < 300 && rcpt.has(r));
    const rejected = to.filter((r) => !accepted.includes(r)).map((recipient) => ({ recipient, reply: refusedAtMail ?? rcpt.get(recipient) ?? NO_REPLY }));
    const data = [...transcript].reverse().find((t) => t.command === '.' || (t.command === 'DATA' && t.reply.code !== 354));
    const final = refusedAtMail ?? data?.reply ?? rejected.at(-1)?.reply ?? null;
    return result(final, accepted, rejected);
  } finally {
    conn.quit();
  }
}
