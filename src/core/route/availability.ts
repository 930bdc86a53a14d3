/**
 * Outage simulation for `route plan --down`: servers, whole sites or send connectors that do not answer.
 * Routing itself does not know about outages (paths are computed as usual); availability only decides
 * which target answers, where the active copy sits (R6) and where a message waits (R88, R92).
 */
import { nameKey } from '../model/names.js';
import { UserError } from '../../errors.js';
import type { Server } from '../model/topology.js';
import { siteOf, type RoutingIndex } from './routing-index.js';
import type { RouteProblem } from './types.js';

export interface Availability {
  /** What was asked, as written. */
  down: string[];
  serverDown(server: Server): boolean;
  connectorDown(name: string): boolean;
  /** A server that can take a message now: up, its site up, and its site's InboundMailEnabled not false (R92). */
  canReceive(server: Server): boolean;
}

/** The outages asked for, or (an unknown name) the problem as data: the caller words it for its flag. */
export function availability(index: RoutingIndex, down?: readonly string[]): Availability | RouteProblem {
  if (!down || down.length === 0) {
    // Nothing simulated: only R92 applies. Shared per topology; plans in a loop stay cheap.
    return index.cache.noOutage.find() ?? index.cache.noOutage.keep(nothingDown(index));
  }
  const servers = new Set<string>();
  const sites = new Set<number>();
  const connectors = new Set<string>();
  for (const name of down) {
    const key = nameKey(name);
    if (index.servers.has(key)) servers.add(key);
    else if (index.graph.index.has(key)) sites.add(index.graph.index.get(key)!);
    else if (index.connectors.has(key)) connectors.add(key);
    else {
      const known = [...index.servers.values()].map((s) => s.name).concat(index.graph.names, index.topology.sendConnectors.map((c) => c.name));
      return { kind: 'unknownDownName', name, known };
    }
  }
  // R92: InboundMailEnabled $false makes every server of the site an unavailable target.
  const noInbound = index.noInbound;
  const serverDown = (server: Server): boolean => servers.has(nameKey(server.name)) || sites.has(siteOf(index, server));
  return {
    down: [...down],
    serverDown,
    connectorDown: (name) => connectors.has(nameKey(name)),
    canReceive: (server) => !serverDown(server) && !noInbound.has(siteOf(index, server)),
  };
}

function nothingDown(index: RoutingIndex): Availability {
  return {
    down: [],
    serverDown: () => false,
    connectorDown: () => false,
    // Most organizations have no site with InboundMailEnabled $false: then every server can receive.
    canReceive: index.noInbound.size === 0 ? () => true : (server: Server) => !index.noInbound.has(siteOf(index, server)),
  };
}

export function isProblem(value: Availability | RouteProblem): value is RouteProblem {
  return !('canReceive' in value);
}

/**
 * For callers outside routing that still report a bad `down` list as an error of their own flag
 * (policy's transport choice): the old wording, thrown.
 */
export function availabilityOrThrow(index: RoutingIndex, down: readonly string[] = [], flag = '--down'): Availability {
  const a = availability(index, down);
  if (!isProblem(a)) return a;
  const known = a.kind === 'unknownDownName' ? a.known : [];
  const shown = known.length <= 30 ? known.join(', ') : `${known.slice(0, 30).join(', ')}, … (${known.length - 30} more)`;
  throw new UserError(`${flag} ${a.name}: no server, site or send connector has that name`, `known names: ${shown}`);
}
