/**
 * The one place the categorizer asks the routing core where a recipient goes (R89, R150): today
 * through `planRoute` (its per-recipient decision and first hop give the NextHopSolutionKey, the
 * same key `route plan` groups its queues by). When the routing core gains its single next-hop
 * decision function, only this file changes.
 */
import type { Topology } from '../../core/model/topology.js';
import { planRoute } from '../../core/route/index.js';
import type { DeliveryType, RouteDecision, RouteReason } from '../../core/route/types.js';
import { sameName } from '../../core/model/names.js';

export interface NextHopRoute {
  deliveryType: DeliveryType;
  /** NextHopDomain: the queue's name. */
  domain: string;
  /** Servers or hosts that queue connects to first, then the fallbacks (R88). */
  targets: string[];
  fallbacks: string[];
  /** The send connector, for connector deliveries (port, TLS, auth, smart hosts). */
  connector: string | null;
}

export type RecipientRoute =
  | { address: string; kind: 'queue'; hop: NextHopRoute }
  | { address: string; kind: 'unreachable'; reason: RouteReason }
  | { address: string; kind: 'reject'; reason: RouteReason };

export interface ResolveRequest {
  server: string;
  recipients: readonly string[];
  sender: string;
  size: number;
}

/** Each envelope recipient's routes: one, or its members' when a group is expanded on this server. */
export function resolveRecipients(topology: Topology, req: ResolveRequest): RecipientRoute[][] {
  const plan = planRoute(topology, { from: req.server, recipients: [...req.recipients], sender: req.sender || undefined, size: req.size, down: [] });
  return plan.decisions.map((d) => flatten(d, req.server, new Set()));
}

function flatten(d: RouteDecision, server: string, seen: Set<string>): RecipientRoute[] {
  if (d.status === 'rejected') return [{ address: d.recipient, kind: 'reject', reason: d.reason! }];
  if (d.status === 'unreachable' || (!d.nextHop && !d.members)) {
    const reason = d.reason ?? { code: 550, enhancedCode: '4.4.7', text: 'A matching connector cannot be found to route the external recipient', rule: 'R120' };
    return [{ address: d.recipient, kind: 'unreachable', reason }];
  }
  const expandedHere = d.hops.length === 1 && d.hops[0]!.action === 'expand' && sameName(d.hops[0]!.server, server);
  if (expandedHere || !d.nextHop) {
    // R99: the group is expanded on this server; each member is routed on its own.
    const key = d.recipient.toLowerCase();
    if (seen.has(key)) return [];
    seen.add(key);
    return (d.members ?? []).flatMap((m) => flatten(m, server, seen));
  }
  const hop = d.nextHop;
  return [
    {
      address: d.recipient,
      kind: 'queue',
      hop: { deliveryType: hop.deliveryType, domain: hop.domain, targets: [...hop.targets], fallbacks: [...hop.fallbacks], connector: d.connector },
    },
  ];
}
