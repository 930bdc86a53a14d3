/**
 * Use case `mxt route inbound`: load the topology and play one inbound session through the
 * receive-side policy (src/core/policy), exactly as the relay would decide it. Returns data only.
 */
import { loadConfig, requireTopology } from '../config/load.js';
import { addressArguments, unbracket } from '../core/model/address.js';
import { sameName } from '../core/model/names.js';
import { parseSize } from '../core/model/units.js';
import { evaluateInboundSession, type InboundEvaluation } from '../core/policy/inbound-session.js';
import type { SessionAuth } from '../core/policy/permissions.js';
import { checkSessionAddresses } from '../core/policy/receive-connector-selection.js';
import { UserError } from '../errors.js';

export const SESSION_AUTHS: readonly SessionAuth[] = ['none', 'user', 'server', 'partner'];

export interface RouteInboundOptions {
  config?: string;
  cwd?: string;
  server: string;
  remoteIp: string;
  localIp?: string;
  port?: number | string;
  auth?: string;
  sender?: string;
  size?: string;
  to: string[];
}

export async function routeInbound(options: RouteInboundOptions): Promise<InboundEvaluation> {
  const port = options.port === undefined ? 25 : Number(options.port);
  const auth = (options.auth ?? 'none') as SessionAuth;
  if (!SESSION_AUTHS.includes(auth)) throw new UserError(`--auth "${options.auth}" is not one of ${SESSION_AUTHS.join(', ')}`);
  let declaredSize: number | undefined;
  if (options.size !== undefined) {
    const parsed = parseSize(options.size);
    if (!parsed.ok) throw new UserError(`--size: ${parsed.error}`);
    declaredSize = parsed.value;
  }
  const session = { server: options.server, remoteAddress: options.remoteIp, localAddress: options.localIp, port };
  const bad = checkSessionAddresses(session);
  if (bad) throw new UserError(bad, 'e.g. --remote-ip 203.0.113.9 --port 25');
  const recipients = addressArguments(options.to);
  if (recipients.length === 0) throw new UserError('give at least one recipient with --to ADDR');

  const topology = requireTopology(await loadConfig({ config: options.config, cwd: options.cwd }));
  const server = topology.servers.find((s) => sameName(s.name, options.server));
  if (!server) {
    throw new UserError(`unknown server "${options.server}"`, `servers in this topology: ${topology.servers.map((s) => s.name).join(', ') || 'none'}`);
  }
  return evaluateInboundSession(topology, {
    ...session,
    server: server.name,
    auth,
    sender: options.sender === undefined ? '' : unbracket(options.sender),
    declaredSize,
    recipients,
  });
}
