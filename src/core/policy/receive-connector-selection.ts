/**
 * Which receive connector takes an SMTP session (R30–R33, A5, A17), and why every other connector of
 * the server does not. The relay calls this on every accepted socket; `mxt route inbound` prints it.
 *
 * Order of the decision:
 * 1. the listener: the connectors bound to L:P (exact address) or to the wildcard of L's family; the
 *    transport service that owns that listener (R30, one per IP:port, V20) is the only one consulted;
 * 2. enabled connectors of that service whose RemoteIPRanges contain the client C (R30);
 * 3. the one whose matching range holds the fewest addresses (R31);
 * 4. on a tie, an exact-address binding beats a wildcard one (R32); a remaining tie is V21's
 *    configuration error and nobody takes the session;
 * 5. nobody: `421 4.3.2 Service not available` (R33).
 */
import { parseBinding, parseIpAddress, parseIpRange, rangeContains, rangeSize, type Binding, type IpRange } from '../model/ip-range.js';
import { sameName } from '../model/names.js';
import type { ReceiveConnector, Server } from '../model/topology.js';
import { reply, type Reply } from './replies.js';

export interface InboundSession {
  server: string;
  /** The local address the client connected to; undefined: the server's first address of C's family. */
  localAddress?: string;
  port: number;
  remoteAddress: string;
}

export type ListenerService = ReceiveConnector['transportRole'];

export type LossReason =
  | { kind: 'portNotBound'; text: string }
  | { kind: 'addressNotBound'; text: string }
  | { kind: 'otherService'; text: string }
  | { kind: 'disabled'; text: string }
  | { kind: 'remoteRangeMismatch'; text: string }
  | { kind: 'lessSpecificRange'; text: string }
  | { kind: 'wildcardBinding'; text: string }
  | { kind: 'ambiguous'; text: string };

export interface LosingConnector {
  connector: ReceiveConnector;
  reason: LossReason;
}

export interface ConnectorMatch {
  connector: ReceiveConnector;
  /** The binding that matched L:P, as written. */
  binding: string;
  /** The most specific RemoteIPRanges entry containing C, as written. */
  remoteRange: string;
  exactBinding: boolean;
  rangeSize: bigint;
}

export interface ReceiveConnectorSelection {
  /** L as used for matching (given, or the server's own address), if known. */
  localAddress: string | undefined;
  /** The service owning L:P; undefined when nothing listens there. */
  service: ListenerService | undefined;
  selected: ConnectorMatch | undefined;
  /** Every other connector of the server, in configuration order, with why it lost. */
  losers: LosingConnector[];
  /** R33 (nobody) or V21 (tie): the reply that closes the session. */
  refusal: Reply | undefined;
}

interface Address {
  family: 4 | 6;
  value: bigint;
  text: string;
}

function address(text: string): Address | undefined {
  const parsed = parseIpAddress(text);
  return parsed.ok ? { ...parsed.value, text } : undefined;
}

/** Parse a session's addresses; undefined with a message when one is not an IP address. */
export function checkSessionAddresses(session: InboundSession): string | undefined {
  if (!address(session.remoteAddress)) return `remote address "${session.remoteAddress}" is not an IPv4 or IPv6 address`;
  if (session.localAddress !== undefined && !address(session.localAddress)) return `local address "${session.localAddress}" is not an IPv4 or IPv6 address`;
  if (!Number.isInteger(session.port) || session.port < 1 || session.port > 65535) return `port ${session.port} is outside 1–65535`;
  return undefined;
}

/** L: the address given, else the server's first address of the client's family (the one it dialled). */
function localAddressOf(session: InboundSession, server: Server | undefined, client: Address): Address | undefined {
  if (session.localAddress !== undefined) return address(session.localAddress);
  for (const text of server?.addresses ?? []) {
    const a = address(text);
    if (a && a.family === client.family) return a;
  }
  return undefined;
}

type BindingFit = { fit: 'exact' | 'wildcard'; text: string } | { fit: 'otherAddress'; why: string } | { fit: 'otherPort' };

/** How a connector's bindings meet L:P (R30). With L unknown, only wildcard bindings surely listen there. */
function bindingFit(connector: ReceiveConnector, local: Address | undefined, family: 4 | 6, port: number): BindingFit {
  let best: BindingFit = { fit: 'otherPort' };
  for (const text of connector.bindings) {
    const parsed = parseBinding(text);
    if (!parsed.ok) continue;
    const b: Binding = parsed.value;
    if (b.port !== port) continue;
    if (b.value === undefined && b.family === family) {
      best = { fit: 'wildcard', text };
    } else if (local && b.value === local.value && b.family === local.family) {
      return { fit: 'exact', text };
    } else if (best.fit === 'otherPort') {
      const why =
        b.family !== family
          ? `listens on port ${port} for IPv${b.family} only (${text}), the session is IPv${family}`
          : local
            ? `bound to port ${port} on another address (${text}), not ${local.text}`
            : `bound to port ${port} on a specific address only (${text}); give the local address`;
      best = { fit: 'otherAddress', why };
    } else if (best.fit === 'otherAddress' && b.family === family) {
      // prefer the explanation about this family's address over the other family's
      best = { fit: 'otherAddress', why: local ? `bound to port ${port} on another address (${text}), not ${local.text}` : `bound to port ${port} on a specific address only (${text}); give the local address` };
    }
  }
  return best;
}

/** The most specific range of the connector that contains C (R31), or undefined. */
function matchingRange(connector: ReceiveConnector, client: Address): { text: string; size: bigint } | undefined {
  let best: { text: string; size: bigint } | undefined;
  for (const text of connector.remoteIPRanges) {
    const parsed = parseIpRange(text);
    if (!parsed.ok) continue;
    const range: IpRange = parsed.value;
    if (!rangeContains(range, client.family, client.value)) continue;
    const size = rangeSize(range);
    if (!best || size < best.size) best = { text, size };
  }
  return best;
}

const SERVICE_LABEL: Record<ListenerService, string> = {
  FrontendTransport: 'Front End Transport',
  HubTransport: 'Transport',
  MailboxDelivery: 'Mailbox Transport Delivery',
  Edge: 'Edge Transport',
};

export function serviceLabel(service: ListenerService): string {
  return SERVICE_LABEL[service];
}

/**
 * The service owning L:P (R30). V20 keeps it unique in a valid topology; if it is not, an
 * exact-address binding wins (the kernel gives the specific address to it), then the first connector.
 */
function owningService(bound: { connector: ReceiveConnector; fit: BindingFit }[]): ListenerService | undefined {
  const enabled = bound.filter((b) => b.connector.enabled);
  const pool = enabled.length > 0 ? enabled : [];
  return (pool.find((b) => b.fit.fit === 'exact') ?? pool[0])?.connector.transportRole;
}

export function selectReceiveConnector(
  connectors: readonly ReceiveConnector[],
  servers: readonly Server[],
  session: InboundSession,
): ReceiveConnectorSelection {
  const client = address(session.remoteAddress);
  if (!client) throw new Error(checkSessionAddresses(session));
  const server = servers.find((s) => sameName(s.name, session.server));
  const local = localAddressOf(session, server, client);
  const family = local?.family ?? client.family;
  const port = session.port;
  const listenOn = `${local ? (local.family === 6 ? `[${local.text}]` : local.text) : family === 6 ? '[::]' : '0.0.0.0'}:${port}`;
  const mine = connectors.filter((c) => sameName(c.server, session.server));

  const fits = mine.map((connector) => ({ connector, fit: bindingFit(connector, local, family, port) }));
  const bound = fits.filter((f) => f.fit.fit === 'exact' || f.fit.fit === 'wildcard');
  const service = owningService(bound);

  const losers: LosingConnector[] = [];
  const matches: ConnectorMatch[] = [];
  for (const { connector, fit } of fits) {
    if (fit.fit === 'otherPort') {
      losers.push({ connector, reason: { kind: 'portNotBound', text: `not bound to port ${port} (bindings ${connector.bindings.join(', ') || 'none'})` } });
      continue;
    }
    if (fit.fit === 'otherAddress') {
      losers.push({ connector, reason: { kind: 'addressNotBound', text: fit.why } });
      continue;
    }
    if (!connector.enabled) {
      losers.push({ connector, reason: { kind: 'disabled', text: 'disabled (Enabled $false)' } });
      continue;
    }
    if (connector.transportRole !== service) {
      losers.push({
        connector,
        reason: { kind: 'otherService', text: `belongs to the ${serviceLabel(connector.transportRole)} service; ${listenOn} is the ${serviceLabel(service!)} service's listener (V20)` },
      });
      continue;
    }
    const range = matchingRange(connector, client);
    if (!range) {
      losers.push({ connector, reason: { kind: 'remoteRangeMismatch', text: `RemoteIPRanges (${connector.remoteIPRanges.join(', ')}) do not contain ${client.text}` } });
      continue;
    }
    matches.push({ connector, binding: 'text' in fit ? fit.text : '', remoteRange: range.text, exactBinding: fit.fit === 'exact', rangeSize: range.size });
  }

  // R31 then R32: fewest addresses first, then exact binding first; stable on configuration order.
  const ranked = [...matches].sort((a, b) => (a.rangeSize !== b.rangeSize ? (a.rangeSize < b.rangeSize ? -1 : 1) : Number(b.exactBinding) - Number(a.exactBinding)));
  const top = ranked[0];
  const tied = top ? ranked.filter((m) => m.rangeSize === top.rangeSize && m.exactBinding === top.exactBinding) : [];
  const selected = tied.length === 1 ? top : undefined;
  for (const m of ranked) {
    if (m === selected) continue;
    if (tied.includes(m)) {
      const others = tied.filter((t) => t !== m).map((t) => `"${t.connector.name}"`).join(', ');
      losers.push({ connector: m.connector, reason: { kind: 'ambiguous', text: `remote range ${m.remoteRange} and binding tie with ${others}: invalid configuration (V21)` } });
    } else if (m.rangeSize !== top!.rangeSize) {
      losers.push({
        connector: m.connector,
        reason: { kind: 'lessSpecificRange', text: `remote range ${m.remoteRange} is less specific than ${top!.remoteRange} of "${top!.connector.name}" (R31)` },
      });
    } else {
      losers.push({
        connector: m.connector,
        reason: { kind: 'wildcardBinding', text: `wildcard binding ${m.binding} loses to the exact binding ${top!.binding} of "${top!.connector.name}" (R32)` },
      });
    }
  }
  const order = new Map(mine.map((c, i) => [c, i]));
  losers.sort((a, b) => order.get(a.connector)! - order.get(b.connector)!);
  return {
    localAddress: local?.text,
    service,
    selected,
    losers,
    refusal: selected ? undefined : reply('noConnector'),
  };
}
