/**
 * R125 and R126: which Transport service a stateless proxy hands a message to. The Front End
 * Transport service (a session on a FrontendTransport connector) and the Mailbox Transport Submission
 * service never queue; they pick Mailbox servers by the recipients' mailbox databases: the first 20
 * recipients decide, the closest of their delivery groups wins (R91 through the routing core), and a
 * hub site on the path to it takes its place (R85). With no mailbox recipient the FET picks a Mailbox
 * server of its own site, the submission service one of its own delivery group.
 * Which server of the chosen set takes a given session is load-balancing, not testable (A12): the
 * whole set is returned.
 */
import { nameKey } from '../model/names.js';
import type { Server, Topology } from '../model/topology.js';
import { availabilityOrThrow as availability } from '../route/availability.js';
import { activeCopy, databaseGroup, type DeliveryGroup } from '../route/delivery-groups.js';
import { resolveRecipient } from '../route/recipients.js';
import { routeToGroup, type GroupRoute } from '../route/relay.js';
import { routingIndex, siteOf, type RoutingIndex } from '../route/routing-index.js';

/** R125: "the first 20 recipients decide". */
export const DECIDING_RECIPIENTS = 20;

export interface TransportChoice {
  rule: 'R125' | 'R126';
  /** Mailbox servers the proxy may connect to (load-balanced among them). */
  servers: string[];
  basis: 'deliveryGroup' | 'hubSite' | 'localSite' | 'localDeliveryGroup';
  /** The delivery group the choice was made for (none for the local fallbacks). */
  deliveryGroup?: { type: DeliveryGroup['type']; name: string };
  /** Mailbox recipients among the first 20, which decided. */
  decidedBy: string[];
}

export function chooseTransportService(topology: Topology, from: Server, recipients: readonly string[], service: 'FrontendTransport' | 'MailboxTransportSubmission', down: readonly string[] = []): TransportChoice {
  const index = routingIndex(topology);
  const avail = availability(index, down);
  const rule = service === 'FrontendTransport' ? 'R125' : 'R126';
  const routes = new Map<DeliveryGroup, GroupRoute>();
  const decidedBy: string[] = [];
  for (const address of recipients.slice(0, DECIDING_RECIPIENTS)) {
    const resolved = resolveRecipient(index, address);
    if (resolved.entry?.kind !== 'mailbox' || resolved.recipientType !== 'Mailbox') continue;
    const db = index.databases.get(nameKey(resolved.entry.mailbox.database));
    const active = db ? activeCopy(index, db, avail) : undefined;
    const group = active ? databaseGroup(index, active) : undefined;
    if (!group) continue;
    decidedBy.push(resolved.address);
    if (!routes.has(group)) routes.set(group, routeToGroup(index, from, group));
  }
  const closest = [...routes.values()].filter((r) => r.primary && !r.failure).sort(closer)[0];
  if (closest) {
    const viaHub = closest.nextHop?.deliveryType === 'SmtpRelayToRemoteAdSite';
    const servers = viaHub ? closest.nextHop!.targets : closest.primary!.servers.map((s) => s.name);
    return { rule, servers: up(index, servers, avail), basis: viaHub ? 'hubSite' : 'deliveryGroup', deliveryGroup: { type: closest.group.type, name: closest.group.name }, decidedBy };
  }
  return { rule, servers: up(index, localFallback(index, from, service), avail), basis: service === 'FrontendTransport' ? 'localSite' : 'localDeliveryGroup', decidedBy };
}

/** R91's order between the routes to several groups: proximity, cost, hops, then the group's name. */
function closer(a: GroupRoute, b: GroupRoute): number {
  return a.primary!.proximity - b.primary!.proximity || a.cost - b.cost || a.hops - b.hops || (nameKey(a.group.name) < nameKey(b.group.name) ? -1 : 1);
}

/** R125: Mailbox servers of the FET's own site; R126: the server's own delivery group (its DAG, else its site's group). */
function localFallback(index: RoutingIndex, from: Server, service: 'FrontendTransport' | 'MailboxTransportSubmission'): string[] {
  const site = siteOf(index, from);
  const sameSite = index.topology.servers.filter((s) => s.role === 'Mailbox' && site >= 0 && siteOf(index, s) === site);
  if (service === 'FrontendTransport') return sameSite.map((s) => s.name).sort();
  const group = databaseGroup(index, from);
  return (group?.servers ?? sameSite).map((s) => s.name);
}

/** R92 and `--down`: servers that cannot take mail now are not offered. */
function up(index: RoutingIndex, names: readonly string[], avail: ReturnType<typeof availability>): string[] {
  return names.filter((name) => {
    const server = index.servers.get(nameKey(name));
    return server ? avail.canReceive(server) : false;
  });
}
