/**
 * Recipient resolution (R60–R64, A16): which accepted domain an address falls in and what kind of
 * recipient it is. Directory objects (mailboxes, groups, contacts, mail users) are found by address;
 * everything else is classified by its accepted domain's type.
 */
import { domainKey, parseMailbox } from '../model/address.js';
import type { AcceptedDomain } from '../model/topology.js';
import { directoryKey, suffixes, type AcceptedDomainIndex, type DirectoryEntry, type RoutingIndex } from './routing-index.js';
import type { RecipientType } from './types.js';

export interface ResolvedRecipient {
  address: string;
  /** R121: the address has the form local@domain (checked once per address, not per plan). */
  valid: boolean;
  domain: string;
  recipientType: RecipientType;
  accepted: AcceptedDomain | undefined;
  entry: DirectoryEntry | undefined;
}

/** The domain after the last `@`, as routing compares it: lower case, A-labels (core/model/address.ts domainKey). */
export function domainOf(address: string): string {
  return domainKey(address.slice(address.lastIndexOf('@') + 1).replace(/\.$/, ''));
}

/**
 * R62 + A16: an exact accepted domain beats every wildcard; among `*.s` wildcards and plain domains
 * with matchSubDomains the longest suffix wins; at the same suffix the wildcard (written as such)
 * is taken before matchSubDomains, so the result never depends on config order.
 */
export function matchAccepted(index: AcceptedDomainIndex, domain: string): AcceptedDomain | undefined {
  const exact = index.acceptedExact.get(domain);
  if (exact) return exact;
  for (const suffix of suffixes(domain)) {
    const wildcard = index.acceptedWildcard.get(suffix);
    if (wildcard) return wildcard;
    if (suffix !== domain) {
      const sub = index.acceptedSubdomains.get(suffix);
      if (sub) return sub;
    }
  }
  return undefined;
}


/** R64: classify one recipient address (cached per topology: a pure function of the two). */
export function resolveRecipient(index: RoutingIndex, address: string): Readonly<ResolvedRecipient> {
  const cache = index.cache.resolved;
  return cache.find(address) ?? cache.keep(address, resolve(index, address));
}

function resolve(index: RoutingIndex, address: string): ResolvedRecipient {
  // One address rule (core/model/address.ts) with RCPT TO; a message inside the org may carry UTF-8.
  const parsed = parseMailbox(address.trim(), { utf8: true });
  const normal = (parsed.ok ? parsed.mailbox.canonical : address.trim()).toLowerCase();
  const domain = parsed.ok ? parsed.mailbox.domain : domainOf(normal);
  const accepted = matchAccepted(index, domain);
  const entry = index.directory.get(directoryKey(normal));
  const base = { address: normal, valid: parsed.ok, domain, accepted, entry };
  // R61 ExternalRelay: no recipient of that domain exists in the org, whatever the directory says.
  if (accepted?.domainType === 'ExternalRelay') return { ...base, entry: undefined, recipientType: 'ExternalRelay' };
  if (entry?.kind === 'mailbox') return { ...base, recipientType: 'Mailbox' };
  if (entry?.kind === 'group') return { ...base, recipientType: 'DistributionGroup' };
  // R64: a mail user / mail contact is an external recipient routed to its external address.
  if (entry) return { ...base, recipientType: 'External' };
  if (!accepted) return { ...base, recipientType: 'External' };
  // R61: authoritative and not found → NDR; internal relay and not found → routed out by connector.
  return { ...base, recipientType: accepted.domainType === 'Authoritative' ? 'Unknown' : 'InternalRelay' };
}
