import { describe, expect, it } from 'vitest';
import { mailbox, pathsOf, rule, withBase, base, type Config } from './fixture.js';

describe('site links', () => {
  it('site-link-sites flags a link that joins a site with itself', () => {
    const found = rule(withBase({ siteLinks: [{ name: 'Loop', sites: ['Paris', 'paris'] }] }), 'site-link-sites');
    expect(found.map((f) => f.path.join('.'))).toEqual(['siteLinks.1.sites']);
    expect(found[0]!.message).toContain('joins only Paris');
  });

  it('site-link-sites flags a link with one site, and a site listed twice', () => {
    const config = withBase({
      sites: [{ name: 'Nice' }],
      siteLinks: [{ name: 'One', sites: ['Paris'] }, { name: 'Twice', sites: ['Paris', 'Nice', 'Paris'] }],
    });
    expect(pathsOf(config, 'site-link-sites')).toEqual(['siteLinks[1].sites', 'siteLinks[2].sites[2]']);
  });

  it('site-link-sites accepts a link of three distinct sites and leaves unknown sites to unknown-reference', () => {
    expect(rule(withBase({ sites: [{ name: 'Nice' }], siteLinks: [{ name: 'Tri', sites: ['Paris', 'Lyon', 'Nice'] }] }), 'site-link-sites')).toEqual([]);
    expect(rule(withBase({ siteLinks: [{ name: 'Bad', sites: ['Paris', 'Nowhere'] }] }), 'site-link-sites')).toEqual([]);
  });

  it('V3 flags a site link carrying less than 64KB', () => {
    const config = base();
    config.siteLinks = [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], maxMessageSize: '32KB' }];
    expect(pathsOf(config, 'V3')).toEqual(['siteLinks[0].maxMessageSize']);
  });

  it('V3 flags ADCost and ExchangeCost outside 1–99,999', () => {
    const config = base();
    config.siteLinks = [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 0, exchangeCost: 100_000 }];
    expect(pathsOf(config, 'V3')).toEqual(['siteLinks[0].cost', 'siteLinks[0].exchangeCost']);
  });

  it('V3 accepts the bounds 1 and 99,999', () => {
    const config = base();
    config.siteLinks = [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 1, exchangeCost: 99_999 }];
    expect(rule(config, 'V3')).toEqual([]);
  });

  it('V3 accepts exactly 64KB and unlimited', () => {
    const config = withBase({ sites: [{ name: 'Nice' }], siteLinks: [{ name: 'Lyon-Nice', sites: ['Lyon', 'Nice'], maxMessageSize: '64KB' }] });
    expect(rule(config, 'V3')).toEqual([]);
  });
});

describe('V4 site connectivity', () => {
  const islands = (): Config => withBase({ sites: [{ name: 'Nice' }], servers: [mailbox('EX03', 'Nice')] });

  it('V4 flags a site with Mailbox servers that no link reaches', () => {
    const found = rule(islands(), 'V4');
    expect(found.map((f) => f.path.join('.'))).toEqual(['sites.2']);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.message).toContain('Paris and Lyon');
  });

  it('V4 accepts the same sites once a link chains them, even through a site without servers', () => {
    const config = islands();
    config.sites = [...config.sites!, { name: 'Transit' }];
    config.siteLinks = [...config.siteLinks!, { name: 'Lyon-Transit', sites: ['Lyon', 'Transit'] }, { name: 'Transit-Nice', sites: ['Transit', 'Nice'] }];
    expect(rule(config, 'V4')).toEqual([]);
  });

  it('V4 ignores unlinked sites that hold no Mailbox server', () => {
    expect(rule(withBase({ sites: [{ name: 'Empty' }] }), 'V4')).toEqual([]);
  });
});

describe('hub sites', () => {
  it('V5 flags a hub site without a Mailbox server', () => {
    const config = withBase({ sites: [{ name: 'Hub', hubSiteEnabled: true }], siteLinks: [{ name: 'Lyon-Hub', sites: ['Lyon', 'Hub'] }] });
    const found = rule(config, 'V5');
    expect(found.map((f) => f.path.join('.'))).toEqual(['sites.2.hubSiteEnabled']);
    expect(found[0]!.severity).toBe('warning');
    expect(rule(config, 'V6')).toEqual([]);
  });

  it('V5 accepts a hub site with a Mailbox server', () => {
    const config = base();
    config.sites = [{ name: 'Paris', hubSiteEnabled: true }, { name: 'Lyon' }];
    expect(rule(config, 'V5')).toEqual([]);
  });

  // W1 of the spec: A–B–C in a line with a direct A–C link; B is a hub.
  const w1 = (directCost: number): Config => ({
    ...base(),
    sites: [{ name: 'A' }, { name: 'B', hubSiteEnabled: true }, { name: 'C' }],
    siteLinks: [
      { name: 'A-B', sites: ['A', 'B'], cost: 10 },
      { name: 'B-C', sites: ['B', 'C'], cost: 10 },
      { name: 'A-C', sites: ['A', 'C'], cost: directCost },
    ],
    servers: [mailbox('EXA', 'A'), mailbox('EXB', 'B'), mailbox('EXC', 'C')],
    mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'EXA' }],
    sendConnectors: [{ name: 'To Internet', addressSpaces: ['SMTP:*;100'], sourceTransportServers: ['EXA'] }],
  });

  it('V6 flags a hub site that the direct link bypasses on every least-cost path', () => {
    const found = rule(w1(15), 'V6');
    expect(found.map((f) => f.path.join('.'))).toEqual(['sites.1.hubSiteEnabled']);
    expect(found[0]!.severity).toBe('warning');
  });

  it('V6 accepts the hub once the direct link costs more than the path through it', () => {
    expect(rule(w1(25), 'V6')).toEqual([]);
  });
});
