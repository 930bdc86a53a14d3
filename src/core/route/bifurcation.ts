/**
 * R89/R150: recipients whose first hop has the same NextHopSolutionKey (delivery type + NextHopDomain)
 * share one queued copy on the categorizing server; the message is split only where next hops differ.
 * Members of a group expanded on that server queue there too.
 */
import { sameName } from '../model/names.js';
import type { NextHopQueue, RouteDecision } from './types.js';

function expandedOn(d: RouteDecision, from: string): boolean {
  return d.hops.length === 1 && d.hops[0]!.action === 'expand' && sameName(d.hops[0]!.server, from);
}

export function queuesOf(decisions: readonly RouteDecision[], from: string): NextHopQueue[] {
  if (decisions.length === 1) {
    // One recipient (the relay's usual case): one queue or none, nothing to group.
    const d = decisions[0]!;
    if (!expandedOn(d, from)) return d.nextHop ? [{ deliveryType: d.nextHop.deliveryType, domain: d.nextHop.domain, recipients: [d.recipient] }] : [];
  }
  const queues = new Map<string, NextHopQueue>();
  const visit = (d: RouteDecision): void => {
    if (expandedOn(d, from)) {
      for (const m of d.members ?? []) visit(m);
      return;
    }
    if (!d.nextHop) return;
    const key = `${d.nextHop.deliveryType}\u0000${d.nextHop.domain.toLowerCase()}`;
    const queue = queues.get(key);
    if (queue) {
      if (!queue.recipients.includes(d.recipient)) queue.recipients.push(d.recipient);
    } else queues.set(key, { deliveryType: d.nextHop.deliveryType, domain: d.nextHop.domain, recipients: [d.recipient] });
  };
  decisions.forEach(visit);
  return [...queues.values()];
}
