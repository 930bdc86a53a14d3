/**
 * `mxt send`: which receive connector of a server a test message is submitted to, and where it
 * listens. Pure: the caller says where the server's listeners were moved (lab mapping, as `relay
 * start --address --port-offset` moves them, listeners.ts).
 *
 * Without a name, the connector is the one a client of that kind reaches on an Exchange server:
 * - anonymous: the Internet entry point, `Default Frontend <S>` (R20) or on an Edge server `Default
 *   internal receive connector <S>` (R22), when enabled and still granting AnonymousUsers (R40);
 *   else the first enabled connector of the server that grants AnonymousUsers;
 * - authenticated (AUTH): `Client Frontend <S>` (R20, port 587), when enabled and granting
 *   ExchangeUsers with a Basic mechanism (R45); else the first enabled connector that does.
 * "First" is the order of the effective topology (`mxt show effective`). Which connector then takes
 * the session is the relay's own decision by binding and remote address (R30–R31): on a shared
 * binding a connector with a narrower RemoteIPRanges that contains the client wins.
 */
import { parseBinding } from '../model/ip-range.js';
import { sameName } from '../model/names.js';
import type { ReceiveConnector, Server, Topology } from '../model/topology.js';
import type { ListenerMapping } from './listeners.js';

export type ConnectorChoice = { ok: true; connector: ReceiveConnector } | { ok: false; reason: string; hint: string };

const grantsAnonymous = (c: ReceiveConnector): boolean => c.permissionGroups.includes('AnonymousUsers');
const grantsUsers = (c: ReceiveConnector): boolean => c.permissionGroups.includes('ExchangeUsers') && c.authMechanism.some((m) => m === 'BasicAuth' || m === 'BasicAuthRequireTLS');

export function submissionConnector(topology: Topology, server: Server, wanted: { name?: string; authenticated: boolean }): ConnectorChoice {
  const own = topology.receiveConnectors.filter((c) => sameName(c.server, server.name) && c.transportRole !== 'MailboxDelivery');
  const names = own.map((c) => c.name).join(', ') || 'none';
  if (wanted.name !== undefined) {
    const named = own.find((c) => sameName(c.name, wanted.name!));
    if (!named) return { ok: false, reason: `${server.name} has no receive connector "${wanted.name}"`, hint: `its connectors: ${names}` };
    if (!named.enabled) return { ok: false, reason: `receive connector "${named.name}" is disabled: it does not listen`, hint: `its connectors: ${names}` };
    return { ok: true, connector: named };
  }
  const enabled = own.filter((c) => c.enabled && c.bindings.length > 0);
  const [entry, fits] = wanted.authenticated
    ? [`Client Frontend ${server.name}`, grantsUsers]
    : [server.role === 'Edge' ? `Default internal receive connector ${server.name}` : `Default Frontend ${server.name}`, grantsAnonymous];
  const chosen = enabled.find((c) => sameName(c.name, entry) && fits(c)) ?? enabled.find(fits);
  if (chosen) return { ok: true, connector: chosen };
  return {
    ok: false,
    reason: `no enabled receive connector of ${server.name} takes ${wanted.authenticated ? 'authenticated submission (ExchangeUsers with BasicAuth)' : 'anonymous mail (AnonymousUsers)'}`,
    hint: `name one with --connector: ${names}`,
  };
}

export interface SubmissionEndpoint {
  host: string;
  port: number;
  /** The connector's binding the endpoint stands for, as written. */
  binding: string;
}

/**
 * Where to connect to reach `connector`: its first binding (IPv4 first, as the lab address is), the
 * port plus the lab offset, on the lab address; without one, on the binding's address, or for a
 * wildcard binding (0.0.0.0, [::]) the server's first address, else its FQDN.
 */
export function submissionEndpoint(connector: ReceiveConnector, server: Server, mapping: ListenerMapping): SubmissionEndpoint | undefined {
  const bindings = connector.bindings.flatMap((text) => {
    const parsed = parseBinding(text);
    return parsed.ok ? [{ text, binding: parsed.value }] : [];
  });
  const first = bindings.find((b) => b.binding.family === 4) ?? bindings[0];
  if (!first) return undefined;
  const { binding } = first;
  const host = mapping.address ?? (binding.value !== undefined ? binding.address : (server.addresses[0] ?? server.fqdn));
  return { host, port: binding.port + (mapping.portOffset ?? 0), binding: first.text };
}
