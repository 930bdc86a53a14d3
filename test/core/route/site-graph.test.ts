import { describe, expect, it } from 'vitest';
import { buildSiteGraph, leastCostPaths } from '../../../src/core/route/site-graph.js';
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
