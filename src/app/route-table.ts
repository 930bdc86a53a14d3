/** Use case: `mxt route table`: every routing destination as seen from each server (or one). */
import { loadConfig, requireTopology } from '../config/load.js';
import type { Topology } from '../core/model/topology.js';
import { requireServer } from '../core/route/index.js';
import { routingIndex } from '../core/route/routing-index.js';
import { buildRouteTable, type RouteTableEntry } from '../core/route/table.js';

export interface ServerRoutes {
  server: string;
  role: string;
  site: string | null;
  routes: RouteTableEntry[];
}

export interface RouteTableResult {
  version: 1;
  file: string;
  servers: ServerRoutes[];
}

export function routesOf(topology: Topology, serverName?: string): ServerRoutes[] {
  const table = buildRouteTable(topology);
  const servers = serverName ? [requireServer(routingIndex(topology), serverName, '--server')] : table.servers;
  return servers.map((s) => ({ server: s.name, role: s.role, site: s.site ?? null, routes: table.entriesFor(s) }));
}

export async function routeTable(options: { config?: string; cwd?: string; server?: string }): Promise<RouteTableResult> {
  const loaded = await loadConfig(options);
  const topology = requireTopology(loaded);
  return { version: 1, file: loaded.displayFile, servers: routesOf(topology, options.server) };
}
