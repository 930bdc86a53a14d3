import { describe, expect, it } from 'vitest';
import { buildRouteTable, diffTables, tableRows } from '../../../src/core/route/table.js';
import { load } from '../../helpers/topology.js';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { contosoDomain, mailbox, topology } from './fixtures.js';

const example = () => load(parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'))).topology;

describe('routing table (R70, R71, R72, R85, R91, R103, R106, R117, R118)', () => {
  it('R70 lists every DAG, connector and expansion server as seen from each server', () => {
    const table = buildRouteTable(example());
    const ex01 = table.entriesFor(table.servers.find((s) => s.name === 'EX01')!);
    expect(ex01.map((r) => `${r.destination.type}:${r.destination.name}`)).toEqual([
      'RoutableDag:DAG1',
      'Connector:EdgeSync - Inbound to Paris',
      'Connector:EdgeSync - Paris to Internet',
      'Connector:To Fabrikam',
      'ExpansionServer:EX02',
    ]);
    expect(ex01.find((r) => r.destination.name === 'To Fabrikam')).toMatchObject({
      deliveryType: 'SmtpRelayToConnectorSourceServers',
      targets: ['EX02'],
      sitePath: ['Paris', 'Lyon'],
      cost: 5,
    });
    expect(ex01.find((r) => r.destination.name === 'DAG1')).toMatchObject({ deliveryType: 'SmtpDeliveryToMailbox' });
  });
  it('R117 R118 the Edge inbound connector is invisible to Mailbox servers; the Internet one is remote AD site from Lyon', () => {
    const table = buildRouteTable(example());
    const ex02 = table.entriesFor(table.servers.find((s) => s.name === 'EX02')!);
    expect(ex02.find((r) => r.destination.name === 'EdgeSync - Inbound to Paris')?.status).toBe('invisible');
    expect(ex02.find((r) => r.destination.name === 'EdgeSync - Paris to Internet')).toMatchObject({ deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: 'Paris' });
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
      acceptedDomains: [contosoDomain],
    });
    const table = buildRouteTable(t);
    const row = table.entriesFor(table.servers.find((s) => s.name === 'MBX-A')!)[0]!;
    expect(row).toMatchObject({ deliveryType: 'SmtpRelayToRemoteAdSite', nextHop: 'H', primarySite: 'B' });
  });
  it('route diff: a link cost change shows as changed rows; the same config shows none', () => {
    const base = example();
    expect(diffTables(buildRouteTable(base), buildRouteTable(example())).changed).toBe(false);
    const cfg = parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'));
    cfg.siteLinks[0].exchangeCost = 40;
    const diff = diffTables(buildRouteTable(base), buildRouteTable(load(cfg).topology));
    expect(diff.changed).toBe(true);
    const change = diff.changes.find((c) => c.server === 'EX01' && c.destination.name === 'To Fabrikam')!;
    expect(change).toMatchObject({ change: 'changed', fields: ['cost'] });
    expect([change.before!.cost, change.after!.cost]).toEqual([5, 40]);
  });
  it('route diff: a removed connector shows as removed rows on every server', () => {
    const cfg = parse(readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8'));
    cfg.sendConnectors = [];
    const diff = diffTables(buildRouteTable(example()), buildRouteTable(load(cfg).topology));
    expect(diff.changes.filter((c) => c.change === 'removed' && c.destination.name === 'To Fabrikam').map((c) => c.server).sort()).toEqual(['EX01', 'EX02']);
    expect(tableRows(buildRouteTable(load(cfg).topology)).length).toBeGreaterThan(0);
  });
});
