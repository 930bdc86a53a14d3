import { describe, expect, it } from 'vitest';
import { base, pathsOf, rule, withBase } from './fixture.js';

const edge = { name: 'EDGE01', role: 'Edge' as const, fqdn: 'edge01.contoso.com' };

describe('edge-placement', () => {
  it('edge-placement flags an Edge server given a site and one listed as DAG member', () => {
    const config = withBase({
      servers: [{ ...edge, site: 'Paris' }],
      databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX01', 'EDGE01'] }],
    });
    expect(pathsOf(config, 'edge-placement')).toEqual(['servers[2].site', 'databaseAvailabilityGroups[0].members[1]']);
  });

  it('edge-placement accepts an Edge server placed through a subscription', () => {
    expect(rule(withBase({ servers: [edge], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }] }), 'edge-placement')).toEqual([]);
  });
});

describe('edge-subscription-target', () => {
  it('edge-subscription-target accepts a subscription of an Edge server to an existing site', () => {
    const config = withBase({ servers: [edge], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }] });
    expect(rule(config, 'edge-subscription-target')).toEqual([]);
  });

  it('edge-subscription-target flags an unknown site, with a suggestion', () => {
    const found = rule(withBase({ servers: [edge], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Pari' }] }), 'edge-subscription-target');
    expect(found.map((f) => f.path.join('.'))).toEqual(['edgeSubscriptions.0.site']);
    expect(found[0]!.message).toContain('did you mean "Paris"?');
  });

  it('edge-subscription-target flags a Mailbox server subscribed as an Edge', () => {
    expect(pathsOf(withBase({ edgeSubscriptions: [{ edgeServer: 'EX02', site: 'Paris' }] }), 'edge-subscription-target')).toEqual(['edgeSubscriptions[0].edgeServer']);
  });

  it('edge-subscription-target flags an Edge subscribed twice', () => {
    const config = withBase({ servers: [edge], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }, { edgeServer: 'edge01', site: 'Lyon' }] });
    expect(pathsOf(config, 'edge-subscription-target')).toEqual(['edgeSubscriptions[1]']);
  });
});

describe('V44 Edge site with Mailbox servers', () => {
  it('V44 flags a subscription to a site without Mailbox servers', () => {
    const config = withBase({
      sites: [{ name: 'DMZ' }],
      siteLinks: [{ name: 'Paris-DMZ', sites: ['Paris', 'DMZ'] }],
      servers: [edge],
      edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'DMZ' }],
    });
    expect(pathsOf(config, 'V44')).toEqual(['edgeSubscriptions[0].site']);
  });

  it('V44 accepts a subscription to a site with a Mailbox server', () => {
    expect(rule({ ...base(), servers: [...base().servers!, edge], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Lyon' }] }, 'V44')).toEqual([]);
  });
});
