/**
 * The one place the categorizer asks the routing core where a recipient goes: `nextHop()`, the
 * routing core's single decision per recipient on one server (R89, R150). Its
 * `nextHop.deliveryType` + `nextHop.domain` is the NextHopSolutionKey, the same key `route plan`
 * groups its queues by. A group expanded on this server (R99) is replaced by its members, each
 * decided in turn (a group met again inside itself is expanded once).
 */
import type { Topology } from '../../core/model/topology.js';
import { nextHop, routingIndex } from '../../core/route/index.js';
import type { CategorizerDecision, DeliveryType, RouteReason } from '../../core/route/types.js';
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

export type RecipientRoute = (
  | { address: string; kind: 'queue'; hop: NextHopRoute }
  | { address: string; kind: 'unreachable'; reason: RouteReason }
  | { address: string; kind: 'reject'; reason: RouteReason }
) & {
  /** A member of a group expanded on this server (R99), in place of the group. */
  expanded?: true;
};

export interface ResolveRequest {
  server: string;
  recipients: readonly string[];
  sender: string;
  size: number;
}

const NO_CONNECTOR: RouteReason = { code: 550, enhancedCode: '4.4.7', text: 'A matching connector cannot be found to route the external recipient', rule: 'R120' };

/** Each envelope recipient's routes: one, or its members' when a group is expanded on this server. */
export function resolveRecipients(topology: Topology, req: ResolveRequest): RecipientRoute[][] {
  const index = routingIndex(topology);
  const groups = new Map(topology.recipients.distributionGroups.map((g) => [g.address.toLowerCase(), g.members]));
  const decide = (address: string, seen: Set<string>): RecipientRoute[] => {
    const result = nextHop(index, { server: req.server, recipient: address, sender: req.sender || undefined, size: req.size });
    if (!result.ok) throw new Error(`routing: ${result.problem.kind} ${result.problem.name}`);
    return flatten(result.decision, req.server, seen, groups, decide);
  };
  return req.recipients.map((r) => decide(r, new Set()));
}

function flatten(
  d: CategorizerDecision,
  server: string,
  seen: Set<string>,
  groups: Map<string, readonly string[]>,
  decide: (address: string, seen: Set<string>) => RecipientRoute[],
): RecipientRoute[] {
  if (d.status === 'rejected') return [{ address: d.recipient, kind: 'reject', reason: d.reason! }];
  if (d.status === 'unreachable') return [{ address: d.recipient, kind: 'unreachable', reason: d.reason ?? NO_CONNECTOR }];
  if (!d.nextHop) {
    const expandedHere = d.routingDestination?.type === 'ExpansionServer' && sameName(d.routingDestination.name, server);
    const members = groups.get(d.recipient.toLowerCase());
    if (!expandedHere || !members) return [{ address: d.recipient, kind: 'unreachable', reason: d.reason ?? NO_CONNECTOR }];
    const key = d.recipient.toLowerCase();
    if (seen.has(key)) return [];
    seen.add(key);
    return members.flatMap((m) => decide(m, seen)).map((route) => ({ ...route, expanded: true as const }));
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
