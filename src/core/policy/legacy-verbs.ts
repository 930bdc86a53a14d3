/**
 * R54: who may use ETRN and ATRN, and what TURN gets. The relay's handlers send what these return;
 * running the queue for ETRN is the store's job (MessageSink.startDelivery).
 */
import { isDomainName } from '../model/address-space.js';
import type { ReceiveConnector } from '../model/topology.js';
import { hasRight, isAuthenticated, type SessionPermissions } from './permissions.js';
import { reply, type Reply } from './replies.js';

export type EtrnDecision = { allowed: true; domain: string } | { allowed: false; reply: Reply };

/** ETRN needs ms-Exch-SMTP-Accept-Any-Recipient (R42, R54); its argument is a domain, `@domain` or `#queue` (RFC 1985). */
export function decideEtrn(permissions: Pick<SessionPermissions, 'rights'>, argument: string): EtrnDecision {
  if (!hasRight(permissions, 'ms-Exch-SMTP-Accept-Any-Recipient')) return { allowed: false, reply: reply('etrnNeedsAuth') };
  const domain = argument.trim().replace(/^[@#]/, '').toLowerCase();
  if (domain === '' || !isDomainName(domain)) return { allowed: false, reply: reply('etrnSyntax') };
  return { allowed: true, domain };
}

/** The ETRN reply once the store said whether anything waits (RFC 1985 code meanings, R54). */
export function etrnOutcome(domain: string, started: boolean | 'unavailable'): Reply {
  if (started === 'unavailable') return reply('etrnCannotQueue', { domain });
  return started ? reply('etrnStarted', { domain }) : reply('etrnNothingQueued', { domain });
}

/** ATRN (RFC 2645): refused before AUTH; after AUTH only where the connector enables on-demand relay. */
export function decideAtrn(connector: Pick<ReceiveConnector, 'atrnEnabled'>, permissions: Pick<SessionPermissions, 'principal'>): Reply {
  if (!isAuthenticated(permissions.principal)) return reply('atrnNeedsAuth');
  // mxt does not turn the connection around (yet): on an atrnEnabled connector the reply says so.
  return connector.atrnEnabled ? reply('notImplemented') : reply('atrnNotEnabled');
}
