/**
 * R131: the categorizer's size limits before any routing: the sender's and the recipient's own
 * limits when set, else the organization's. Connector (R104) and site link (R87) limits are applied
 * where routes are chosen.
 */
import type { Topology } from '../model/topology.js';
import { reasons } from './reasons.js';
import type { ResolvedRecipient } from './recipients.js';
import { directoryKey, type RoutingIndex } from './routing-index.js';
import type { RouteReason } from './types.js';

/** The sender's limit: its mailbox's MaxSendSize when set, otherwise the organization's MaxSendSize. */
export function senderLimit(index: RoutingIndex, sender: string | undefined): { limit: number; reason: RouteReason } {
  const org = index.topology.organization;
  const entry = sender ? index.directory.get(directoryKey(sender)) : undefined;
  if (entry?.kind === 'mailbox' && Number.isFinite(entry.mailbox.maxSendSize)) {
    return { limit: entry.mailbox.maxSendSize, reason: reasons.senderSizeLimit() };
  }
  return { limit: org.maxSendSize, reason: reasons.orgSizeLimit() };
}

/** The recipient's limit: a mailbox's own MaxReceiveSize when set, otherwise the organization's MaxReceiveSize. */
export function recipientLimit(topology: Topology, recipient: ResolvedRecipient): { limit: number; reason: RouteReason } {
  const entry = recipient.entry;
  if (entry?.kind === 'mailbox' && Number.isFinite(entry.mailbox.maxReceiveSize)) {
    return { limit: entry.mailbox.maxReceiveSize, reason: reasons.recipientSizeLimit() };
  }
  return { limit: topology.organization.maxReceiveSize, reason: reasons.orgSizeLimit() };
}

/** The first limit a message of `size` bytes breaks, or undefined. */
export function sizeRejection(index: RoutingIndex, recipient: ResolvedRecipient, sender: string | undefined, size: number): RouteReason | undefined {
  if (size <= 0) return undefined;
  const s = senderLimit(index, sender);
  if (size > s.limit) return s.reason;
  // Distribution groups carry no limit of their own here; each member is checked when expanded.
  if (recipient.recipientType === 'DistributionGroup') return undefined;
  const r = recipientLimit(index.topology, recipient);
  if (size > r.limit) return r.reason;
  return undefined;
}
