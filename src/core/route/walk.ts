/**
 * The stops of one recipient's message (R93): the categorizing server, each hub site or relay server,
 * then the final hand-off. Every stop re-categorizes from its own site. Outages (`--down`) decide which
 * target answers: fallbacks and back-off per R88, queueing at the point of failure.
 */
import { compareNames, nameKey } from '../model/names.js';
import type { Server } from '../model/topology.js';
import type { Availability } from './availability.js';
import { categorizeCached, type Categorized } from './categorize.js';
import { reasons, UNREACHABLE_DOMAIN } from './reasons.js';
import type { ResolvedRecipient } from './recipients.js';
import { siteName, siteOf, type RoutingIndex } from './routing-index.js';
import type { Hop, NextHop, RouteReason, RouteStatus } from './types.js';

/** Stops are few (source, hubs, destination, Edge); more means a loop in the configuration. */
const MAX_STOPS = 16;

export interface Walk {
  hops: Hop[];
  /** Set when a later stop could not route (size, unknown recipient behind an Edge, …). */
  status?: RouteStatus;
  reason?: RouteReason;
  /** Where a distribution group is expanded. */
  expandedOn?: Server;
}

interface WalkInput {
  index: RoutingIndex;
  avail: Availability;
  recipient: ResolvedRecipient;
  size: number;
}

function hop(index: RoutingIndex, server: Server, rest: Omit<Hop, 'server' | 'site'>): Hop {
  const h: Hop = { server: server.name, site: siteName(index, siteOf(index, server)), action: rest.action, deliveryType: rest.deliveryType, target: rest.target };
  if (rest.nextHopDomain !== undefined) h.nextHopDomain = rest.nextHopDomain;
  if (rest.note !== undefined) h.note = rest.note;
  return h;
}

/**
 * R109: the FETs that may proxy for a Mailbox server are those of its site's Mailbox servers (load-balanced,
 * A12: only the set is testable); the hop is drawn through its own, which is up whenever it routes.
 * Never on an Edge: a subscribed Edge sends itself (R109, V32).
 */
function frontEndProxies(index: RoutingIndex, avail: Availability, server: Server): Server[] {
  if (server.role !== 'Mailbox') return [];
  const site = siteOf(index, server);
  const inSite = site < 0 ? [server] : index.siteMailboxServers[site]!.filter((s) => avail.canReceive(s));
  return [...inSite].sort((a, b) => compareNames(a.name, b.name));
}

/** The first of `names` that can take a message now (R88, R92). */
function firstUp(index: RoutingIndex, avail: Availability, names: readonly string[]): Server | undefined {
  for (const n of names) {
    const s = index.serversByExactName.get(n)?.server ?? index.servers.get(nameKey(n));
    if (s !== undefined && avail.canReceive(s)) return s;
  }
  return undefined;
}

/** R88: the server that takes the message next, or where it waits. */
function pickNext(
  index: RoutingIndex,
  avail: Availability,
  from: Server,
  c: Categorized,
  nextHop: NextHop,
): { next: Server; note?: string; waits?: boolean } | { queueHere: string } {
  const target = firstUp(index, avail, nextHop.targets);
  if (target) return { next: target };
  const fallback = firstUp(index, avail, nextHop.fallbacks);
  if (fallback) return { next: fallback, note: `R88: no target of ${nextHop.domain} answers; fallback ${fallback.name}` };
  // R88: no local members of the group → back off hop by hop along the least-cost path towards the
  // source, to the first site whose servers answer. The path ends at the site the next hop leads into
  // (the primary site, or the first hub site on the way, R85): back-off starts from the site before it.
  const localMembers = c.route?.ordered.some((g) => g.proximity < 2) ?? false;
  if (!localMembers && c.route) {
    const path = c.route.path;
    const local = siteOf(index, from);
    const into = c.route.nextSite ?? path[path.length - 1]!;
    const end = path.indexOf(into);
    for (let i = (end < 0 ? path.length : end) - 1; i >= 1; i--) {
      const site = path[i]!;
      if (site === local) break;
      const s = index.siteMailboxServers[site]!.find((m) => avail.canReceive(m));
      if (s) return { next: s, waits: true, note: `R88: no server of ${nextHop.domain} answers; backs off to ${index.graph.names[site]}` };
    }
  }
  return { queueHere: `R88: no server of ${nextHop.domain} answers; waits in the queue on ${from.name} (Retry)` };
}

export function walk(input: WalkInput, first: Categorized, from: Server): Walk {
  const { index, avail, recipient, size } = input;
  const hops: Hop[] = [];
  // Stops are few (MAX_STOPS): an array is cheaper than a Set here.
  const visited: Server[] = [];
  let server = from;
  let c = first;
  for (let stop = 0; stop < MAX_STOPS; stop++) {
    visited.push(server);
    if (stop > 0) c = categorizeCached({ index, avail, server, site: siteOf(index, server), recipient, size });
    if (c.status !== 'routed') {
      if (stop === 0) return { hops };
      const unreachable = c.status === 'unreachable';
      hops.push(
        hop(index, server, {
          action: unreachable ? 'queue' : 'reject',
          deliveryType: unreachable ? 'Unreachable' : null,
          target: unreachable ? UNREACHABLE_DOMAIN : 'NDR',
          ...(unreachable ? { nextHopDomain: UNREACHABLE_DOMAIN } : {}),
          note: c.reason ? `${c.reason.enhancedCode} ${c.reason.text}` : undefined,
        }),
      );
      return { hops, status: c.status, reason: c.reason };
    }
    const step = c.step;
    switch (step.kind) {
      case 'none':
        return { hops };
      case 'expand':
        hops.push(hop(index, server, { action: 'expand', deliveryType: null, target: recipient.address }));
        return { hops, expandedOn: server };
      case 'deliver': {
        const x = step.server;
        if (!avail.canReceive(x)) {
          hops.push(hop(index, server, { action: 'queue', deliveryType: 'SmtpDeliveryToMailbox', target: 'Retry', nextHopDomain: step.nextHop.domain, note: `R88: ${x.name} does not answer; waits for ${step.nextHop.domain}` }));
        } else {
          hops.push(hop(index, server, { action: 'deliver', deliveryType: 'SmtpDeliveryToMailbox', target: `${x.name}:475` }));
        }
        return { hops };
      }
      case 'send': {
        const connector = step.connector;
        if (avail.connectorDown(connector.name)) {
          hops.push(hop(index, server, { action: 'queue', deliveryType: step.nextHop.deliveryType, target: 'Retry', nextHopDomain: step.nextHop.domain, note: `${connector.name} is down: waits on ${server.name} (Retry)` }));
          return { hops };
        }
        const target = step.nextHop.targets[0] ?? step.nextHop.domain;
        const proxies = connector.frontendProxyEnabled ? frontEndProxies(index, avail, server) : [];
        if (proxies.length > 0) {
          // R109: selected and queued as usual, but the Transport service hands the message to the Front End
          // Transport service of a Mailbox server in its own site (Outbound Proxy Frontend, port 717), which connects out.
          const names = proxies.map((p) => p.name).join(', ');
          hops.push(hop(index, server, { action: 'relay', deliveryType: step.nextHop.deliveryType, target: `${server.name}:717`, note: `R109: ${connector.name} has frontendProxyEnabled: Outbound Proxy Frontend of a Mailbox server of the site (${names})` }));
          hops.push(hop(index, server, { action: 'send', deliveryType: step.nextHop.deliveryType, target, note: 'R109: the Front End Transport service proxies the connection' }));
        } else {
          hops.push(hop(index, server, { action: 'send', deliveryType: step.nextHop.deliveryType, target }));
        }
        // R117/R119: an Edge Inbound connector's smart hosts are the org's own Mailbox servers: follow them.
        if (connector.dnsRoutingEnabled) return { hops };
        const insideServers = connector.smartHosts.map((h) => index.serversByFqdn.get(h.toLowerCase())).filter((s): s is Server => s !== undefined && avail.canReceive(s));
        if (insideServers.length === 0) return { hops };
        const inside = insideServers.find((s) => !visited.includes(s));
        // An InternalRelay domain with no connector of its own reaches the Edge by the Internet connector and
        // comes straight back through the Inbound one (R117): Exchange bounces it between them until MaxHopCount.
        if (!inside) return { hops, status: 'unreachable', reason: reasons.routingLoop(insideServers[0]!.name) };
        server = inside;
        continue;
      }
      case 'relay': {
        const picked = pickNext(index, avail, server, c, step.nextHop);
        if ('queueHere' in picked) {
          hops.push(hop(index, server, { action: 'queue', deliveryType: step.nextHop.deliveryType, target: 'Retry', nextHopDomain: step.nextHop.domain, note: picked.queueHere }));
          return { hops };
        }
        const { next } = picked;
        const deliveryType = picked.waits ? 'SmtpRelayToRemoteAdSite' : step.nextHop.deliveryType;
        hops.push(hop(index, server, { action: 'relay', deliveryType, target: next.name, ...(picked.note ? { note: picked.note } : {}) }));
        if (picked.waits) {
          hops.push(hop(index, next, { action: 'queue', deliveryType: step.nextHop.deliveryType, target: 'Retry', nextHopDomain: step.nextHop.domain, note: `waits here for ${step.nextHop.domain} (R88)` }));
          return { hops };
        }
        if (visited.includes(next)) {
          return { hops, status: 'unreachable', reason: reasons.routingLoop(next.name) };
        }
        server = next;
        continue;
      }
    }
  }
  return { hops, status: 'unreachable', reason: reasons.routingLoop(server.name) };
}
