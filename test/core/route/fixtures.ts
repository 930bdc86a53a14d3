/** Small topologies for routing tests (spec section 25 conventions: Mailbox servers, fqdn = name.contoso.com). */
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';
import { planRoute } from '../../../src/core/route/index.js';
import type { RouteDecision, RouteRequest } from '../../../src/core/route/types.js';
import type { Topology } from '../../../src/core/model/topology.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

export const MB = 1024 * 1024;
export { contosoDomain, mailbox, topology };

/** Two sites Paris–Lyon (cost 10), MBX-PAR and MBX-LYO, plus whatever the test adds. */
export function twoSites(extra: Partial<WrittenTopologyInput> = {}): Topology {
  return topology({
    sites: [{ name: 'Paris' }, { name: 'Lyon' }],
    siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 }],
    servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon')],
    acceptedDomains: [contosoDomain],
    ...extra,
  });
}

/** The one decision for one recipient. */
export function plan1(t: Topology, from: string, to: string, extra: Partial<RouteRequest> = {}): RouteDecision {
  return planRoute(t, { from, recipients: [to], ...extra }).decisions[0]!;
}

export const hopsOf = (d: RouteDecision) => d.hops.map((h) => [h.server, h.action, h.deliveryType]);
