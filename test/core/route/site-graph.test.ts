import { describe, expect, it } from 'vitest';
import { buildSiteGraph, dialTree, heapTree, leastCostPaths, shortestPathTree, sitePath } from '../../../src/core/route/site-graph.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

function w1(extraLinks: Record<string, unknown> = {}, hub = true) {
  return topology({
    sites: [{ name: 'Paris' }, { name: 'Lyon', hubSiteEnabled: hub }, { name: 'Nice' }, { name: 'Marseille' }],
    siteLinks: [
      { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
      { name: 'LYO-MRS', sites: ['Lyon', 'Marseille'], cost: 10, ...(extraLinks['LYO-MRS'] as object) },
      { name: 'PAR-NIC', sites: ['Paris', 'Nice'], cost: 8 },
      { name: 'NIC-MRS', sites: ['Nice', 'Marseille'], cost: 8, ...(extraLinks['NIC-MRS'] as object) },
    ],
    servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon'), mailbox('MBX-NIC', 'Nice'), mailbox('MBX-MRS', 'Marseille')],
    acceptedDomains: [contosoDomain],
  });
}

describe('site graph', () => {
  it('R80 R81 least cost path Paris→Marseille goes via Nice (W1)', () => {
    const p = leastCostPaths(buildSiteGraph(w1()), 'Paris').get('marseille')!;
    expect(p.path).toEqual(['Paris', 'Nice', 'Marseille']);
    expect(p.cost).toBe(16);
    expect(p.hops).toBe(2);
  });
  it('R90 ExchangeCost overrides the AD cost (W1 second part)', () => {
    const p = leastCostPaths(buildSiteGraph(w1({ 'NIC-MRS': { exchangeCost: 30 } })), 'Paris').get('marseille')!;
    expect(p.path).toEqual(['Paris', 'Lyon', 'Marseille']);
    expect(p.cost).toBe(20);
  });
  it('R81 R87 equal paths: lower name of the site before the target wins; size is the link minimum (W2)', () => {
    const t = topology({
      sites: [{ name: 'Paris' }, { name: 'Lyon' }, { name: 'Nice' }, { name: 'Marseille' }],
      siteLinks: [
        { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
        { name: 'LYO-MRS', sites: ['Lyon', 'Marseille'], cost: 10, maxMessageSize: '5MB' },
        { name: 'PAR-NIC', sites: ['Paris', 'Nice'], cost: 10 },
        { name: 'NIC-MRS', sites: ['Nice', 'Marseille'], cost: 10 },
      ],
    });
    const p = leastCostPaths(buildSiteGraph(t), 'Paris').get('marseille')!;
    expect(p.path).toEqual(['Paris', 'Lyon', 'Marseille']);
    expect(p.maxMessageSize).toBe(5 * 1024 * 1024);
  });
  it('R82 parallel links of equal cost: larger MaxMessageSize, then lower name', () => {
    const t = topology({
      sites: [{ name: 'A' }, { name: 'B' }],
      siteLinks: [
        { name: 'z-big', sites: ['A', 'B'], cost: 5, maxMessageSize: '20MB' },
        { name: 'a-small', sites: ['A', 'B'], cost: 5, maxMessageSize: '10MB' },
        { name: 'y-big', sites: ['A', 'B'], cost: 5, maxMessageSize: '20MB' },
      ],
    });
    const p = leastCostPaths(buildSiteGraph(t), 'A').get('b')!;
    expect(p.links).toEqual(['y-big']);
    expect(p.maxMessageSize).toBe(20 * 1024 * 1024);
  });
  it('R80 sites in no link are unreachable; the source is reached at cost 0', () => {
    const t = topology({ sites: [{ name: 'A' }, { name: 'B' }] });
    const paths = leastCostPaths(buildSiteGraph(t), 'a');
    expect(paths.get('b')).toBeUndefined();
    expect(paths.get('a')).toMatchObject({ cost: 0, hops: 0, path: ['A'] });
  });
});

describe('site graph at the edges of its packed trees', () => {
  it('R81 R90 path costs beyond 31 bits (21,500 sites in a line of 99,999-cost links) are summed exactly, and heap and bucket trees agree', () => {
    const n = 21_500;
    const site = (i: number) => `S${i}`;
    const t = topology({
      sites: Array.from({ length: n }, (_, i) => ({ name: site(i), hubSiteEnabled: i === 7 })),
      siteLinks: Array.from({ length: n - 1 }, (_, i) => ({ name: `L${i}`, sites: [site(i), site(i + 1)], cost: 99_999, ...(i === 3 ? { maxMessageSize: '10MB' } : {}) })),
      servers: [mailbox('MBX-A', site(0)), mailbox('MBX-H', site(7))],
    });
    const graph = buildSiteGraph(t);
    expect(graph.wideCosts).toBe(true);
    const far = sitePath(graph, shortestPathTree(graph, 0), n - 1)!;
    expect(far.cost).toBe(99_999 * (n - 1));
    expect(far.hops).toBe(n - 1);
    expect(far.maxMessageSize).toBe(10 * 1024 * 1024);
    const tree = heapTree(graph, 0);
    expect([tree.cost(n - 1), tree.pred(n - 1), tree.firstHub(n - 1), tree.firstHub(7), tree.firstHub(8)]).toEqual([99_999 * (n - 1), n - 2, 7, -1, 7]);
  });

  it('R81 R85 R87 trees of an org with no hub sites and costs that need no heap', () => {
    const t = topology({
      sites: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }],
      siteLinks: [
        { name: 'AB', sites: ['A', 'B'], cost: 1 },
        { name: 'BC', sites: ['B', 'C'], cost: 4096, maxMessageSize: '1MB' },
        { name: 'AC', sites: ['A', 'C'], cost: 4098 },
      ],
    });
    const graph = buildSiteGraph(t);
    const [dial, heap] = [dialTree(graph, 0), heapTree(graph, 0)];
    const labels = (tree: typeof dial) => [0, 1, 2, 3].map((s) => [tree.cost(s), tree.pred(s), tree.hops(s), graph.limitValues[tree.limitClass(s)], tree.firstHub(s)]);
    expect(labels(dial)).toEqual([
      [0, -1, 0, Infinity, -1],
      [1, 0, 1, Infinity, -1],
      [4097, 1, 2, 1024 * 1024, -1],
      [-1, -1, 0, Infinity, -1],
    ]);
    expect(labels(heap)).toEqual(labels(dial));
  });
});
