/**
 * The receive-side decisions at MAIL FROM (R57) and RCPT TO (R56, R60, R62, R73), as values: the
 * relay's session handlers send the reply they return; `mxt route inbound` prints it.
 */
import { domainKey, parseMailbox, type MailboxParse } from '../model/address.js';
import { sameName } from '../model/names.js';
import type { AcceptedDomain, ReceiveConnector, Server, Topology } from '../model/topology.js';
import { domainOf, matchAccepted } from '../route/recipients.js';
import { directoryKey, routingIndex } from '../route/routing-index.js';
import { hasRight, isAuthenticated, type SessionPermissions } from './permissions.js';
import { reply, type Reply } from './replies.js';

export interface AcceptedDomainMatch {
  domain: AcceptedDomain;
  /** `exact`: same name; `wildcard`: through `*.`; `subdomain`: through matchSubDomains (A16). */
  kind: 'exact' | 'wildcard' | 'subdomain';
}

/**
 * The accepted domain a domain falls in (R62, A16), with the routing core's matcher so that the relay
 * and `route plan` agree; the index is built once per topology.
 */
export function matchAcceptedDomain(topology: Topology, domain: string): AcceptedDomainMatch | undefined {
  const d = domainOf(domain);
  const accepted = matchAccepted(routingIndex(topology), d);
  if (!accepted) return undefined;
  const name = domainKey(accepted.domainName);
  return { domain: accepted, kind: name === d ? 'exact' : name.startsWith('*.') ? 'wildcard' : 'subdomain' };
}

export type MailFromCheck = 'submit' | 'size' | 'authoritativeSender' | 'sendAs' | 'syntax';

export interface MailFromDecision {
  accepted: boolean;
  reply: Reply;
  /** The R57 check that refused it. */
  failedCheck?: MailFromCheck;
  /** Why, in words. */
  because: string;
}

export interface MailFromRequest {
  topology: Topology;
  connector: Pick<ReceiveConnector, 'maxMessageSize'>;
  permissions: SessionPermissions;
  /** The reverse-path without brackets (core/model/address.ts `parsePath` strips them); `''` for the null sender. */
  sender: string;
  /** `sender` already parsed with the same `utf8` (the relay parses each path once); parsed here when absent. */
  senderParse?: MailboxParse;
  /** The session negotiated SMTPUTF8 (RFC 6531): UTF-8 addresses are allowed. */
  utf8?: boolean;
  /** `SIZE=` parameter, bytes. */
  declaredSize?: number;
  /** Addresses the authenticated user owns (the relay's users file); undefined: not checked (R57 step 4). */
  ownedAddresses?: readonly string[];
}

/** R57, checks in order: submit right, size, authoritative-domain sender (anonymous only), send-as, syntax. */
export function decideMailFrom(request: MailFromRequest): MailFromDecision {
  const { permissions, connector, sender } = request;
  const authenticated = isAuthenticated(permissions.principal);
  if (!hasRight(permissions, 'ms-Exch-SMTP-Submit')) {
    return {
      accepted: false,
      reply: reply(authenticated ? 'noSubmitPermission' : 'notAuthenticated'),
      failedCheck: 'submit',
      because: `the session (${permissions.principalNames[0]}) has no ms-Exch-SMTP-Submit on this connector: ${
        permissions.groups.length > 0 ? 'its groups do not grant it' : 'no permission group of the connector covers it'
      } (R40, R57)`,
    };
  }
  if (request.declaredSize !== undefined && request.declaredSize > connector.maxMessageSize && !hasRight(permissions, 'ms-Exch-Bypass-Message-Size-Limit')) {
    return {
      accepted: false,
      reply: reply('messageTooBig'),
      failedCheck: 'size',
      because: `SIZE=${request.declaredSize} is above the connector's MaxMessageSize of ${connector.maxMessageSize} bytes (R57)`,
    };
  }
  // One address rule (core/model/address.ts) for MAIL FROM, RCPT TO and routing.
  const parsed = request.senderParse ?? (sender === '' ? undefined : parseMailbox(sender, { utf8: request.utf8 }));
  const senderDomain = parsed?.ok ? parsed.mailbox.domain : undefined;
  const match = senderDomain ? matchAcceptedDomain(request.topology, senderDomain) : undefined;
  if (!authenticated && match?.domain.domainType === 'Authoritative' && !hasRight(permissions, 'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender')) {
    return {
      accepted: false,
      reply: reply('cannotSendAsSender'),
      failedCheck: 'authoritativeSender',
      because: `${senderDomain} is the authoritative domain ${match.domain.domainName} and the anonymous session lacks ms-Exch-SMTP-Accept-Authoritative-Domain-Sender (R57)`,
    };
  }
  if (
    permissions.principal === 'user' &&
    request.ownedAddresses !== undefined &&
    !hasRight(permissions, 'ms-Exch-SMTP-Accept-Any-Sender') &&
    !request.ownedAddresses.some((a) => sameName(a, parsed?.ok ? parsed.mailbox.canonical : sender))
  ) {
    return { accepted: false, reply: reply('cannotSendAsAddress'), failedCheck: 'sendAs', because: `the user does not own ${sender} (R57)` };
  }
  if (parsed && !parsed.ok) {
    return { accepted: false, reply: reply('invalidSender'), failedCheck: 'syntax', because: `"${sender}" is not an address: ${parsed.reason} (R57)` };
  }
  return { accepted: true, reply: reply('senderOk'), because: 'the session may submit (R57)' };
}

export type RcptCheck = 'syntax' | 'recipientLimit' | 'relay' | 'recipientLookup';

export interface RcptDecision {
  recipient: string;
  accepted: boolean;
  reply: Reply;
  failedCheck?: RcptCheck;
  /** The accepted domain the recipient falls in (R62), if any. */
  acceptedDomain?: AcceptedDomainMatch;
  because: string;
}

export interface RcptRequest {
  topology: Topology;
  server: Pick<Server, 'role'>;
  connector: Pick<ReceiveConnector, 'maxRecipientsPerMessage'>;
  permissions: SessionPermissions;
  /** The forward-path without brackets. */
  recipient: string;
  /** `recipient` already parsed with the same `utf8` (the relay parses each path once); parsed here when absent. */
  recipientParse?: MailboxParse;
  /** The session negotiated SMTPUTF8 (RFC 6531): UTF-8 addresses are allowed. */
  utf8?: boolean;
  /** Recipients already accepted in this transaction (R56). */
  acceptedSoFar: number;
}

/** Whether the organization's directory holds an address (the replicated view Recipient Lookup reads). */
export function directoryHas(topology: Topology, address: string): boolean {
  return routingIndex(topology).directory.has(directoryKey(address));
}

/** RCPT TO: syntax, recipient limit (R56), relay (R60 with R62/A16), Edge Recipient Lookup (R73). */
export function decideRcpt(request: RcptRequest): RcptDecision {
  const { recipient, permissions } = request;
  const parsed = request.recipientParse ?? parseMailbox(recipient, { utf8: request.utf8 });
  if (!parsed.ok) {
    return { recipient, accepted: false, reply: reply('invalidRecipient'), failedCheck: 'syntax', because: `"${recipient}" is not an address: ${parsed.reason}` };
  }
  const { domain, canonical } = parsed.mailbox;
  // R56: Exchange servers relaying inside the organization are not limited.
  const limited = permissions.principal !== 'exchangeServer';
  if (limited && request.acceptedSoFar >= request.connector.maxRecipientsPerMessage) {
    return {
      recipient,
      accepted: false,
      reply: reply('tooManyRecipients'),
      failedCheck: 'recipientLimit',
      because: `${request.acceptedSoFar} recipients already accepted, MaxRecipientsPerMessage is ${request.connector.maxRecipientsPerMessage} (R56)`,
    };
  }
  const match = matchAcceptedDomain(request.topology, domain);
  if (!match && !hasRight(permissions, 'ms-Exch-SMTP-Accept-Any-Recipient')) {
    return {
      recipient,
      accepted: false,
      reply: reply('relayDenied'),
      failedCheck: 'relay',
      because: `${domain} is not an accepted domain and the session lacks ms-Exch-SMTP-Accept-Any-Recipient (R60)`,
    };
  }
  if (
    match &&
    request.server.role === 'Edge' &&
    request.topology.recipientFilter.recipientValidationEnabled &&
    match.domain.domainType === 'Authoritative' &&
    match.domain.addressBookEnabled &&
    !directoryHas(request.topology, canonical)
  ) {
    return {
      recipient,
      accepted: false,
      reply: reply('userUnknown'),
      failedCheck: 'recipientLookup',
      acceptedDomain: match,
      because: `Recipient Lookup: ${recipient} is not in the directory of the authoritative domain ${match.domain.domainName} (R73)`,
    };
  }
  const because = match
    ? `${domain} is in the accepted domain ${match.domain.domainName} (${match.domain.domainType}${match.kind === 'exact' ? '' : `, ${match.kind} match`}) (R60, R62)`
    : `${domain} is not an accepted domain; the session holds ms-Exch-SMTP-Accept-Any-Recipient (R60)`;
  return { recipient, accepted: true, reply: reply('recipientOk'), ...(match ? { acceptedDomain: match } : {}), because };
}
