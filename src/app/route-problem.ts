/**
 * The words for what the routing core returns as data when a request names what the topology does
 * not have: the core knows no flags, the commands do (`--from`, `--server`, `--down`).
 */
import type { RouteProblem } from '../core/route/types.js';
import { UserError } from '../errors.js';

/** A name list for a hint, cut short in large organizations. */
export function listSome(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}

export interface ProblemFlags {
  /** The flag that named the categorizing server (default --from). */
  server?: string;
  down?: string;
}

export function routeProblemError(problem: RouteProblem, flags: ProblemFlags = {}): UserError {
  const server = flags.server ?? '--from';
  const down = flags.down ?? '--down';
  switch (problem.kind) {
    case 'noSuchServer':
      return new UserError(`${server} ${problem.name}: no server of that name in the topology`, problem.known.length ? `servers: ${listSome(problem.known)}` : 'the topology has no servers');
    case 'serverDown':
      return new UserError(`${server} ${problem.name} is itself marked down`, `plan from a server that is up, or drop it from ${down}`);
    case 'unknownDownName':
      return new UserError(`${down} ${problem.name}: no server, site or send connector has that name`, `known names: ${listSome(problem.known, 30)}`);
  }
}
