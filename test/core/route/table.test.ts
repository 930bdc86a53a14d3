import { describe, expect, it } from 'vitest';
import { buildRouteTable, diffTables, tableRows } from '../../../src/core/route/table.js';
import { load } from '../../helpers/topology.js';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { contosoDomain, mailbox, topology } from './fixtures.js';

const example = () => load(parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'))).topology;
const rowsOf = (t: ReturnType<typeof example>, server: string) => {
  const table = buildRouteTable(t);
  return table.rowsFor(table.servers.find((s) => s.name === server)!);
};

describe('routing table (R70, R71, R72, R85, R91, R103, R106, R117, R118)', () => {
  it('R70 every class of addresses has a row on each server: databases, expansion servers, domains, the rest of the world', () => {
    const ex01 = rowsOf(example(), 'EX01');
    expect(ex01.map((r) => r.class.key)).toEqual(['mailbox:db01:contoso.com', 'group:ex02:contoso.com', 'domain:*', 'domain:contoso.com', 'domain:fabrikam.com', 'domain:legacy.contoso.com']);
    // R104: the site path's cost and the aggregate cost (path + address space cost) are named apart.
    expect(ex01.find((r) => r.class.key === 'domain:fabrikam.com')).toMatchObject({
      connector: 'To Fabrikam',
      deliveryType: 'SmtpRelayToConnectorSourceServers',
      nextHop: { domain: 'To Fabrikam', targets: ['EX02'] },
      sitePath: ['Paris', 'Lyon'],
      sitePathCost: 5,
      aggregateCost: 6,
      cost: 6,
    });
    expect(ex01.find((r) => r.class.kind === 'mailbox')).toMatchObject({ deliveryType: 'SmtpDeliveryToMailbox', deliveryGroup: { type: 'RoutableDag', name: 'DAG1' } });
  });
  it('R117 R118 the Edge inbound connector is never chosen on a Mailbox server; the Internet one is a remote AD site from Lyon', () => {
    const ex02 = rowsOf(example(), 'EX02');
    expect(ex02.some((r) => r.connector === 'EdgeSync - Inbound to Paris')).toBe(false);
    expect(ex02.find((r) => r.class.key === 'domain:*')).toMatchObject({ connector: 'EdgeSync - Paris to Internet', deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: { domain: 'Paris' } });
    expect(rowsOf(example(), 'EDGE01').find((r) => r.class.key === 'domain:contoso.com')).toMatchObject({ connector: 'EdgeSync - Inbound to Paris', deliveryType: 'SmartHostConnectorDelivery' });
  });
  it('R85 rows through a hub site name the hub as next hop', () => {
    const t = topology({
      sites: [{ name: 'A' }, { name: 'H', hubSiteEnabled: true }, { name: 'B' }],
      siteLinks: [
        { name: 'A-H', sites: ['A', 'H'], cost: 1 },
        { name: 'H-B', sites: ['H', 'B'], cost: 1 },
      ],
      servers: [mailbox('MBX-A', 'A'), mailbox('MBX-H', 'H'), mailbox('MBX-B', 'B')],
      databaseAvailabilityGroups: [{ name: 'DAG-B', members: ['MBX-B'] }],
      mailboxDatabases: [{ name: 'DB-B', masterServerOrAvailabilityGroup: 'DAG-B', activationPreference: ['MBX-B'] }],
      acceptedDomains: [contosoDomain],
      recipients: { mailboxes: [{ address: 'b@contoso.com', database: 'DB-B' }] },
    });
    const row = rowsOf(t, 'MBX-A').find((r) => r.class.kind === 'mailbox')!;
    expect(row).toMatchObject({ deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: { domain: 'H' }, sitePath: ['A', 'H', 'B'] });
  });
  it('route diff: a link cost change shows as changed rows; the same config shows none', () => {
    const base = example();
    expect(diffTables(buildRouteTable(base), buildRouteTable(example())).changed).toBe(false);
    const cfg = parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'));
    cfg.siteLinks[0].exchangeCost = 40;
    const diff = diffTables(buildRouteTable(base), buildRouteTable(load(cfg).topology));
    expect(diff.changed).toBe(true);
    const change = diff.changes.find((c) => c.server === 'EX01' && c.class.key === 'domain:fabrikam.com')!;
    expect(change).toMatchObject({ change: 'changed', fields: ['sitePathCost', 'aggregateCost'] });
    expect([change.before!.sitePathCost, change.after!.sitePathCost, change.before!.aggregateCost, change.after!.aggregateCost]).toEqual([5, 40, 6, 41]);
  });
  it('route diff: a removed connector changes the rows that used it on every server', () => {
    const cfg = parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'));
    cfg.sendConnectors = [];
    const diff = diffTables(buildRouteTable(example()), buildRouteTable(load(cfg).topology));
    const fabrikam = diff.changes.filter((c) => c.class.key === 'domain:fabrikam.com' && c.before?.connector === 'To Fabrikam');
    expect(fabrikam.map((c) => c.server).sort()).toEqual(['EX01', 'EX02']);
    // The Edge subscription's own connectors remain (implicit): the Internet one takes over (R104).
    expect(fabrikam.every((c) => c.after!.connector === 'EdgeSync - Paris to Internet')).toBe(true);
    expect(tableRows(buildRouteTable(load(cfg).topology)).length).toBeGreaterThan(0);
  });
});
