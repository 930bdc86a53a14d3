/**
 * R23 MaxLocalHopCount (default 8, 0–50): besides MaxHopCount's count of every Received field (R53),
 * a receive connector refuses a message that already passed through the organization's own servers
 * more than this many times, a loop inside the organization. A local hop is a Received field whose
 * `by` host is a server of the topology (its FQDN, or a receive connector's FQDN, which is what an
 * mxt node writes there). 0 means no limit, as in Exchange. The reply is R53's hop count one.
 */
import { nameKey } from '../model/names.js';
import type { ReceiveConnector, Topology } from '../model/topology.js';

const hostsOf = new WeakMap<Topology, ReadonlySet<string>>();

/** The host names the organization's servers stamp in Received `by` clauses (lower case). */
function localHosts(topology: Topology): ReadonlySet<string> {
  let hosts = hostsOf.get(topology);
  if (!hosts) {
    const set = new Set<string>();
    for (const s of topology.servers) set.add(nameKey(s.fqdn));
    for (const c of topology.receiveConnectors) set.add(nameKey(c.fqdn));
    set.delete('');
    hosts = set;
    hostsOf.set(topology, hosts);
  }
  return hosts;
}

/** How many of a message's Received fields (their `by` hosts) the organization's own servers added. */
export function localHopCount(topology: Topology, receivedBy: readonly string[]): number {
  const hosts = localHosts(topology);
  return receivedBy.reduce((n, by) => (hosts.has(nameKey(by.replace(/\.$/, ''))) ? n + 1 : n), 0);
}

export function exceedsLocalHopCount(topology: Topology, connector: Pick<ReceiveConnector, 'maxLocalHopCount'>, receivedBy: readonly string[]): boolean {
  return connector.maxLocalHopCount > 0 && localHopCount(topology, receivedBy) > connector.maxLocalHopCount;
}
