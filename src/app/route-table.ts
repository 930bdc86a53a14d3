/**
 * Use case: `mxt route table`: the routing decision for one representative of each class of addresses,
 * on each server (or one). The servers' routes come as a lazy sequence: a renderer writes each server's
 * rows as they are computed, so even the table of a 5,000-site organization is never one big value.
 */
import { loadConfig, requireTopology } from '../config/load.js';
import type { Topology } from '../core/model/topology.js';
import { buildRouteTable } from '../core/route/index.js';
import { findServer, isRouteProblem } from '../core/route/decision.js';
import { serverRoutes, type ServerRoutes } from '../core/route/table.js';
import { routeProblemError } from './route-problem.js';

export type { ServerRoutes };

export interface RouteTableResult {
  version: 1;
  file: string;
  /** Computed one server at a time, when iterated (once). */
  servers: Iterable<ServerRoutes>;
}

export function routesOf(topology: Topology, serverName?: string): Iterable<ServerRoutes> {
  const table = buildRouteTable(topology);
  if (serverName === undefined) return serverRoutes(table);
  const server = findServer(table.index, serverName);
  if (isRouteProblem(server)) throw routeProblemError(server, { server: '--server' });
  return serverRoutes(table, [server]);
}

export async function routeTable(options: { config?: string; cwd?: string; server?: string }): Promise<RouteTableResult> {
  const loaded = await loadConfig(options);
  const topology = requireTopology(loaded);
  return { version: 1, file: loaded.displayFile, servers: routesOf(topology, options.server) };
}
