/** Use case: `mxt route plan`: load the config, plan every recipient from one server. Returns data; never prints. */
import { loadConfig, requireTopology } from '../config/load.js';
import { tryPlanRoute } from '../core/route/index.js';
import type { RoutePlan, RouteRequest } from '../core/route/types.js';
import type { Topology } from '../core/model/topology.js';
import { routeProblemError } from './route-problem.js';
import { addressArguments, unbracket } from '../core/model/address.js';
import { parseSize } from '../core/model/units.js';
import { UserError } from '../errors.js';

export interface PlanRoutesOptions {
  config?: string;
  cwd?: string;
  from: string;
  to: string[];
  sender?: string;
  /** `30MB`, `36700160`, … */
  size?: string;
  down?: string[];
}

export function parseSizeOption(text: string | undefined, flag = '--size'): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseSize(text);
  if (!parsed.ok) throw new UserError(`${flag} ${text}: ${parsed.error}`, 'e.g. --size 30MB');
  if (parsed.value === Infinity) throw new UserError(`${flag} ${text}: a message has a finite size`, 'e.g. --size 30MB');
  return parsed.value;
}

export async function planRoutes(options: PlanRoutesOptions): Promise<RoutePlan & { file: string }> {
  const recipients = addressArguments(options.to);
  if (recipients.length === 0) throw new UserError('route plan needs at least one --to address', 'e.g. --to alice@contoso.com');
  const size = parseSizeOption(options.size);
  const loaded = await loadConfig(options);
  const topology = requireTopology(loaded);
  // `<alice@contoso.com>` is the same mailbox as alice@contoso.com (core/model/address.ts).
  const plan = planOrExplain(topology, {
    from: options.from,
    recipients,
    sender: options.sender === undefined ? undefined : unbracket(options.sender),
    size,
    down: options.down ?? [],
  });
  return { ...plan, file: loaded.displayFile };
}

/** The plan, or a UserError worded for the command's flags (--from, --down). */
export function planOrExplain(topology: Topology, request: RouteRequest, flags: { server?: string; down?: string } = {}): RoutePlan {
  const result = tryPlanRoute(topology, request);
  if (!result.ok) throw routeProblemError(result.problem, flags);
  return result.plan;
}
