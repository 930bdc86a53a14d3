/**
 * Where each server of a lab listens (`mxt relay up`, product.md "The relay, on one machine and on
 * many"): every Mailbox and Edge server in name order, node k on the first address plus k (last
 * octet) with every port shifted by one offset. Servers left out of a partial lab (`--server`) keep
 * their place, so a node's address does not depend on which others run, and the ones not started
 * have an address where nothing listens: to the running nodes they are servers that are down.
 */
import { parseIpAddress } from '../model/ip-range.js';
import { compareNames, sameName } from '../model/names.js';
import type { Server, Topology } from '../model/topology.js';

export interface LabNode {
  server: Server;
  address: string;
  portOffset: number;
  /** Named by `--server` (or every server, when none is). */
  started: boolean;
}

export type LabPlan = { ok: true; nodes: LabNode[] } | { ok: false; error: string; hint: string };

export function planLabNodes(topology: Topology, first: string, portOffset: number, only: readonly string[] = []): LabPlan {
  const parsed = parseIpAddress(first);
  const octets = first.split('.').map(Number);
  if (!parsed.ok || parsed.value.family !== 4) return { ok: false, error: `--address "${first}" is not an IPv4 address`, hint: 'e.g. --address 127.0.10.1 (the first node; the next ones take .2, .3, …)' };
  const servers = topology.servers.filter((s) => s.role === 'Mailbox' || s.role === 'Edge').sort((a, b) => compareNames(a.name, b.name));
  const unknown = only.find((name) => !servers.some((s) => sameName(s.name, name)));
  if (unknown !== undefined) return { ok: false, error: `unknown server "${unknown}"`, hint: `Mailbox and Edge servers in this topology: ${servers.map((s) => s.name).join(', ') || 'none'}` };
  if (servers.length === 0) return { ok: false, error: 'the topology has no Mailbox or Edge server to run', hint: 'add one: mxt server add --help' };
  const last = octets[3]! + servers.length - 1;
  if (last > 254) return { ok: false, error: `--address ${first}: ${servers.length} servers need ${servers.length} addresses from it, past .254`, hint: `start lower, e.g. --address ${octets.slice(0, 3).join('.')}.1` };
  return {
    ok: true,
    nodes: servers.map((server, k) => ({
      server,
      address: [...octets.slice(0, 3), octets[3]! + k].join('.'),
      portOffset,
      started: only.length === 0 || only.some((name) => sameName(name, server.name)),
    })),
  };
}
