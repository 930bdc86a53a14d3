/**
 * Use case `mxt graph`: the topology as a TopologyGraph (src/core/graph), optionally with the route of
 * one recipient highlighted, as the routing core plans it (`planRoute`, the same decision
 * `mxt route plan` prints). Returns data; the CLI picks the writer (mermaid, dot, svg).
 */
import { loadConfig, requireTopology } from '../config/load.js';
import { buildTopologyGraph, type RouteHighlight, type TopologyGraph } from '../core/graph/model.js';
import { nameKey } from '../core/model/names.js';
import type { Topology } from '../core/model/topology.js';
import { UserError } from '../errors.js';

export interface GraphOptions {
  config?: string;
  cwd?: string;
  routeFrom?: string;
  routeTo?: string;
}

export async function topologyGraph(options: GraphOptions): Promise<TopologyGraph> {
  if ((options.routeFrom === undefined) !== (options.routeTo === undefined)) {
    throw new UserError('--route-from and --route-to go together', 'e.g. --route-from EX01 --route-to someone@fabrikam.com');
  }
  const topology = requireTopology(await loadConfig({ config: options.config, cwd: options.cwd }));
  const route = options.routeFrom !== undefined ? await routeHighlight(topology, options.routeFrom, options.routeTo!) : undefined;
  return buildTopologyGraph(topology, route);
}

async function routeHighlight(topology: Topology, from: string, to: string): Promise<RouteHighlight> {
  const { planOrExplain } = await import('./route-plan.js');
  const plan = planOrExplain(topology, { from, recipients: [to] }, { server: '--route-from' });
  const decision = plan.decisions[0]!;
  const servers = new Set(topology.servers.map((s) => nameKey(s.name)));
  const hops: RouteHighlight['hops'] = decision.hops.map((h) => ({ server: h.server, ...(h.deliveryType ? { deliveryType: h.deliveryType } : {}) }));
  // Mailbox delivery ends on the server holding the active copy (`EX02:475`): draw that last step too.
  const last = decision.hops[decision.hops.length - 1];
  const target = last?.action === 'deliver' ? last.target.replace(/:\d+$/, '') : undefined;
  if (target && servers.has(nameKey(target))) hops.push({ server: target });
  const how =
    decision.status === 'routed'
      ? `${decision.connector ? `via ${decision.connector}` : `to ${decision.routingDestination?.name ?? decision.deliveryType ?? 'its destination'}`}${decision.cost !== null ? `, cost ${decision.cost}` : ''}`
      : `${decision.status}${decision.reason ? `: ${decision.reason.code} ${decision.reason.enhancedCode} ${decision.reason.text}` : ''}`;
  return {
    from: plan.from,
    recipient: decision.recipient,
    sitePath: decision.sitePath,
    hops,
    connector: decision.connector,
    summary: `${decision.recipient} from ${plan.from}: ${how}`,
  };
}
