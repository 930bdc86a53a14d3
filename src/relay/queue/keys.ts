/**
 * Queue keys and identities (R140, R141, R150, R151). A delivery queue's key is its
 * NextHopSolutionKey as `route plan` groups queues (core/route/bifurcation.ts): delivery type plus
 * NextHopDomain, compared without case.
 */
import type { DeliveryType } from '../../core/route/types.js';
import { UNREACHABLE_DOMAIN } from '../../core/route/reasons.js';

export type QueueKind = 'submission' | 'delivery' | 'unreachable' | 'poison';
export type QueueDeliveryType = DeliveryType | 'Undefined';

export function queueKey(deliveryType: QueueDeliveryType, domain: string): string {
  return `${deliveryType}\u0000${domain.toLowerCase()}`;
}

export const SUBMISSION = { kind: 'submission' as const, deliveryType: 'Undefined' as const, domain: 'Submission' };
export const UNREACHABLE = { kind: 'unreachable' as const, deliveryType: 'Unreachable' as const, domain: UNREACHABLE_DOMAIN };
export const POISON = { kind: 'poison' as const, deliveryType: 'Undefined' as const, domain: 'Poison Message' };

/** R150: derived from the delivery type. */
export function nextHopCategory(deliveryType: string): 'External' | 'Internal' {
  return deliveryType === 'DnsConnectorDelivery' || deliveryType === 'SmartHostConnectorDelivery' ? 'External' : 'Internal';
}

/** R141: `<Server>\Submission`, `<Server>\Unreachable`, `<Server>\Poison`, `<Server>\<integer>`. */
export function queueIdentity(server: string, kind: QueueKind, id: number): string {
  switch (kind) {
    case 'submission':
      return `${server}\\Submission`;
    case 'unreachable':
      return `${server}\\Unreachable`;
    case 'poison':
      return `${server}\\Poison`;
    default:
      return `${server}\\${id}`;
  }
}
