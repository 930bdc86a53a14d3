/**
 * One SMTP session of a receive connector: a state machine over bytes in and replies out, with no
 * socket of its own (src/relay/server gives it one). Modelled on smtp-server's habits: one gate
 * before every handler (`gate`), one handler per verb opening with guard clauses, one function that
 * writes replies (`send`) from the table in core/policy/replies.ts, and every policy question (EHLO
 * keywords, principal and rights, MAIL FROM, RCPT TO, ETRN, ATRN) asked of core/policy.
 *
 * Framing has three modes: command lines (LF-terminated, CR stripped, bounded length), DATA content
 * (data-reader.ts: only CRLF.CRLF ends it) and BDAT chunks (octet-counted, RFC 3030). Input that
 * arrives while a handler awaits (the store, the password check, the TLS handshake) waits in the
 * buffer, in order, which is what makes PIPELINING (RFC 2920) work; input buffered when STARTTLS is
 * accepted is discarded (RFC 3207 5, the CVE-2011-0411 class).
 *
 * Security: faces network clients. Limits are named below with their reason; every buffer is capped.
 * Diagnostics: client mistakes are SMTP replies; a failing store is 451 4.3.0 (MessageSink contract).
 */
import { decideMailFrom, decideRcpt } from '../../core/policy/decisions.js';
import { authMechanismsOffered, ehloKeywords, startTlsOffered } from '../../core/policy/ehlo.js';
import { decideAtrn, decideEtrn, etrnOutcome } from '../../core/policy/legacy-verbs.js';
import { exceedsLocalHopCount } from '../../core/policy/local-hops.js';
import { protocolErrorLimit } from '../../core/policy/listeners.js';
import { hasRight, sessionPermissions, sessionPrincipal, type SessionPermissions, type SessionPrincipal } from '../../core/policy/permissions.js';
import { formatReply, reply, type Reply } from '../../core/policy/replies.js';
import { tlsClientPrincipal, type TlsClientCertificate } from '../../core/policy/tls-principal.js';
import { isDomainName } from '../../core/model/address-space.js';
import type { ReceiveConnector, Server, Topology } from '../../core/model/topology.js';
import { isSinkReply, type AcceptedMessage, type AcceptResult, type EnvelopeRecipient, type MessageSink, type SinkReply } from '../sink.js';
import { decodeXtext, hasNonAscii, parseBdat, parseCommandLine, parsePathArgument, pathAddress } from './commands.js';
import { ChunkCollector, DataReader, type BareLineEndings, type DataResult } from './data-reader.js';
import { headerFacts, rfc5322Date, stampMessage, withProtocol } from './headers.js';

/** RFC 5321 4.5.3.1.4 allows 512 octets; ESMTP parameters and AUTH PLAIN initial responses (RFC 4954 4: 12288) need more. */
export const COMMAND_LINE_LIMIT = 12_288;
/** A message kept in memory is never larger than this, even when the session bypasses size limits. */
export const MAX_BUFFERED_MESSAGE = 512 * 1024 * 1024;
/** Verbs this engine knows (HELP lists the ones the connector serves). */
const VERBS = ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'EXPN', 'HELP', 'STARTTLS', 'AUTH', 'ETRN', 'TURN', 'ATRN'] as const;
type Verb = (typeof VERBS)[number];
/** R53: what a RequireTLS connector allows before TLS. */
const BEFORE_TLS: ReadonlySet<string> = new Set(['EHLO', 'HELO', 'STARTTLS', 'NOOP', 'RSET', 'QUIT']);
/** R53 "Send hello first": verbs that need HELO/EHLO. */
const AFTER_HELLO: ReadonlySet<string> = new Set(['MAIL', 'RCPT', 'DATA', 'BDAT', 'AUTH', 'ETRN', 'ATRN', 'STARTTLS']);
/** Replies that count as protocol errors (MaxProtocolErrors, R23). Relay refusals do not (R60). */
const PROTOCOL_ERROR_CODES: ReadonlySet<number> = new Set([500, 501, 502, 503, 504, 555]);

export interface SessionIo {
  /** Write bytes to the client. */
  write(text: string): void;
  /** Close the connection after what was written. */
  close(): void;
  /** Run the TLS handshake on the connection; resolves with the client certificate, if any. */
  upgradeTls(): Promise<TlsClientCertificate | undefined>;
  /** Protocol log: each command (AUTH secrets masked) and reply. */
  log?(direction: 'in' | 'out', text: string): void;
}

export interface AuthenticatedUser {
  name: string;
  /** The sender addresses the user owns (R57 step 4); undefined: any. */
  addresses?: readonly string[];
}

export interface SessionContext {
  topology: Topology;
  server: Server;
  connector: ReceiveConnector;
  sessionId: string;
  clientIp: string;
  /** A certificate for STARTTLS is loaded (R45 `Tls`). */
  tlsAvailable: boolean;
  sink: MessageSink;
  now(): Date;
  /** A new message id (unique per relay). */
  newId(): string;
  /** Waits (AuthTarpitInterval); tests pass one that does not. */
  delay(ms: number): Promise<void>;
  /** Checks a password; resolves the user or undefined. */
  authenticate(user: string, password: string): Promise<AuthenticatedUser | undefined>;
  bareLineEndings?: BareLineEndings;
  /** R23 MessageRateLimit: may this session start another message now; and count one stored. */
  messageRate?: { allows(user: string | undefined): boolean; count(user: string | undefined): void };
  /** Told of each stored message (message tracking RECEIVE), with its Message-ID as relayed. */
  onAccepted?(message: AcceptedMessage, result: AcceptResult, messageId: string): void;
}

interface Transaction {
  sender: string;
  bodyType: AcceptedMessage['bodyType'];
  smtpUtf8: boolean;
  ret?: 'FULL' | 'HDRS';
  envid?: string;
  recipients: EnvelopeRecipient[];
  chunks?: ChunkCollector;
}

type Mode =
  | { kind: 'command' }
  | { kind: 'data'; reader: DataReader }
  | { kind: 'bdat'; remaining: number; last: boolean; refusal: Reply | undefined }
  | { kind: 'authResponse'; mechanism: 'PLAIN' | 'LOGIN'; user?: string }
  | { kind: 'closed' };

export class SmtpSession {
  private buffer: Buffer = Buffer.alloc(0);
  private mode: Mode = { kind: 'command' };
  private busy = false;
  private greeted = false;
  private earlyTalker = false;
  /** Discarding an over-long command line up to its LF. */
  private discarding = false;
  private helo: { name: string; extended: boolean } | undefined;
  private tlsActive = false;
  private principal: SessionPrincipal;
  private permissions: SessionPermissions;
  private user: AuthenticatedUser | undefined;
  private tlsName: string | undefined;
  private tx: Transaction | undefined;
  private protocolErrors = 0;
  private logonFailures = 0;
  private inputEnded = false;

  constructor(private readonly ctx: SessionContext, private readonly io: SessionIo) {
    this.principal = sessionPrincipal(ctx.connector, 'none');
    this.permissions = permissionsOf(ctx.connector, this.principal.principal);
  }

  get closed(): boolean {
    return this.mode.kind === 'closed';
  }

  /** The greeting (R50), or the early-talker refusal when the client spoke first. */
  start(): void {
    if (this.closed) return;
    this.greeted = true;
    if (this.earlyTalker) return this.send(reply('earlyTalker'), { close: true });
    const { connector } = this.ctx;
    if (connector.banner) return this.sendRaw(connector.banner);
    this.send(reply('greeting', { fqdn: connector.fqdn, date: rfc5322Date(this.ctx.now()) }));
  }

  /** Bytes from the client. */
  feed(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.greeted) {
      this.earlyTalker = true;
      return;
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.pump();
  }

  /**
   * The client half-closed its side (some clients, Exim among them, pipeline QUIT and shut down
   * writing): answer everything still buffered or in progress, then close.
   */
  endOfInput(): void {
    this.inputEnded = true;
    this.pump();
  }

  /** ConnectionInactivityTimeout or ConnectionTimeout (R23) fired; the server keeps the clocks. */
  timeout(which: 'inactivity' | 'connection'): void {
    if (this.closed) return;
    this.send(reply(which === 'inactivity' ? 'inactivityTimeout' : 'connectionTimeout'), { close: true });
  }

  /** The relay is stopping. */
  shutdown(): void {
    if (this.closed) return;
    this.send(reply('shuttingDown'), { close: true });
  }

  // ---- framing ---------------------------------------------------------------------------------

  private pump(): void {
    while (!this.busy && !this.closed && this.buffer.length > 0) {
      const mode = this.mode;
      if (mode.kind === 'data') {
        const end = mode.reader.feed(this.buffer);
        this.buffer = end < 0 ? Buffer.alloc(0) : this.buffer.subarray(end);
        if (end >= 0) this.run(() => this.finishData(mode.reader.result()));
        continue;
      }
      if (mode.kind === 'bdat') {
        const take = Math.min(mode.remaining, this.buffer.length);
        if (mode.refusal === undefined) this.tx?.chunks?.add(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        mode.remaining -= take;
        if (mode.remaining === 0) this.run(() => this.finishChunk(mode));
        continue;
      }
      const lf = this.buffer.indexOf(10);
      if (lf < 0) {
        if (this.buffer.length > COMMAND_LINE_LIMIT) {
          this.discarding = true;
          this.buffer = Buffer.alloc(0);
        }
        return;
      }
      const raw = this.buffer.subarray(0, lf > 0 && this.buffer[lf - 1] === 13 ? lf - 1 : lf);
      this.buffer = this.buffer.subarray(lf + 1);
      if (this.discarding || raw.length > COMMAND_LINE_LIMIT) {
        this.discarding = false;
        this.io.log?.('in', `[line of more than ${COMMAND_LINE_LIMIT} octets]`);
        this.send(reply('lineTooLong'));
        continue;
      }
      this.run(() => this.onLine(raw));
    }
    // A BDAT chunk of zero octets completes with no input at all.
    if (!this.busy && this.mode.kind === 'bdat' && this.mode.remaining === 0) {
      const mode = this.mode;
      this.run(() => this.finishChunk(mode));
    }
    if (this.inputEnded && !this.busy && !this.closed) this.close();
  }

  /**
   * Runs a handler; while it awaits, input waits in the buffer in order. A handler that throws (a bug)
   * ends this session with 451 4.3.0, never the process.
   */
  private run(handler: () => void | Promise<void>): void {
    let result: void | Promise<void>;
    try {
      result = handler();
    } catch {
      return this.send(reply('storeFailed'), { close: true });
    }
    if (!(result instanceof Promise)) return;
    this.busy = true;
    result
      .catch(() => this.send(reply('storeFailed'), { close: true }))
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private onLine(raw: Buffer): void | Promise<void> {
    if (raw.includes(0)) {
      this.io.log?.('in', '[command with NUL]');
      return this.send(reply('nulInCommand'));
    }
    const line = raw.toString('utf8');
    if (this.mode.kind === 'authResponse') return this.authResponse(this.mode, line);
    const command = parseCommandLine(line);
    this.io.log?.('in', command.verb === 'AUTH' ? `AUTH ${command.args.split(' ')[0] ?? ''}${command.args.includes(' ') ? ' ****' : ''}` : line);
    return this.gate(command.verb, command.args);
  }

  // ---- the gate ----------------------------------------------------------------------------------

  /**
   * Checks before every handler, in this order, each one early return with one reply:
   * 1. an unknown verb (500 5.3.3);
   * 2. a verb this connector does not serve (502 5.3.3): EXPN, BDAT without CHUNKING;
   * 3. RequireTLS before STARTTLS (R53, 530 5.7.0);
   * 4. "Send hello first" (R53, 503 5.5.2).
   */
  private gate(verb: string, args: string): void | Promise<void> {
    if (!(VERBS as readonly string[]).includes(verb)) return this.send(reply('unrecognizedCommand'));
    if (!this.serves(verb as Verb)) return this.send(reply('notImplemented'));
    if (this.ctx.connector.requireTLS && !this.tlsActive && !BEFORE_TLS.has(verb)) return this.send(reply('mustStartTls'));
    if (!this.helo && AFTER_HELLO.has(verb)) return this.send(reply('helloFirst'));
    return this.handlers[verb as Verb](args);
  }

  private serves(verb: Verb): boolean {
    if (verb === 'EXPN') return false; // R54
    if (verb === 'BDAT') return this.ctx.connector.chunkingEnabled;
    return true;
  }

  private readonly handlers: Record<Verb, (args: string) => void | Promise<void>> = {
    HELO: (args) => this.hello(args, false),
    EHLO: (args) => this.hello(args, true),
    MAIL: (args) => this.mail(args),
    RCPT: (args) => this.rcpt(args),
    DATA: (args) => this.data(args),
    BDAT: (args) => this.bdat(args),
    RSET: () => {
      this.tx = undefined;
      this.send(reply('reset'));
    },
    NOOP: () => this.send(reply('noop')),
    QUIT: () => this.send(reply('quit'), { close: true }),
    VRFY: () => this.send(reply('vrfy')), // R54: never reveals whether an address exists
    EXPN: () => this.send(reply('notImplemented')),
    HELP: () => this.help(),
    STARTTLS: (args) => this.startTls(args),
    AUTH: (args) => this.auth(args),
    ETRN: (args) => this.etrn(args),
    TURN: () => this.send(reply('turnRefused')), // R54
    ATRN: () => this.send(decideAtrn(this.ctx.connector, this.permissions)), // R54
  };

  // ---- handlers ----------------------------------------------------------------------------------

  /** R51: HELO/EHLO; a new hello ends any transaction (RFC 5321 4.1.4). */
  private hello(args: string, extended: boolean): void {
    const name = args.trim();
    if (name === '' && this.ctx.connector.requireEHLODomain) return this.send(reply('invalidHeloDomain'), { close: true });
    if (name !== '' && !validHeloName(name)) return this.send(reply('invalidHeloDomain'));
    this.helo = { name: name || `[${this.ctx.clientIp}]`, extended };
    this.tx = undefined;
    const greeting = reply('helo', { fqdn: this.ctx.connector.fqdn, clientIp: this.ctx.clientIp });
    if (!extended) return this.send(greeting);
    const keywords = ehloKeywords(this.ctx.connector, { tlsActive: this.tlsActive, certificateAvailable: this.ctx.tlsAvailable });
    this.sendLines(250, [greeting.text, ...keywords]);
  }

  private mail(args: string): void {
    if (this.tx) return this.send(reply('senderAlreadySpecified'));
    const admission = this.ctx.sink.admission?.();
    if (admission) return this.send(sinkReply(admission));
    if (this.ctx.messageRate && !this.ctx.messageRate.allows(this.user?.name)) return this.send(reply('rateLimited'), { close: true });
    const path = parsePathArgument(args, 'FROM');
    if (!path.ok) return this.send(reply('syntaxError'));
    const { connector } = this.ctx;
    const tx: Transaction = { sender: '', bodyType: '7BIT', smtpUtf8: false, recipients: [] };
    let declaredSize: number | undefined;
    for (const [key, value] of path.value.params) {
      const bad = (): void => this.send(reply('syntaxError'));
      const unsupported = (): void => this.send(reply('unsupportedParameter', { parameter: key }));
      switch (key) {
        case 'SIZE': // RFC 1870
          if (connector.sizeEnabled === 'Disabled') return unsupported();
          if (value === undefined || !/^\d{1,15}$/.test(value)) return bad();
          declaredSize = Number(value);
          break;
        case 'BODY': {
          // RFC 6152 (8BITMIME), RFC 3030 (BINARYMIME, needs CHUNKING)
          const body = value?.toUpperCase();
          if (body === '7BIT') tx.bodyType = '7BIT';
          else if (body === '8BITMIME' && connector.eightBitMimeEnabled) tx.bodyType = '8BITMIME';
          else if (body === 'BINARYMIME' && connector.binaryMimeEnabled && connector.chunkingEnabled) tx.bodyType = 'BINARYMIME';
          else return unsupported();
          break;
        }
        case 'SMTPUTF8': // RFC 6531 3.4: no value
          if (!connector.smtpUtf8Enabled) return unsupported();
          if (value !== undefined) return bad();
          tx.smtpUtf8 = true;
          break;
        case 'RET': // RFC 3461 4.3
          if (!connector.deliveryStatusNotificationEnabled) return unsupported();
          if (value?.toUpperCase() !== 'FULL' && value?.toUpperCase() !== 'HDRS') return bad();
          tx.ret = value.toUpperCase() as 'FULL' | 'HDRS';
          break;
        case 'ENVID': {
          // RFC 3461 4.4: xtext, at most 100 characters
          if (!connector.deliveryStatusNotificationEnabled) return unsupported();
          const envid = value === undefined ? undefined : decodeXtext(value);
          if (envid === undefined || envid.length > 100) return bad();
          tx.envid = envid;
          break;
        }
        case 'AUTH': // RFC 4954 5: accepted and not trusted
          if (authMechanismsOffered(connector, this.tlsActive).length === 0) return unsupported();
          break;
        default:
          return unsupported();
      }
    }
    // The path is parsed after the parameters: UTF-8 is allowed only when this MAIL has SMTPUTF8 (RFC 6531 3.4).
    const sender = pathAddress(path.value.path, tx.smtpUtf8);
    tx.sender = sender.address;
    if (hasNonAscii(tx.sender) && !tx.smtpUtf8) return this.send(reply('nonAsciiNeedsSmtpUtf8'));
    const decision = decideMailFrom({
      topology: this.ctx.topology,
      connector,
      permissions: this.permissions,
      sender: tx.sender,
      senderParse: sender.parsed,
      declaredSize,
      ownedAddresses: this.user?.addresses,
      utf8: tx.smtpUtf8, // RFC 6531: UTF-8 addresses only in an SMTPUTF8 transaction
    });
    if (!decision.accepted) return this.send(decision.reply);
    this.tx = tx;
    this.send(decision.reply);
  }

  private rcpt(args: string): void {
    const tx = this.tx;
    if (!tx) return this.send(reply('needMail'));
    const path = parsePathArgument(args, 'TO');
    if (!path.ok) return this.send(reply('syntaxError'));
    const forward = pathAddress(path.value.path, tx.smtpUtf8);
    const recipient: { address: string; notify?: EnvelopeRecipient['notify']; orcpt?: string } = { address: forward.address };
    const dsn = this.ctx.connector.deliveryStatusNotificationEnabled;
    for (const [key, value] of path.value.params) {
      if ((key !== 'NOTIFY' && key !== 'ORCPT') || !dsn) return this.send(reply('unsupportedParameter', { parameter: key }));
      if (key === 'NOTIFY') {
        // RFC 3461 4.1: NEVER alone, or a list of SUCCESS, FAILURE, DELAY
        const values = (value ?? '').toUpperCase().split(',');
        const known = values.every((v) => v === 'NEVER' || v === 'SUCCESS' || v === 'FAILURE' || v === 'DELAY');
        if (!known || (values.includes('NEVER') && values.length > 1)) return this.send(reply('syntaxError'));
        recipient.notify = values as EnvelopeRecipient['notify'];
      } else {
        // RFC 3461 4.2: addr-type ";" xtext
        const semi = value?.indexOf(';') ?? -1;
        const decoded = value && semi > 0 ? decodeXtext(value.slice(semi + 1)) : undefined;
        if (!value || decoded === undefined) return this.send(reply('syntaxError'));
        recipient.orcpt = `${value.slice(0, semi)};${decoded}`;
      }
    }
    if (hasNonAscii(recipient.address) && !tx.smtpUtf8) return this.send(reply('nonAsciiNeedsSmtpUtf8'));
    const decision = decideRcpt({
      topology: this.ctx.topology,
      server: this.ctx.server,
      connector: this.ctx.connector,
      permissions: this.permissions,
      recipient: recipient.address,
      recipientParse: forward.parsed,
      acceptedSoFar: tx.recipients.length,
      utf8: tx.smtpUtf8,
    });
    if (decision.accepted) tx.recipients.push(recipient);
    this.send(decision.reply);
  }

  private data(args: string): void {
    const tx = this.tx;
    if (!tx) return this.send(reply('needMail'));
    if (tx.recipients.length === 0) return this.send(reply('needRcpt'));
    if (tx.chunks) return this.send(reply('dataAfterBdat'));
    if (tx.bodyType === 'BINARYMIME') return this.send(reply('dataWithBinaryMime'));
    if (args !== '') return this.send(reply('syntaxError'));
    const admission = this.ctx.sink.admission?.();
    if (admission) return this.send(sinkReply(admission));
    this.mode = { kind: 'data', reader: new DataReader(this.bufferLimit(), this.ctx.bareLineEndings ?? 'reject') };
    this.send(reply('startMailInput'));
  }

  /** RFC 3030: the chunk is read whatever the reply will be. */
  private bdat(args: string): void {
    const parsed = parseBdat(args);
    if (!parsed) return this.send(reply('syntaxError'));
    let refusal: Reply | undefined;
    if (!this.tx) refusal = reply('needMail');
    else if (this.tx.recipients.length === 0) refusal = reply('needRcpt');
    if (this.tx && !refusal) this.tx.chunks ??= new ChunkCollector(this.bufferLimit());
    this.mode = { kind: 'bdat', remaining: parsed.size, last: parsed.last, refusal };
  }

  private finishChunk(mode: Extract<Mode, { kind: 'bdat' }>): void | Promise<void> {
    this.mode = { kind: 'command' };
    if (mode.refusal) return this.send(mode.refusal);
    const tx = this.tx!;
    const chunks = tx.chunks!;
    if (chunks.truncated || chunks.size > this.sizeLimit()) {
      this.tx = undefined; // RFC 3030 2: later BDATs of this message get 503
      return this.send(reply('messageTooBig'));
    }
    if (!mode.last) return this.send(reply('chunkReceived', { octets: chunks.size }));
    const admission = this.ctx.sink.admission?.();
    if (admission) {
      this.tx = undefined;
      return this.send(sinkReply(admission));
    }
    return this.store(tx, chunks.content());
  }

  private finishData(result: DataResult): void | Promise<void> {
    this.mode = { kind: 'command' };
    const tx = this.tx!;
    if (result.truncated || result.size > this.sizeLimit()) return this.refuseMessage(reply('messageTooBig'));
    if (result.nul) return this.refuseMessage(reply('nulInData'));
    if (result.bareLineEnding && (this.ctx.bareLineEndings ?? 'reject') === 'reject') return this.refuseMessage(reply('bareLineEnding'));
    return this.store(tx, result.content);
  }

  private refuseMessage(value: Reply): void {
    this.tx = undefined;
    this.send(value);
  }

  /** Header limits, stamping, then the sink: 250 only once the store says the message is durable. */
  private async store(tx: Transaction, content: Buffer): Promise<void> {
    const { connector } = this.ctx;
    this.tx = undefined;
    const facts = headerFacts(content);
    if (facts.headerSize > connector.maxHeaderSize) return this.send(reply('headerTooBig'));
    if (facts.received > connector.maxHopCount) return this.send(reply('hopCountExceeded'));
    if (exceedsLocalHopCount(this.ctx.topology, connector, facts.receivedBy)) return this.send(reply('hopCountExceeded'));
    const id = this.ctx.newId();
    const now = this.ctx.now();
    const messageId = facts.messageId ?? `${id}@${connector.fqdn}`;
    const authenticated = this.user !== undefined || this.principal.principal !== 'anonymous';
    const stamped = stampMessage(
      content,
      facts,
      {
        heloName: this.helo?.name ?? '',
        clientIp: this.ctx.clientIp,
        fqdn: connector.fqdn,
        protocol: withProtocol(this.helo?.extended ?? false, this.tlsActive, authenticated && this.principal.principal !== 'externallySecured', tx.smtpUtf8),
        id,
        recipient: tx.recipients.length === 1 ? tx.recipients[0]!.address : undefined,
        date: now,
      },
      facts.messageId === undefined ? messageId : undefined,
    );
    const message: AcceptedMessage = {
      id,
      receivedAt: now,
      receiveConnector: connector.name,
      remoteAddress: this.ctx.clientIp,
      heloName: this.helo?.name ?? '',
      ...(this.user ? { authenticatedAs: this.user.name } : this.tlsName ? { authenticatedAs: this.tlsName } : {}),
      sender: tx.sender,
      recipients: tx.recipients,
      bodyType: tx.bodyType,
      smtpUtf8: tx.smtpUtf8,
      ...(tx.ret ? { ret: tx.ret } : {}),
      ...(tx.envid !== undefined ? { envid: tx.envid } : {}),
      content: stamped,
    };
    let result: AcceptResult;
    try {
      result = await this.ctx.sink.accept(message);
    } catch (error) {
      return this.send(isSinkReply(error) ? sinkReply(error) : reply('storeFailed'));
    }
    this.ctx.messageRate?.count(this.user?.name);
    this.ctx.onAccepted?.(message, result, messageId);
    this.send(reply('queued', { messageId, internalId: result.queueId, fqdn: connector.fqdn }));
  }

  private help(): void {
    const served = VERBS.filter((v) => this.serves(v) && v !== 'TURN' && v !== 'ATRN' && v !== 'VRFY');
    this.sendLines(214, [reply('help').text, served.join(' ')]);
  }

  /** R55, RFC 3207. */
  private async startTls(args: string): Promise<void> {
    if (this.tlsActive) return this.send(reply('secondStartTls'));
    if (!startTlsOffered(this.ctx.connector, { tlsActive: false, certificateAvailable: this.ctx.tlsAvailable })) return this.send(reply('tlsNotAvailable'));
    if (args !== '') return this.send(reply('syntaxError'));
    this.send(reply('startTls'));
    // RFC 3207 5 / CVE-2011-0411: nothing the client pipelined in clear text may run inside TLS.
    if (this.buffer.length > 0) this.io.log?.('in', `[${this.buffer.length} octets pipelined after STARTTLS discarded]`);
    this.buffer = Buffer.alloc(0);
    let certificate: TlsClientCertificate | undefined;
    try {
      certificate = await this.io.upgradeTls();
    } catch {
      this.mode = { kind: 'closed' };
      this.io.close();
      return;
    }
    // Everything learnt before TLS is forgotten; the client must EHLO again.
    this.buffer = Buffer.alloc(0);
    this.tlsActive = true;
    this.helo = undefined;
    this.tx = undefined;
    this.user = undefined;
    const tls = tlsClientPrincipal(this.ctx.topology, certificate);
    this.tlsName = tls.as;
    this.setPrincipal(sessionPrincipal(this.ctx.connector, tls.auth));
  }

  /** RFC 4954; mechanisms from core/policy (R45, R52a). */
  private auth(args: string): void | Promise<void> {
    if (this.user) return this.send(reply('authTwice'));
    if (this.tx) return this.send(reply('badSequence'));
    const [mechanismText = '', initial] = args.split(' ');
    const mechanism = mechanismText.toUpperCase();
    const { connector } = this.ctx;
    const offered = authMechanismsOffered(connector, this.tlsActive);
    if (!offered.includes(mechanism)) {
      const laterInTls = authMechanismsOffered(connector, true).includes(mechanism);
      return this.send(reply(laterInTls && !this.tlsActive ? 'authNeedsTls' : 'authMechanismNotOffered'));
    }
    if (mechanism === 'PLAIN') {
      if (initial === undefined) {
        this.mode = { kind: 'authResponse', mechanism: 'PLAIN' };
        return this.send(reply('authContinue', { challenge: '' }));
      }
      return this.authPlain(initial);
    }
    this.mode = { kind: 'authResponse', mechanism: 'LOGIN' };
    if (initial !== undefined) return this.authResponse(this.mode, initial);
    this.send(reply('authContinue', { challenge: Buffer.from('Username:').toString('base64') }));
  }

  private authResponse(mode: Extract<Mode, { kind: 'authResponse' }>, line: string): void | Promise<void> {
    this.io.log?.('in', '****');
    this.mode = { kind: 'command' };
    if (line.trim() === '*') return this.send(reply('authCancelled'));
    if (mode.mechanism === 'PLAIN') return this.authPlain(line.trim());
    const decoded = decodeBase64(line.trim());
    if (decoded === undefined) return this.send(reply('authInvalidResponse'));
    if (mode.user === undefined) {
      this.mode = { kind: 'authResponse', mechanism: 'LOGIN', user: decoded };
      return this.send(reply('authContinue', { challenge: Buffer.from('Password:').toString('base64') }));
    }
    return this.verify(mode.user, decoded);
  }

  private authPlain(initial: string): void | Promise<void> {
    const decoded = initial === '=' ? '' : decodeBase64(initial);
    const parts = decoded?.split('\0');
    if (!parts || parts.length !== 3) return this.send(reply('authInvalidResponse'));
    const [authzid, authcid, password] = parts as [string, string, string];
    if (authzid !== '' && authzid !== authcid) return this.verify('', ''); // no proxy authorisation
    return this.verify(authcid, password);
  }

  private async verify(name: string, password: string): Promise<void> {
    const user = name === '' ? undefined : await this.ctx.authenticate(name, password);
    const principal = sessionPrincipal(this.ctx.connector, 'user');
    // A user whose groups grant no ms-Exch-SMTP-Submit here still authenticates; MAIL FROM then gets
    // R53's "550 5.7.1 Client does not have permissions to submit to this server" (as route inbound says).
    if (!user || principal.principal === 'anonymous') {
      this.logonFailures += 1;
      await this.ctx.delay(this.ctx.connector.authTarpitInterval);
      if (this.logonFailures > this.ctx.connector.maxLogonFailures) return this.send(reply('tooManyErrors'), { close: true });
      return this.send(reply('authFailed'));
    }
    this.user = user;
    this.setPrincipal(principal);
    this.send(reply('authOk'));
  }

  private async etrn(args: string): Promise<void> {
    const decision = decideEtrn(this.permissions, args);
    if (!decision.allowed) return this.send(decision.reply);
    const started = this.ctx.sink.startDelivery ? await this.ctx.sink.startDelivery(decision.domain).catch(() => 'unavailable' as const) : 'unavailable';
    this.send(etrnOutcome(decision.domain, started));
  }

  // ---- state and limits ----------------------------------------------------------------------------

  private setPrincipal(principal: SessionPrincipal): void {
    this.principal = principal;
    this.permissions = permissionsOf(this.ctx.connector, principal.principal);
  }

  /** R57, R131: the connector's MaxMessageSize unless the session holds ms-Exch-Bypass-Message-Size-Limit. */
  private sizeLimit(): number {
    return hasRight(this.permissions, 'ms-Exch-Bypass-Message-Size-Limit') ? MAX_BUFFERED_MESSAGE : this.ctx.connector.maxMessageSize;
  }

  /** Keep one octet more than the limit, so that "too big" is known without holding more. */
  private bufferLimit(): number {
    return Math.min(MAX_BUFFERED_MESSAGE, this.sizeLimit() + 1);
  }

  // ---- the one reply writer --------------------------------------------------------------------

  /** Every reply goes out here: enhanced codes only when the connector enables them (R53). */
  private send(value: Reply, options: { close?: boolean } = {}): void {
    if (this.closed) return;
    const line = formatReply(value, this.ctx.connector.enhancedStatusCodesEnabled);
    this.sendRaw(line);
    if (PROTOCOL_ERROR_CODES.has(value.code)) {
      this.protocolErrors += 1;
      if (this.protocolErrors > protocolErrorLimit(this.ctx.connector)) return this.send(reply('tooManyErrors'), { close: true });
    }
    if (options.close || value.code === 421 || value.code === 221) this.close();
  }

  /** Multi-line reply (RFC 5321 4.2.1): `250-first`, …, `250 last`. */
  private sendLines(code: number, lines: string[]): void {
    this.sendRaw(lines.map((text, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${text}`).join('\r\n'));
  }

  private sendRaw(text: string): void {
    this.io.log?.('out', text);
    this.io.write(`${text}\r\n`);
  }

  private close(): void {
    this.mode = { kind: 'closed' };
    this.buffer = Buffer.alloc(0);
    this.io.close();
  }
}

/** Permissions depend only on the connector and the principal (R40–R43): worked out once per pair, not per session. */
const permissionCache = new WeakMap<ReceiveConnector, Map<SessionPrincipal['principal'], SessionPermissions>>();

function permissionsOf(connector: ReceiveConnector, principal: SessionPrincipal['principal']): SessionPermissions {
  let byPrincipal = permissionCache.get(connector);
  if (!byPrincipal) permissionCache.set(connector, (byPrincipal = new Map()));
  let permissions = byPrincipal.get(principal);
  if (!permissions) byPrincipal.set(principal, (permissions = sessionPermissions(connector, principal)));
  return permissions;
}

/** R51: a domain or an address literal (RFC 5321 4.1.3). */
function validHeloName(name: string): boolean {
  if (/^\[(?:IPv6:)?[0-9a-f:.]+\]$/i.test(name)) return true;
  return isDomainName(name.replace(/\.$/, ''));
}

function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}

function sinkReply(value: SinkReply): Reply {
  return { code: value.code, enhancedCode: value.enhancedCode, text: value.text };
}

