/**
 * `--address IP --port-offset N` of `relay start`, `relay up` and `send`: where the topology's listeners are
 * moved on one machine (core/policy/listeners.ts), checked once for both commands.
 */
import { parseIpAddress } from '../core/model/ip-range.js';
import type { ListenerMapping } from '../core/policy/listeners.js';
import { UserError } from '../errors.js';

/** `--port-offset N` (default 0): a whole number from 0 to 65000. */
export function parsePortOffset(value: number | string | undefined): number {
  const portOffset = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 65000) throw new UserError(`--port-offset "${value}" is not a whole number from 0 to 65000`, 'e.g. --port-offset 10000 (25 → 10025)');
  return portOffset;
}

export function labMapping(options: { address?: string; portOffset?: number | string }): ListenerMapping & { portOffset: number } {
  if (options.address !== undefined && !parseIpAddress(options.address).ok) throw new UserError(`--address "${options.address}" is not an IP address`, 'e.g. --address 127.0.9.1');
  const portOffset = parsePortOffset(options.portOffset);
  return { ...(options.address !== undefined ? { address: options.address } : {}), portOffset };
}
