/**
 * Property tests on random small topologies (fast-check, fixed seed, bounded runs):
 * - R81 the chosen path is the best of all simple paths under (cost, hops, names before the target);
 *   in particular its cost is never above any other path's;
 * - the bucket-queue and heap Dijkstra agree (R81);
 * - results do not depend on the order of entries in the config;
 * - every routed hop is a server that exists, on a route that can carry the message (R87, R104).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRoute } from '../../../src/core/route/index.js';
import { buildSiteGraph, dialTree, heapTree, leafBase, leafTree, leastCostPaths, type PathTree } from '../../../src/core/route/site-graph.js';
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';
import { contosoDomain, topology } from './fixtures.js';

const SEED = 20261130;
const NAMES = ['Amber', 'beech', 'Cedar', 'delta', 'Elm', 'fir', 'Gum'];

interface RandomOrg {
  sites: number;
  links: { a: number; b: number; cost: number; ex: number | null; size: number | null }[];
  servers: number[]; // site index per server
  dagMembers: number[];
  connectors: { source: number; space: string; cost: number; size: number | null }[];
  size: number;
}

const org = fc
  .integer({ min: 2, max: 6 })
  .chain((sites) =>
    fc.record({
      sites: fc.constant(sites),
      links: fc.array(
        fc.record({ a: fc.nat(sites - 1), b: fc.nat(sites - 1), cost: fc.integer({ min: 1, max: 6 }), ex: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }), size: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }) }),
        { minLength: 1, maxLength: 10 },
      ),
      servers: fc.array(fc.nat(sites - 1), { minLength: 1, maxLength: 6 }),
      dagMembers: fc.array(fc.nat(5), { maxLength: 4 }),
      connectors: fc.array(
        fc.record({ source: fc.nat(5), space: fc.constantFrom('*', 'fabrikam.com', '*.fabrikam.com', 'eu.fabrikam.com'), cost: fc.integer({ min: 1, max: 20 }), size: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }) }),
        { maxLength: 4 },
      ),
      size: fc.integer({ min: 0, max: 45 }),
    }),
  );

function config(o: RandomOrg): WrittenTopologyInput {
  const servers = o.servers.map((site, i) => ({ name: `MBX-${i}`, role: 'Mailbox' as const, site: NAMES[site]!, fqdn: `mbx-${i}.contoso.com` }));
  const members = [...new Set(o.dagMembers.filter((m) => m < servers.length))].map((m) => servers[m]!.name);
  return {
    organization: { maxSendSize: 'unlimited', maxReceiveSize: 'unlimited' },
    sites: NAMES.slice(0, o.sites).map((name, i) => ({ name, hubSiteEnabled: i === 1 })),
    siteLinks: o.links
      .filter((l) => l.a !== l.b)
      .map((l, i) => ({ name: `L${i}`, sites: [NAMES[l.a]!, NAMES[l.b]!], cost: l.cost, ...(l.ex ? { exchangeCost: l.ex } : {}), ...(l.size ? { maxMessageSize: `${l.size}MB` } : {}) })),
    servers,
    databaseAvailabilityGroups: members.length ? [{ name: 'DAG', members }] : [],
    mailboxDatabases: [
      ...(members.length ? [{ name: 'DB-DAG', masterServerOrAvailabilityGroup: 'DAG', activationPreference: members }] : []),
      { name: 'DB-0', masterServerOrAvailabilityGroup: servers[0]!.name },
    ],
    acceptedDomains: [contosoDomain],
    recipients: {
      mailboxes: [
        ...(members.length ? [{ address: 'dag@contoso.com', database: 'DB-DAG' }] : []),
        { address: 'zero@contoso.com', database: 'DB-0' },
      ],
    },
    sendConnectors: o.connectors
      .filter((c) => c.source < servers.length)
      .map((c, i) => ({ name: `C${i}`, addressSpaces: [`${c.space};${c.cost}`], sourceTransportServers: [servers[c.source]!.name], ...(c.size ? { maxMessageSize: `${c.size}MB` } : {}) })),
  };
}

/** Brute force R81: every simple path, best by (cost, hops, then the names before the target back to the source). */
function bruteForce(cfg: WrittenTopologyInput, from: string, to: string): { cost: number; path: string[] } | undefined {
  const edges = new Map<string, number>();
  for (const l of cfg.siteLinks ?? []) {
    const [a, b] = l.sites as [string, string];
    const key = [a, b].sort().join('|');
    edges.set(key, Math.min(edges.get(key) ?? Infinity, l.exchangeCost ?? l.cost ?? 100));
  }
  const sites = (cfg.sites ?? []).map((s) => s.name);
  let best: { cost: number; path: string[] } | undefined;
  const better = (a: { cost: number; path: string[] }, b: { cost: number; path: string[] }) => {
    if (a.cost !== b.cost) return a.cost < b.cost;
    if (a.path.length !== b.path.length) return a.path.length < b.path.length;
    for (let i = a.path.length - 2; i >= 0; i--) {
      const x = a.path[i]!.toLowerCase();
      const y = b.path[i]!.toLowerCase();
      if (x !== y) return x < y;
    }
    return false;
  };
  const walk = (path: string[], cost: number) => {
    const last = path.at(-1)!;
    if (last === to) {
      const candidate = { cost, path };
      if (!best || better(candidate, best)) best = candidate;
      return;
    }
    for (const next of sites) {
      if (path.includes(next)) continue;
      const w = edges.get([last, next].sort().join('|'));
      if (w !== undefined) walk([...path, next], cost + w);
    }
  };
  walk([from], 0);
  return best;
}

function shuffled<T>(items: readonly T[] | undefined, seed: number): T[] {
  const out = [...(items ?? [])];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('routing properties', () => {
  it('R80 R81 R90 the least-cost path equals the brute-force best path; no other path is cheaper', () => {
    fc.assert(
      fc.property(org, (o) => {
        const cfg = config(o);
        const graph = buildSiteGraph(topology(cfg));
        for (const from of graph.names) {
          const paths = leastCostPaths(graph, from);
          for (const to of graph.names) {
            const expected = bruteForce(cfg, from, to);
            const got = paths.get(to.toLowerCase());
            if (!expected) expect(got).toBeUndefined();
            else expect({ cost: got?.cost, path: got?.path }).toEqual(expected);
          }
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('R81 the bucket-queue and heap Dijkstra give the same trees', () => {
    fc.assert(
      fc.property(org, (o) => {
        const graph = buildSiteGraph(topology(config(o)));
        for (let s = 0; s < graph.names.length; s++) {
          const a = dialTree(graph, s);
          const b = heapTree(graph, s);
          const labels = (t: typeof a) => graph.names.map((_, i) => [t.cost(i), t.pred(i), t.hops(i), t.limitClass(i), t.firstHub(i)]);
          expect(labels(a)).toEqual(labels(b));
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('R81 R85 R87 the tree of a site on a single link, read through its neighbour\'s, equals its own Dijkstra', () => {
    let leaves = 0;
    fc.assert(
      fc.property(org, (o) => {
        const graph = buildSiteGraph(topology(config(o)));
        const labels = (t: PathTree) => graph.names.map((_, i) => [t.cost(i), t.pred(i), t.hops(i), t.limitClass(i), t.firstHub(i)]);
        for (let s = 0; s < graph.names.length; s++) {
          const base = leafBase(graph, s);
          if (base < 0) continue;
          leaves++;
          expect(labels(leafTree(graph, s, dialTree(graph, base)))).toEqual(labels(dialTree(graph, s)));
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(leaves).toBeGreaterThan(50);
  });

  it('R81 R91 R104 plans do not depend on the order of entries in the config', () => {
    fc.assert(
      fc.property(org, fc.integer({ min: 1, max: 1_000_000 }), (o, seed) => {
        const cfg = config(o);
        const reordered: WrittenTopologyInput = {
          ...cfg,
          sites: shuffled(cfg.sites, seed),
          siteLinks: shuffled(cfg.siteLinks, seed + 1).map((l) => ({ ...l, sites: shuffled(l.sites, seed + 2) })),
          servers: shuffled(cfg.servers, seed + 3),
          sendConnectors: shuffled(cfg.sendConnectors, seed + 4),
          databaseAvailabilityGroups: (cfg.databaseAvailabilityGroups ?? []).map((d) => ({ ...d, members: shuffled(d.members, seed + 5) })),
        };
        const recipients = ['dag@contoso.com', 'zero@contoso.com', 'x@fabrikam.com', 'x@eu.fabrikam.com', 'x@northwind.com'];
        for (const server of cfg.servers ?? []) {
          const a = planRoute(topology(cfg), { from: server.name, recipients, size: o.size * 1024 * 1024 });
          const b = planRoute(topology(reordered), { from: server.name, recipients, size: o.size * 1024 * 1024 });
          expect(JSON.parse(JSON.stringify(b.decisions))).toEqual(JSON.parse(JSON.stringify(a.decisions)));
        }
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('R87 R104 every routed hop is an existing server on a route that carries the message', () => {
    fc.assert(
      fc.property(org, (o) => {
        const cfg = config(o);
        const t = topology(cfg);
        const names = new Set(t.servers.map((s) => s.name));
        const size = o.size * 1024 * 1024;
        for (const server of t.servers) {
          const plan = planRoute(t, { from: server.name, recipients: ['dag@contoso.com', 'zero@contoso.com', 'x@fabrikam.com', 'x@eu.fabrikam.com'], size });
          for (const d of plan.decisions) {
            if (d.status !== 'routed') continue;
            for (const hop of d.hops) expect(names.has(hop.server)).toBe(true);
            if (d.maxMessageSize !== null) expect(d.maxMessageSize).toBeGreaterThanOrEqual(size);
            if (d.connector) {
              const c = t.sendConnectors.find((x) => x.name === d.connector)!;
              expect(c.maxMessageSize).toBeGreaterThanOrEqual(size);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
