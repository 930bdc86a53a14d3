/**
 * The relay's listeners for one server (R15, R20–R22, R30): one node:net server per IP:port of the
 * listener table (core/policy/listeners.ts), and per accepted socket: connector selection (R30–R33),
 * connection limits (R23 MaxInboundConnection, per source), the early-talker pause, connection and
 * inactivity timeouts, STARTTLS, and one SmtpSession that does the talking. It only enqueues: every
 * accepted message goes to the MessageSink.
 *
 * Security: faces the network. Every limit is a connector setting or a named constant here.
 * Diagnostics: a listener that cannot bind rejects start(); socket errors end that session only.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { ReceiveConnector, Server, Topology } from '../../core/model/topology.js';
import { greetingPause, listenerTable, messageRateKeys, perSourceConnectionLimit, totalConnectionLimit, type Listener, type ListenerMapping } from '../../core/policy/listeners.js';
import { selectReceiveConnector } from '../../core/policy/receive-connector-selection.js';
import { formatReply, reply } from '../../core/policy/replies.js';
import type { TlsClientCertificate } from '../../core/policy/tls-principal.js';
import type { BareLineEndings } from '../protocol/data-reader.js';
import { SmtpSession, type AuthenticatedUser } from '../protocol/session.js';
import type { MessageSink } from '../sink.js';
import type { ServerTls } from '../tls/context.js';
import type { RelayLogs } from './logs.js';

/** R23: MessageRateLimit counts messages per minute. */
export const RATE_WINDOW_MS = 60_000;
/** After our side is closed, how long the client may take to close its side. */
export const CLOSE_GRACE_MS = 5_000;
/** How long to wait for the TLS handshake after `220 2.0.0 SMTP server ready`. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 30_000;

export interface RelayServerOptions {
  topology: Topology;
  server: Server;
  mapping?: ListenerMapping;
  sink: MessageSink;
  tls?: ServerTls;
  logs?: RelayLogs;
  authenticate(user: string, password: string): Promise<AuthenticatedUser | undefined>;
  bareLineEndings?: BareLineEndings;
  /** Overrides of connector limits for labs and benchmarks (e.g. a raised per-source limit). */
  perSourceLimit?: number;
  now?: () => Date;
  /** Listen on port 0 (tests): the kernel picks every port. */
  ephemeralPorts?: boolean;
}

export interface BoundListener extends Listener {
  /** The port actually bound. */
  boundPort: number;
}

export class RelayServer {
  private readonly servers: net.Server[] = [];
  private readonly sessions = new Set<{ session: SmtpSession; socket: net.Socket }>();
  /** Open connections per connector, and per connector and source address (R23). */
  private readonly perConnector = new Map<string, number>();
  private readonly perSource = new Map<string, number>();
  private sessionCounter = 0;
  /** R23 MessageRateLimit: stored-message times in the last minute, per connector and source key. */
  private readonly messageTimes = new Map<string, number[]>();
  private readonly selections = new Map<string, ReturnType<typeof selectReceiveConnector>>();
  /** The early-talker pause per connector (greetingPause). */
  private readonly pauses = new Map<ReceiveConnector, number>();
  readonly listeners: BoundListener[] = [];

  constructor(private readonly options: RelayServerOptions) {}

  async start(): Promise<BoundListener[]> {
    const table = listenerTable(this.options.topology, this.options.server.name, this.options.mapping);
    for (const listener of table) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => this.onConnection(listener, socket));
      server.maxConnections = 100_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: listener.address, port: this.options.ephemeralPorts ? 0 : listener.port, ipv6Only: listener.family === 6, backlog: 2048 }, () => {
          server.off('error', reject);
          resolve();
        });
      }).catch(async (error: NodeJS.ErrnoException) => {
        await this.close();
        throw new Error(`cannot listen on ${listener.address}:${listener.port} for ${listener.connectors.map((c) => c.name).join(', ')}: ${error.code ?? error.message}`);
      });
      this.servers.push(server);
      const address = server.address() as net.AddressInfo;
      this.listeners.push({ ...listener, boundPort: address.port });
    }
    return this.listeners;
  }

  /** Stop listening, tell every open session 421, wait for the sockets to close. */
  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers.length = 0;
    for (const { session, socket } of this.sessions) {
      session.shutdown();
      socket.destroySoon();
    }
    const deadline = Date.now() + 2000;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const { socket } of this.sessions) socket.destroy();
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  /** Messages stored under this key in the last minute (older entries are dropped). */
  private recentMessages(key: string): number {
    const since = Date.now() - RATE_WINDOW_MS;
    const recent = (this.messageTimes.get(key) ?? []).filter((t) => t > since);
    if (recent.length > 0) this.messageTimes.set(key, recent);
    else this.messageTimes.delete(key);
    return recent.length;
  }

  /**
   * The configuration changed (SIGHUP): sessions opened from now on are decided on the new topology
   * (connector selection, permissions, limits); open sessions finish on the one they started with.
   * The sockets stay as bound: whether the new topology would bind others is returned, so that the
   * operator is told to restart for them.
   */
  useTopology(topology: Topology, server: Server): { listenersChanged: boolean } {
    const bindings = (t: Topology) => JSON.stringify(listenerTable(t, server.name, this.options.mapping).map((l) => [l.address, l.port, l.configuredPort]));
    const listenersChanged = bindings(this.options.topology) !== bindings(topology);
    this.options.topology = topology;
    this.options.server = server;
    this.selections.clear();
    return { listenersChanged };
  }

  private onConnection(listener: Listener, raw: net.Socket): void {
    raw.on('error', () => raw.destroy());
    const remote = plainAddress(raw.remoteAddress ?? '');
    const { topology, server } = this.options;
    // Lab mapping: the socket's local address is not the server's; connector selection then uses the
    // server's own configured address (InboundSession.localAddress undefined), and the configured port.
    const local = this.options.mapping?.address ? undefined : plainAddress(raw.localAddress ?? '');
    // Selection depends only on the topology, the listener's port and the two addresses: computed
    // once per (port, local, remote) and reused, since parsing every connector's ranges is most of a
    // short session's policy cost. Bounded: emptied when it grows past SELECTION_CACHE_MAX sources.
    const cacheKey = `${listener.configuredPort}|${local ?? ''}|${remote}`;
    let selection = this.selections.get(cacheKey);
    if (!selection) {
      selection = selectReceiveConnector(topology.receiveConnectors, topology.servers, {
        server: server.name,
        port: listener.configuredPort,
        remoteAddress: remote,
        ...(local !== undefined ? { localAddress: local } : {}),
      });
      if (this.selections.size >= SELECTION_CACHE_MAX) this.selections.clear();
      this.selections.set(cacheKey, selection);
    }
    const connector = selection.selected?.connector;
    if (!connector) {
      raw.end(`${formatReply(selection.refusal ?? reply('noConnector'))}\r\n`);
      return;
    }
    // R23: MaxInboundConnection and the per-source share, counted per connector.
    const sourceKey = `${connector.name}|${remote}`;
    const open = this.perConnector.get(connector.name) ?? 0;
    const fromSource = this.perSource.get(sourceKey) ?? 0;
    const sourceLimit = this.options.perSourceLimit ?? perSourceConnectionLimit(connector);
    const refusal = open >= totalConnectionLimit(connector) ? reply('tooManyConnections') : fromSource >= sourceLimit ? reply('tooManyConnectionsFromSource') : undefined;
    if (refusal) {
      raw.end(`${formatReply(refusal, connector.enhancedStatusCodesEnabled)}\r\n`);
      return;
    }
    this.perConnector.set(connector.name, open + 1);
    this.perSource.set(sourceKey, fromSource + 1);

    this.sessionCounter += 1;
    const sessionId = `${Date.now().toString(16).toUpperCase()}${this.sessionCounter.toString(16).toUpperCase().padStart(6, '0')}`;
    const localText = `${plainAddress(raw.localAddress ?? '')}:${raw.localPort ?? ''}`;
    const remoteText = `${remote}:${raw.remotePort ?? ''}`;
    let socket: net.Socket = raw;
    const logs = this.options.logs;
    const tlsMaterial = this.options.tls;
    const io = {
      write: (text: string) => {
        if (!socket.destroyed) socket.write(text);
      },
      close: () => {
        socket.end();
        // A client that never closes its side does not keep the socket.
        setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      },
      log: logs ? (direction: 'in' | 'out', text: string) => logs.protocolLine(connector, { session: sessionId, direction, text, local: localText, remote: remoteText }) : undefined,
      upgradeTls: () =>
        new Promise<TlsClientCertificate | undefined>((resolve, reject) => {
          if (!tlsMaterial) return reject(new Error('no TLS material'));
          raw.removeAllListeners('data');
          const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: tlsMaterial.context, requestCert: true, rejectUnauthorized: false });
          const timer = setTimeout(() => secure.destroy(), TLS_HANDSHAKE_TIMEOUT_MS);
          secure.once('secure', () => {
            clearTimeout(timer);
            socket = secure;
            secure.on('data', onData);
            secure.on('end', () => session.endOfInput());
            secure.on('error', () => secure.destroy());
            if (finiteDelay(connector.connectionInactivityTimeout)) secure.setTimeout(connector.connectionInactivityTimeout, onIdle);
            const peer = secure.getPeerCertificate();
            const names = peer && Object.keys(peer).length > 0 ? certificateNames(peer) : [];
            resolve(names.length > 0 ? { verified: issuedByCa(peer, tlsMaterial.caCertificate), names } : undefined);
          });
          secure.once('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        }),
    };
    const session = new SmtpSession(
      {
        topology,
        server,
        connector,
        sessionId,
        clientIp: remote,
        tlsAvailable: tlsMaterial !== undefined,
        sink: this.options.sink,
        now: this.options.now ?? (() => new Date()),
        newId: () => messageIdText(),
        delay: (ms) => new Promise((resolve) => setTimeout(resolve, finiteDelay(ms) ? ms : 0)),
        authenticate: this.options.authenticate,
        bareLineEndings: this.options.bareLineEndings,
        messageRate: {
          allows: (user) => {
            const { keys, limit } = messageRateKeys(connector, { clientIp: remote, ...(user ? { user } : {}) });
            return keys.every((k) => this.recentMessages(`${connector.name}|${k}`) < limit);
          },
          count: (user) => {
            const { keys } = messageRateKeys(connector, { clientIp: remote, ...(user ? { user } : {}) });
            for (const k of keys) this.messageTimes.set(`${connector.name}|${k}`, [...(this.messageTimes.get(`${connector.name}|${k}`) ?? []), Date.now()]);
          },
        },
        onAccepted: (message, result, messageId) => logs?.received(message, result, messageId),
      },
      io,
    );
    const entry = { session, socket: raw };
    this.sessions.add(entry);
    const onData = (chunk: Buffer) => session.feed(chunk);
    const onIdle = () => session.timeout('inactivity');
    raw.on('data', onData);
    raw.on('end', () => session.endOfInput());
    if (finiteDelay(connector.connectionInactivityTimeout)) raw.setTimeout(connector.connectionInactivityTimeout, onIdle);
    const lifetime = finiteDelay(connector.connectionTimeout) ? setTimeout(() => session.timeout('connection'), connector.connectionTimeout) : undefined;
    let pause = this.pauses.get(connector);
    if (pause === undefined) this.pauses.set(connector, (pause = greetingPause(connector)));
    const greet = pause > 0 ? setTimeout(() => session.start(), pause) : undefined;
    if (!greet) session.start();
    raw.once('close', () => {
      clearTimeout(lifetime);
      clearTimeout(greet);
      this.sessions.delete(entry);
      this.perConnector.set(connector.name, (this.perConnector.get(connector.name) ?? 1) - 1);
      const left = (this.perSource.get(sourceKey) ?? 1) - 1;
      if (left <= 0) this.perSource.delete(sourceKey);
      else this.perSource.set(sourceKey, left);
    });
  }
}

/** A timeout Node can arm (unlimited, or beyond 2^31-1 ms, is no timer at all). */
function finiteDelay(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms <= 2_147_483_647;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function certificateNames(peer: tls.PeerCertificate): string[] {
  const names: string[] = [];
  const cn = peer.subject?.CN;
  if (typeof cn === 'string') names.push(cn);
  for (const part of (peer.subjectaltname ?? '').split(',')) {
    const match = /^\s*DNS:(.+)$/.exec(part);
    if (match) names.push(match[1]!.trim());
  }
  return [...new Set(names)];
}

/** id-kp-clientAuth (RFC 5280 4.2.1.12). */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * R40: the peer certificate was issued by the organization CA, is in its validity period and may
 * authenticate a client. Checked here because a TLSSocket made from an accepted socket (STARTTLS)
 * does not verify the client chain itself; mxt's CA signs leaves directly, so the chain is one link.
 */
function issuedByCa(peer: tls.PeerCertificate, ca: X509Certificate): boolean {
  try {
    const leaf = new X509Certificate(peer.raw);
    const now = Date.now();
    if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo)) return false;
    if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CLIENT_AUTH)) return false;
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Distinct (port, local, remote) selections kept (one entry per client address in practice). */
const SELECTION_CACHE_MAX = 4096;

/** Random bytes drawn 512 ids at a time: one randomBytes call per message costs more than the id. */
const ID_POOL_BYTES = 8 * 512;
let idPool: Buffer = Buffer.alloc(0);
let idOffset = 0;

/** 16 upper-case hex characters: random, so ids from several relay processes do not collide. */
function messageIdText(): string {
  if (idOffset + 8 > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idOffset = 0;
  }
  const text = idPool.toString('hex', idOffset, idOffset + 8).toUpperCase();
  idOffset += 8;
  return text;
}
