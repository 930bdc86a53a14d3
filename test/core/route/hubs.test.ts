import { describe, expect, it } from 'vitest';
import { contosoDomain, hopsOf, mailbox, plan1, topology } from './fixtures.js';

/** Chain A–B–C–D–E (cost 10 each), a server per site, DB-E on a DAG in E. */
function chain(opts: { hub?: string[]; hubWithoutServer?: boolean; dagSites?: string[] } = {}) {
  const sites = ['A', 'B', 'C', 'D', 'E'];
  const hubs = new Set(opts.hub ?? []);
  const servers = sites.filter((s) => !(opts.hubWithoutServer && hubs.has(s))).map((s) => mailbox(`MBX-${s}`, s));
  const dagMembers = (opts.dagSites ?? ['E']).map((s) => `MBX-${s}`);
  return topology({
    sites: sites.map((name) => ({ name, hubSiteEnabled: hubs.has(name) })),
    siteLinks: sites.slice(1).map((s, i) => ({ name: `${sites[i]}-${s}`, sites: [sites[i]!, s], cost: 10 })),
    servers,
    databaseAvailabilityGroups: [{ name: 'DAG-E', members: dagMembers }],
    mailboxDatabases: [{ name: 'DB-E', masterServerOrAvailabilityGroup: 'DAG-E', activationPreference: dagMembers }],
    acceptedDomains: [contosoDomain],
    recipients: { mailboxes: [{ address: 'e@contoso.com', database: 'DB-E' }] },
  });
}

describe('hub sites (R83–R86, A4)', () => {
  it('R83 without hubs relay is direct: A connects straight to the destination in E', () => {
    const d = plan1(chain(), 'MBX-A', 'e@contoso.com');
    expect(d.sitePath).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(d.hops.map((h) => h.server)).toEqual(['MBX-A', 'MBX-E']);
  });
  it('R85 path A-B-C-D-E with C a hub: A → C → E', () => {
    const d = plan1(chain({ hub: ['C'] }), 'MBX-A', 'e@contoso.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: { domain: 'C', targets: ['MBX-C'] } });
    expect(hopsOf(d)).toEqual([
      ['MBX-A', 'relay', 'SmtpRelayToRemoteAdSite'],
      ['MBX-C', 'relay', 'SmtpRelayToDag'],
      ['MBX-E', 'deliver', 'SmtpDeliveryToMailbox'],
    ]);
  });
  it('R85 the first hub from the source is the next hop; each hub routes onward from its own site (R93)', () => {
    const d = plan1(chain({ hub: ['B', 'D'] }), 'MBX-A', 'e@contoso.com');
    expect(d.hops.map((h) => [h.server, h.deliveryType])).toEqual([
      ['MBX-A', 'SmtpRelayToRemoteAdSite'],
      ['MBX-B', 'SmtpRelayToRemoteAdSite'],
      ['MBX-D', 'SmtpRelayToDag'],
      ['MBX-E', 'SmtpDeliveryToMailbox'],
    ]);
  });
  it('R84 a hub site without Mailbox servers is never a relay point', () => {
    const d = plan1(chain({ hub: ['C'], hubWithoutServer: true }), 'MBX-A', 'e@contoso.com');
    expect(d.deliveryType).toBe('SmtpRelayToDag');
    expect(d.sitePath).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
  it('R86 A3 a destination site that is a hub keeps the delivery group as next hop; fallbacks stay in that site', () => {
    const t = topology({
      sites: [{ name: 'A' }, { name: 'H', hubSiteEnabled: true }, { name: 'Z' }],
      siteLinks: [
        { name: 'A-H', sites: ['A', 'H'], cost: 5 },
        { name: 'A-Z', sites: ['A', 'Z'], cost: 50 },
      ],
      servers: [mailbox('MBX-A', 'A'), mailbox('MBX-H1', 'H'), mailbox('MBX-H2', 'H'), mailbox('MBX-Z', 'Z')],
      databaseAvailabilityGroups: [{ name: 'DAG', members: ['MBX-H1', 'MBX-Z'] }],
      mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'DAG', activationPreference: ['MBX-H1', 'MBX-Z'] }],
      acceptedDomains: [contosoDomain],
      recipients: { mailboxes: [{ address: 'x@contoso.com', database: 'DB' }] },
    });
    const d = plan1(t, 'MBX-A', 'x@contoso.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpRelayToDag', nextHop: { domain: 'DAG', targets: ['MBX-H1'], fallbacks: ['MBX-H2'] } });
  });
  it('A4 R97 a multi-site DAG with a hub on the path to its primary site: the hub first, then SmtpRelayToDag', () => {
    const d = plan1(chain({ hub: ['C'], dagSites: ['D', 'E'] }), 'MBX-A', 'e@contoso.com');
    expect(d.sitePath).toEqual(['A', 'B', 'C', 'D']);
    expect(hopsOf(d)).toEqual([
      ['MBX-A', 'relay', 'SmtpRelayToRemoteAdSite'],
      ['MBX-C', 'relay', 'SmtpRelayToDag'],
      ['MBX-D', 'deliver', 'SmtpDeliveryToMailbox'],
    ]);
  });
});
