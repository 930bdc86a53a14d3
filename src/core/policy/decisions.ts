/**
 * The receive-side decisions at MAIL FROM (R57) and RCPT TO (R56, R60, R62, R73), as values: the
 * relay's session handlers send the reply they return; `mxt route inbound` prints it.
 */
import { isDomainName } from '../model/address-space.js';
import { sameName } from '../model/names.js';
import type { ReceiveConnector, Server, Topology } from '../model/topology.js';

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
  const d = domain.toLowerCase().replace(/\.$/, '');
  const accepted = matchAccepted(routingIndex(topology), d);
  if (!accepted) return undefined;
  const name = accepted.domainName.toLowerCase();
  return { domain: accepted, kind: name === d ? 'exact' : name.startsWith('*.') ? 'wildcard' : 'subdomain' };
}
import type { AcceptedDomain } from '../model/topology.js';
import { domainOf, matchAccepted } from '../route/recipients.js';
import { routingIndex } from '../route/routing-index.js';
import { hasRight, isAuthenticated, type SessionPermissions } from './permissions.js';
import { reply, type Reply } from './replies.js';

/** `local@domain` with a real domain or an address literal; the null reverse-path `<>` is `''`. */
export function isValidAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || /[\s<>]/.test(address) || address.length > 320) return false;
  const domain = address.slice(at + 1);
  // RFC 5321 4.1.2: an `@` in the local part must be quoted; `user@ext@local` is not an address (it
  // is the classic relay-test form that some servers route to `ext`).
  const local = address.slice(0, at);
  if (!local.startsWith('"') && local.includes('@')) return false;
  return /^\[[0-9a-f:.]+\]$/i.test(domain) || isDomainName(domain);
}

/** Strip the angle brackets of `<a@b>` if given. */
export function bareAddress(text: string): string {
  const t = text.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1).trim() : t;
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
  /** The reverse-path without brackets; `''` for the null sender. */
  sender: string;
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
  const senderDomain = sender.includes('@') ? domainOf(sender) : undefined;
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
    !request.ownedAddresses.some((a) => sameName(a, sender))
  ) {
    return { accepted: false, reply: reply('cannotSendAsAddress'), failedCheck: 'sendAs', because: `the user does not own ${sender} (R57)` };
  }
  if (sender !== '' && !isValidAddress(sender)) {
    return { accepted: false, reply: reply('invalidSender'), failedCheck: 'syntax', because: `"${sender}" is not an address (R57)` };
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
  recipient: string;
  /** Recipients already accepted in this transaction (R56). */
  acceptedSoFar: number;
}

/** Whether the organization's directory holds an address (the replicated view Recipient Lookup reads). */
export function directoryHas(topology: Topology, address: string): boolean {
  return routingIndex(topology).directory.has(address.toLowerCase());
}

/** RCPT TO: syntax, recipient limit (R56), relay (R60 with R62/A16), Edge Recipient Lookup (R73). */
export function decideRcpt(request: RcptRequest): RcptDecision {
  const { recipient, permissions } = request;
  if (!isValidAddress(recipient)) {
    return { recipient, accepted: false, reply: reply('invalidRecipient'), failedCheck: 'syntax', because: `"${recipient}" is not an address` };
  }
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
  const domain = domainOf(recipient);
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
    !directoryHas(request.topology, recipient)
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
