/**
 * What one server decides for one recipient (the categorizer, R64, R72, R95–R99, R104–R106, R119):
 * the routing destination, its delivery group, the least-cost path and the first hop out of this
 * server. Later stops of the message run the same function from their own site (R93).
 */
import { nameKey } from '../model/names.js';
import type { MailboxDatabase, SendConnector, Server } from '../model/topology.js';
import type { Availability } from './availability.js';
import type { RouteCache } from './route-cache.js';

/** activeCopy with nothing marked down (R6 as the directory has it). */
const NO_DOWN: Availability = { down: [], serverDown: () => false, connectorDown: () => false, canReceive: () => true };
import { selectConnector } from './connectors.js';
import { activeCopy, databaseGroup, serverListGroup, type DeliveryGroup } from './delivery-groups.js';
import { reasons } from './reasons.js';
import { domainOf, type ResolvedRecipient } from './recipients.js';
import { NOTHING_TO_EXPLAIN, routeToGroup, type Explain, type GroupRoute } from './relay.js';
import { siteName, type RoutingIndex } from './routing-index.js';
import type { NextHop, RouteReason, RouteStatus, RoutingDestinationType } from './types.js';

export type Step =
  | { kind: 'relay'; nextHop: NextHop }
  | { kind: 'deliver'; nextHop: NextHop; server: Server }
  | { kind: 'send'; nextHop: NextHop; connector: SendConnector }
  | { kind: 'expand'; server: Server }
  | { kind: 'none' };

export interface Categorized {
  status: RouteStatus;
  reason?: RouteReason;
  destination?: { type: RoutingDestinationType; name: string };
  group?: DeliveryGroup;
  connector?: SendConnector;
  route?: GroupRoute;
  /** undefined: the route's, read only when the plan's `sitePath` is (the route builds it lazily). */
  sitePath: string[] | undefined;
  /** R104 4a aggregate cost (a connector: address space cost + path cost to remote sources); else the path cost. */
  cost: number | null;
  /** Cost of the site path itself (R81, R93). */
  pathCost: number | null;
  maxSize: number;
  /** What else was considered and why it lost (R81, R91, R101–R104), on demand. */
  explain: Explain;
  /** The address routed when it differs from the recipient (mail contacts, R64). */
  targetAddress?: string;
  step: Step;
}

export interface CategorizeInput {
  index: RoutingIndex;
  avail: Availability;
  server: Server;
  /** The server's site index (-1: none), looked up once per decision. */
  site: number;
  recipient: ResolvedRecipient;
  /** Bytes; 0 when not given. */
  size: number;
}

function failed(status: RouteStatus, reason: RouteReason, extra: Partial<Categorized> = {}): Categorized {
  return { status, reason, sitePath: [], cost: null, pathCost: null, maxSize: Infinity, explain: NOTHING_TO_EXPLAIN, step: { kind: 'none' }, ...extra };
}

/** R72: a remote group means relaying along the path; a group L belongs to is handled by the caller. */
function relayTo(index: RoutingIndex, route: GroupRoute, size: number, common: Partial<Categorized>): Categorized {
  const group = route.group;
  const result: Categorized = {
    status: 'routed',
    destination: common.destination,
    group,
    route,
    sitePath: undefined,
    cost: route.cost,
    pathCost: route.cost,
    maxSize: route.maxSize,
    explain: route.explain,
    step: { kind: 'relay', nextHop: route.nextHop! },
  };
  if (route.failure) {
    result.status = 'unreachable';
    result.reason = route.failure === 'noServers' ? reasons.noServer(group.name) : reasons.noRoute(group.name);
    result.step = { kind: 'none' };
  } else if (size > route.maxSize) {
    // R87: the smallest link of the whole least-cost path, even beyond the next hop and with direct relay.
    result.status = 'rejected';
    result.reason = reasons.routeSizeLimit('R87');
    result.step = { kind: 'none' };
  }
  return result;
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** R106: NextHopDomain of smart-host delivery = SmartHostsString (IPs in brackets). */
export function smartHostsString(connector: SendConnector): string {
  return connector.smartHosts.map((h) => (isIpLiteral(h) ? `[${h}]` : h)).join(',');
}

export interface DatabaseTarget {
  db: MailboxDatabase | undefined;
  /** R6: the active copy, undefined when none can be active. */
  x: Server | undefined;
  group: DeliveryGroup | undefined;
}

function databaseTarget(index: RoutingIndex, databaseName: string, avail: Availability): DatabaseTarget {
  const db = index.databases.get(nameKey(databaseName));
  // R88: when no copy answers, the routing destination stays where the directory has it (the copy
  // active without outages): the message is queued at the point of failure, not made unreachable.
  const x = db ? (activeCopy(index, db, avail) ?? (avail.down.length > 0 ? activeCopy(index, db, NO_DOWN) : undefined)) : undefined;
  return { db, x, group: x ? databaseGroup(index, x) : undefined };
}

/** Without outages the active copy of a database never moves: look it up once per database name, not per plan. */
function databaseTargetOf(index: RoutingIndex, databaseName: string, avail: Availability): DatabaseTarget {
  if (avail.down.length > 0) return databaseTarget(index, databaseName, avail);
  const cache = index.cache.databaseTargets;
  return cache.find(databaseName) ?? cache.keep(databaseName, databaseTarget(index, databaseName, avail));
}

function mailbox(input: CategorizeInput, databaseName: string): Categorized {
  const { index, avail, server, size } = input;
  const destination = { type: 'MailboxDatabase' as const, name: databaseName };
  const { db, x, group } = databaseTargetOf(index, databaseName, avail);
  if (!db) return failed('unreachable', reasons.noServer(databaseName), { destination });
  if (!x || !group) return failed('unreachable', reasons.noServer(db.masterServerOrAvailabilityGroup), { destination });
  const route = routeToGroup(index, server, group, input.site);
  if (route.local) {
    // R96: L is in the DAG, in X's mailbox delivery group, or is X: deliver to the active copy itself.
    const nextHop: NextHop = { domain: db.name, deliveryType: 'SmtpDeliveryToMailbox', targets: [x.name], fallbacks: [] };
    return {
      status: 'routed',
      destination,
      group,
      route,
      sitePath: undefined,
      cost: 0,
      pathCost: 0,
      maxSize: Infinity,
      explain: route.explain,
      step: { kind: 'deliver', nextHop, server: x },
    };
  }
  // R97 (DAG) / R98 (mailbox delivery group); hubs on the path per R85/A4.
  return relayTo(index, route, size, { destination });
}

function group(input: CategorizeInput, expansionServer: string | undefined): Categorized {
  const { index, server, size } = input;
  if (expansionServer === undefined) {
    // R99: no expansion server → expanded on the categorizing server.
    return {
      status: 'routed',
      destination: { type: 'ExpansionServer', name: server.name },
      sitePath: [siteName(index, input.site)].filter((s): s is string => s !== null),
      cost: 0,
      pathCost: 0,
      maxSize: Infinity,
      explain: NOTHING_TO_EXPLAIN,
      step: { kind: 'expand', server },
    };
  }
  const destination = { type: 'ExpansionServer' as const, name: expansionServer };
  const e = index.servers.get(nameKey(expansionServer));
  if (!e) return failed('unreachable', reasons.noServer(expansionServer), { destination });
  const g = serverListGroup(index, e);
  const route = routeToGroup(index, server, g, input.site);
  if (route.local) {
    return {
      status: 'routed',
      destination,
      group: g,
      route,
      sitePath: undefined,
      cost: 0,
      pathCost: 0,
      maxSize: Infinity,
      explain: NOTHING_TO_EXPLAIN,
      step: { kind: 'expand', server: e },
    };
  }
  return relayTo(index, route, size, { destination });
}

function external(input: CategorizeInput, address: string): Categorized {
  const { index, server, size } = input;
  // The recipient's own domain was normalised once when it was resolved.
  const domain = address === input.recipient.address ? input.recipient.domain : domainOf(address);
  const selection = selectConnector(index, server, input.site, domain, size);
  const { chosen, route, explain } = selection;
  if (!chosen || !route) {
    // R104 step 5 / R120.
    return selection.failure === 'tooSmall'
      ? failed('rejected', reasons.routeSizeLimit('R104'), { explain })
      : failed('unreachable', reasons.noConnector(), { explain });
  }
  const connector = chosen.connector;
  // One literal per outcome (no spreads): this runs once per external recipient and stop.
  let step: Step;
  if (!route.local) step = { kind: 'relay', nextHop: route.nextHop! };
  else {
    // R106 first two rows, R107: L is a source server and sends itself.
    const nextHop: NextHop = connector.dnsRoutingEnabled
      ? { domain, deliveryType: 'DnsConnectorDelivery', targets: [`MX ${domain}`], fallbacks: [] }
      : { domain: smartHostsString(connector), deliveryType: 'SmartHostConnectorDelivery', targets: connector.smartHosts.map((h) => `${h}:${connector.port}`), fallbacks: [] };
    step = { kind: 'send', nextHop, connector };
  }
  return {
    status: 'routed',
    destination: { type: 'Connector', name: connector.name },
    group: route.group,
    connector,
    route,
    sitePath: undefined,
    cost: chosen.aggregateCost,
    pathCost: route.local ? 0 : route.cost,
    maxSize: chosen.maxSize,
    explain,
    step,
  };
}

/** The categorizer on `server` for one recipient. Results may be shared (cache): treat them as read-only. */
export function categorize(input: CategorizeInput): Categorized {
  return categorizeNow(input);
}

/**
 * The same, memoised per (server, recipient) when no size is given and nothing is marked down: the
 * later stops of messages (hub servers, source servers, DAG members, Edge servers) are few and meet
 * the same recipients again and again. The first stop is not cached: its pairs rarely repeat.
 * Mailboxes are kept per (server, database) instead: a Mailbox server routes them by their database
 * alone (R95, R96), and there are far fewer databases than mailboxes.
 */
export function categorizeCached(input: CategorizeInput): Categorized {
  if (input.size > 0 || input.avail.down.length > 0) return categorizeNow(input);
  const { recipient, server } = input;
  const entry = recipient.entry;
  if (recipient.recipientType === 'Mailbox') {
    // An Edge server routes even mailboxes by address (R119): not worth keeping.
    if (server.role === 'Edge' || entry?.kind !== 'mailbox') return categorizeNow(input);
    return kept(input, input.index.cache.laterByDatabase, entry.mailbox.database);
  }
  return kept(input, input.index.cache.laterByAddress, recipient.address);
}

function kept(input: CategorizeInput, of: RouteCache['laterByAddress'], key: string): Readonly<Categorized> {
  return input.index.cache.laterStops(of, input.server).get(key, () => categorizeNow(input));
}

function categorizeNow(input: CategorizeInput): Categorized {
  const { server, recipient } = input;
  const entry = recipient.entry;
  // R119: an Edge server routes everything through its own connectors (it has no databases).
  if (server.role === 'Edge') {
    const address = entry?.kind === 'contact' || entry?.kind === 'mailUser' ? entry.contact.externalEmailAddress : recipient.address;
    return { ...external(input, address), ...(address !== recipient.address ? { targetAddress: address } : {}) };
  }
  switch (recipient.recipientType) {
    case 'Unknown':
      return failed('rejected', reasons.recipientNotFound());
    case 'Mailbox':
      return mailbox(input, entry?.kind === 'mailbox' ? entry.mailbox.database : '');
    case 'DistributionGroup':
      return group(input, entry?.kind === 'group' ? entry.group.expansionServer : undefined);
    default: {
      // R64: mail users / contacts go to their external address; relay domains and the outside world by connector.
      const target = entry?.kind === 'contact' || entry?.kind === 'mailUser' ? entry.contact.externalEmailAddress : undefined;
      const result = external(input, target ?? recipient.address);
      return target ? { ...result, targetAddress: target } : result;
    }
  }
}
