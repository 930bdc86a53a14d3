/**
 * V6 (R85) at scale: hubSitesOffEveryPath sweeps the hubs' neighbours first and proves hubs off every
 * path from their neighbours' trees instead of trying every source. The answer must be the one of the
 * plain sweep over every server site, on random topologies with many cost ties (fixed seeds).
 */
import { describe, expect, it } from 'vitest';
import { nameKey } from '../../../src/core/model/names.js';
import { buildSiteGraph, computeTree } from '../../../src/core/route/site-graph.js';
import { prng } from '../../../src/core/synthetic/org.js';
import { hubSitesOffEveryPath } from '../../../src/core/validate/site-paths.js';
import { topology } from '../../helpers/topology.js';
import type { Topology } from '../../../src/core/model/topology.js';

/** The definition: a hub is off when no tree from any server site has it strictly above another server site. */
function bruteForce(t: Topology): Set<string> {
  const graph = buildSiteGraph(t);
  const n = graph.names.length;
  const inside = new Uint8Array(n);
  const serverSites = [...Array(n).keys()].filter((i) => graph.hasServers[i]);
  for (const source of serverSites) {
    const tree = computeTree(graph, source);
    for (const target of serverSites) {
      if (target === source || tree.cost(target) < 0) continue;
      for (let s = tree.pred(target); s !== source && s !== -1; s = tree.pred(s)) inside[s] = 1;
    }
  }
  const off = new Set<string>();
  for (let i = 0; i < n; i++) if (graph.hub[i] && graph.hasServers[i] && !inside[i]) off.add(nameKey(graph.names[i]!));
  return off;
}

function randomTopology(seed: number): Topology {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Up to 40 sites: more server sites than the sweep tries before it starts proving hubs off.
  const count = int(3, 40);
  const sites = Array.from({ length: count }, (_, i) => ({ name: `S${i}`, hubSiteEnabled: random() < 0.4 }));
  const withServers = sites.filter(() => random() < 0.75);
  const servers = withServers.map((s, i) => ({ name: `EX${i}`, role: 'Mailbox' as const, site: s.name, fqdn: `ex${i}.contoso.com` }));
  const siteLinks: { name: string; sites: string[]; cost: number }[] = [];
  // A spanning chain (mostly connected) plus random extra links; small costs make ties common.
  for (let i = 1; i < count; i++) if (random() < 0.9) siteLinks.push({ name: `L${i}`, sites: [`S${int(0, i - 1)}`, `S${i}`], cost: int(1, 4) });
  for (let k = 0; k < int(0, count); k++) {
    const a = int(0, count - 1);
    const b = int(0, count - 1);
    if (a !== b) siteLinks.push({ name: `X${k}`, sites: [`S${a}`, `S${b}`], cost: int(1, 6) });
  }
  return topology({ sites, siteLinks, servers, acceptedDomains: [{ domainName: 'contoso.com', default: true }] });
}

describe('V6 hub sites off every least-cost path (R85)', () => {
  it('equals the sweep over every server site on 400 random topologies', () => {
    let offSeen = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const t = randomTopology(seed);
      const expected = bruteForce(t);
      expect([...hubSitesOffEveryPath(t)].sort(), `seed ${seed}`).toEqual([...expected].sort());
      offSeen += expected.size;
    }
    // The property is only worth something if both answers occur.
    expect(offSeen).toBeGreaterThan(20);
  });
});
