/**
 * Drives one SmtpSession without sockets: bytes in, reply lines out, accepted messages collected by
 * an in-memory MessageSink. The engine's own contract (SessionIo) is all it stands in for.
 */
import type { Topology } from '../../../src/core/model/topology.js';
import { SmtpSession, type AuthenticatedUser, type SessionContext } from '../../../src/relay/protocol/session.js';
import type { AcceptedMessage, MessageSink } from '../../../src/relay/sink.js';
import type { TlsClientCertificate } from '../../../src/core/policy/tls-principal.js';

export interface EngineHarness {
  session: SmtpSession;
  /** Every reply line written so far. */
  lines: string[];
  /** Reply codes, one per complete reply (multi-line replies count once). */
  codes(): number[];
  replies(): string[];
  messages: AcceptedMessage[];
  closed(): boolean;
  send(text: string | Buffer): Promise<void>;
}

export interface HarnessOptions {
  connector: string;
  server?: string;
  clientIp?: string;
  tls?: boolean;
  certificate?: TlsClientCertificate;
  users?: Record<string, { password: string; addresses?: string[] }>;
  sink?: Partial<MessageSink>;
  bareLineEndings?: 'reject' | 'normalize';
  earlyTalk?: string;
}

export function engine(topology: Topology, options: HarnessOptions): EngineHarness {
  const connector = topology.receiveConnectors.find((c) => c.name === options.connector);
  if (!connector) throw new Error(`no connector ${options.connector}`);
  const server = topology.servers.find((s) => s.name === connector.server)!;
  let written = '';
  let closed = false;
  const messages: AcceptedMessage[] = [];
  let n = 0;
  const sink: MessageSink = {
    accept: async (m) => {
      messages.push(m);
      return { queueId: String(messages.length) };
    },
    close: async () => undefined,
    ...options.sink,
  };
  const ctx: SessionContext = {
    topology,
    server,
    connector,
    sessionId: 'S1',
    clientIp: options.clientIp ?? '192.0.2.10',
    tlsAvailable: options.tls ?? true,
    sink,
    now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    newId: () => `ID${(n += 1)}`,
    delay: async () => undefined,
    authenticate: async (user, password): Promise<AuthenticatedUser | undefined> => {
      const u = options.users?.[user];
      return u && u.password === password ? { name: user, ...(u.addresses ? { addresses: u.addresses } : {}) } : undefined;
    },
    bareLineEndings: options.bareLineEndings,
  };
  const session = new SmtpSession(ctx, {
    write: (text) => {
      written += text;
    },
    close: () => {
      closed = true;
    },
    upgradeTls: async () => options.certificate,
  });
  if (options.earlyTalk) session.feed(Buffer.from(options.earlyTalk));
  session.start();
  const lines = () => written.split('\r\n').filter(Boolean);
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    session,
    get lines() {
      return lines();
    },
    codes: () => lines().filter((l) => l[3] !== '-').map((l) => Number(l.slice(0, 3))),
    replies: () => lines().filter((l) => l[3] !== '-'),
    messages,
    closed: () => closed,
    send: async (text) => {
      session.feed(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
      for (let i = 0; i < 5; i += 1) await settle();
    },
  };
}

