/**
 * The listeners a relay opens for one server (R15, R17, R20–R22, R30), built once per topology:
 * one per distinct IP:port of the enabled receive connectors' bindings, with the service that owns
 * it and the connectors bound there. Which connector takes a given session is still decided per
 * connection by selectReceiveConnector (R30–R33); this table only says where to listen.
 *
 * Lab mapping (product.md `relay start --address --port-offset`): every binding moves onto one local
 * address with its port shifted (25 → 10025 with offset 10000). The connector's identity (its
 * configured binding and port) stays the one in the config: the relay asks connector selection with
 * the configured port, not the mapped one.
 */
import { isWholeFamily, parseBinding, parseIpRange } from '../model/ip-range.js';
import { sameName } from '../model/names.js';
import type { ReceiveConnector, Topology } from '../model/topology.js';

export interface ListenerMapping {
  /** Listen on this address instead of the configured one (lab). */
  address?: string;
  /** Added to every configured port (lab). */
  portOffset?: number;
}

export interface Listener {
  /** Where to bind: the configured address, or the mapped one. */
  address: string;
  family: 4 | 6;
  port: number;
  /** The port of the binding as configured: what connector selection is asked with. */
  configuredPort: number;
  /** The configured bindings this listener stands for (several collapse onto one in a lab). */
  bindings: string[];
  /** Enabled connectors bound here, in configuration order. */
  connectors: ReceiveConnector[];
}

/** R30: enabled connectors of the server only; disabled ones never listen. */
export function listenerTable(topology: Topology, server: string, mapping: ListenerMapping = {}): Listener[] {
  const offset = mapping.portOffset ?? 0;
  const listeners = new Map<string, Listener>();
  for (const connector of topology.receiveConnectors) {
    if (!sameName(connector.server, server) || !connector.enabled) continue;
    for (const text of connector.bindings) {
      const parsed = parseBinding(text);
      if (!parsed.ok) continue;
      const b = parsed.value;
      const address = mapping.address ?? (b.value === undefined ? (b.family === 6 ? '::' : '0.0.0.0') : b.address);
      const family = mapping.address ? (mapping.address.includes(':') ? 6 : 4) : b.family;
      const port = b.port + offset;
      const key = `${address}|${port}`;
      const listener = listeners.get(key) ?? { address, family, port, configuredPort: b.port, bindings: [], connectors: [] };
      if (!listener.bindings.includes(text)) listener.bindings.push(text);
      if (!listener.connectors.includes(connector)) listener.connectors.push(connector);
      listeners.set(key, listener);
    }
  }
  return [...listeners.values()].sort((a, b) => a.port - b.port || (a.address < b.address ? -1 : 1));
}

/**
 * R23: the per-source connection limit: MaxInboundConnectionPerSource, and at most
 * MaxInboundConnectionPercentagePerSource percent of MaxInboundConnection.
 */
export function perSourceConnectionLimit(connector: Pick<ReceiveConnector, 'maxInboundConnection' | 'maxInboundConnectionPerSource' | 'maxInboundConnectionPercentagePerSource'>): number {
  const perSource = connector.maxInboundConnectionPerSource === 'unlimited' ? Infinity : connector.maxInboundConnectionPerSource;
  const total = connector.maxInboundConnection === 'unlimited' ? Infinity : connector.maxInboundConnection;
  const share = total === Infinity ? Infinity : Math.max(1, Math.floor((total * connector.maxInboundConnectionPercentagePerSource) / 100));
  return Math.min(perSource, share);
}

/** R23: MaxInboundConnection as a number (Infinity for unlimited). */
export function totalConnectionLimit(connector: Pick<ReceiveConnector, 'maxInboundConnection'>): number {
  return connector.maxInboundConnection === 'unlimited' ? Infinity : connector.maxInboundConnection;
}

/**
 * Early talkers (bots that send before the banner) are caught by waiting this long before
 * greeting: a bot that talks first sends right after the handshake, well inside 10 ms.
 */
export const EARLY_TALKER_PAUSE_MS = 10;

/**
 * How long a session of this connector waits before its greeting (mxt's early-talker check, not
 * Exchange's). Only a connector that serves a whole address family (RemoteIPRanges left at all
 * IPv4 or all IPv6, as internet-facing connectors are) waits; a connector whose RemoteIPRanges
 * name its clients (an application relay, a partner) greets at once. Its clients are known, and a
 * client that opens a connection per message would wait the pause every time (20 such sessions
 * could not pass 2,000 messages/s at 10 ms). Postfix decides the same way: postscreen's pregreet
 * test skips mynetworks by default.
 */
export function greetingPause(connector: Pick<ReceiveConnector, 'remoteIPRanges'>): number {
  const servesAnyone = connector.remoteIPRanges.some((text) => {
    const range = parseIpRange(text);
    return range.ok && isWholeFamily(range.value);
  });
  return servesAnyone ? EARLY_TALKER_PAUSE_MS : 0;
}

/** R23: MaxProtocolErrors as a number (Infinity for unlimited). */
export function protocolErrorLimit(connector: Pick<ReceiveConnector, 'maxProtocolErrors'>): number {
  return connector.maxProtocolErrors === 'unlimited' ? Infinity : connector.maxProtocolErrors;
}

/**
 * R23 MessageRateLimit / MessageRateSource: messages a minute from one source (`IPAddress`), one
 * authenticated user (`User`), or each of both (`All`); `None` or `unlimited`: no limit. Returns the
 * keys to count a message under (empty: not limited) and the limit.
 */
export function messageRateKeys(
  connector: Pick<ReceiveConnector, 'messageRateLimit' | 'messageRateSource'>,
  source: { clientIp: string; user?: string },
): { keys: string[]; limit: number } {
  if (connector.messageRateLimit === 'unlimited' || connector.messageRateSource === 'None') return { keys: [], limit: Infinity };
  const keys: string[] = [];
  if (connector.messageRateSource === 'IPAddress' || connector.messageRateSource === 'All') keys.push(`ip:${source.clientIp}`);
  if ((connector.messageRateSource === 'User' || connector.messageRateSource === 'All') && source.user !== undefined) keys.push(`user:${source.user.toLowerCase()}`);
  return { keys, limit: connector.messageRateLimit };
}
