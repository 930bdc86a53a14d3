import { describe, expect, it } from 'vitest';
import { toDot } from '../../../src/core/graph/dot.js';
import { toMermaid } from '../../../src/core/graph/mermaid.js';
import { buildTopologyGraph, type RouteHighlight } from '../../../src/core/graph/model.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

// A small org: two sites and an empty third, a DAG across two, a smart-host connector, an Edge.
const t = topology({
  organization: { name: 'Contoso' },
  sites: [{ name: 'Paris', hubSiteEnabled: true }, { name: 'Lyon' }, { name: 'Nice' }],
  siteLinks: [
    { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10, exchangeCost: 5 },
    { name: 'LYO-NIC', sites: ['Lyon', 'Nice'], cost: 10, maxMessageSize: '20MB' },
    { name: 'TRIANGLE', sites: ['Paris', 'Lyon', 'Nice'], cost: 50 },
  ],
  servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon'), { name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }],
  databaseAvailabilityGroups: [{ name: 'DAG1', members: ['MBX-PAR', 'MBX-LYO'] }],
  acceptedDomains: [contosoDomain],
  sendConnectors: [
    { name: 'To Fabrikam', addressSpaces: ['SMTP:fabrikam.com;1', 'SMTP:*.fabrikam.com;2'], sourceTransportServers: ['MBX-LYO'], dnsRoutingEnabled: false, smartHosts: ['mail.fabrikam.com'] },
  ],
  edgeSubscriptions: [{ edgeServer: 'EDGE', site: 'Paris' }],
});

const route: RouteHighlight = {
  from: 'MBX-PAR',
  recipient: 'x@fabrikam.com',
  sitePath: ['Paris', 'Lyon'],
  hops: [
    { server: 'MBX-PAR', deliveryType: 'SmtpRelayToConnectorSourceServers' },
    { server: 'MBX-LYO', deliveryType: 'SmartHostConnectorDelivery' },
  ],
  connector: 'To Fabrikam',
  summary: 'x@fabrikam.com from MBX-PAR: via To Fabrikam, cost 6',
};

describe('graph model', () => {
  const g = buildTopologyGraph(t);
  const byName = (name: string) => g.nodes.find((n) => n.lines[0] === name)!;

  it('R2/R118 sites are clusters holding their Mailbox servers; an Edge server stands outside, joined to its subscribed site', () => {
    expect(g.clusters.map((c) => c.site)).toEqual(['Paris', 'Lyon', 'Nice']);
    expect(g.clusters[0]!.lines).toEqual(['Paris', 'hub site']);
    expect(byName('MBX-PAR').cluster).toBe(g.clusters[0]!.id);
    expect(byName('EDGE').cluster).toBeUndefined();
    expect(g.edges).toContainEqual(expect.objectContaining({ kind: 'edgeSubscription', from: byName('EDGE').id, to: g.clusters[0]!.id }));
    // Nice has no server but still shows
    expect(g.nodes.some((n) => n.cluster === g.clusters[2]!.id && n.kind === 'emptySite')).toBe(true);
  });

  it('R3 site link labels show cost, ExchangeCost when set and a limited MaxMessageSize', () => {
    const links = g.edges.filter((e) => e.kind === 'siteLink' && e.label.length > 0).map((e) => e.label);
    expect(links).toContainEqual(['PAR-LYO', 'cost 10, ExchangeCost 5']);
    expect(links).toContainEqual(['LYO-NIC', 'cost 10', 'max 20MB']);
  });

  it('R3 a link of three sites becomes one node joined to each site', () => {
    const hub = g.nodes.find((n) => n.kind === 'siteLink')!;
    expect(hub.lines).toEqual(['TRIANGLE', 'cost 50']);
    expect(g.edges.filter((e) => e.from === hub.id).map((e) => e.to)).toEqual(g.clusters.map((c) => c.id));
  });

  it('R5 DAG joined to its members; send connectors from their source servers to their address spaces', () => {
    const dag = byName('DAG1');
    expect(g.edges.filter((e) => e.from === dag.id).map((e) => e.to)).toEqual([byName('MBX-PAR').id, byName('MBX-LYO').id]);
    const connector = byName('To Fabrikam');
    expect(connector.lines).toContain('smart host mail.fabrikam.com:25');
    expect(g.edges).toContainEqual(expect.objectContaining({ kind: 'connectorSource', from: byName('MBX-LYO').id, to: connector.id }));
    const spaces = g.edges.filter((e) => e.kind === 'addressSpace' && e.from === connector.id).map((e) => [g.nodes.find((n) => n.id === e.to)!.lines[0], e.label[0]]);
    expect(spaces).toEqual([
      ['fabrikam.com', 'cost 1'],
      ['*.fabrikam.com', 'cost 2'],
    ]);
  });

  it('nothing is highlighted without a route', () => {
    expect([...g.nodes, ...g.edges, ...g.clusters].some((x) => x.highlighted)).toBe(false);
  });
});

describe('highlighted route', () => {
  const g = buildTopologyGraph(t, route);
  const id = (name: string) => g.nodes.find((n) => n.lines[0] === name)!.id;

  it('R81 the site link of the path, the hop servers, the connector and the matched address space (R101) are highlighted', () => {
    const highlightedLinks = g.edges.filter((e) => e.kind === 'siteLink' && e.highlighted);
    // PAR-LYO (cost 5 via ExchangeCost) is cheaper than TRIANGLE (50): only it is marked
    expect(highlightedLinks.map((e) => e.label[0])).toEqual(['PAR-LYO']);
    expect(g.nodes.filter((n) => n.highlighted).map((n) => n.lines[0]).sort()).toEqual(['MBX-LYO', 'MBX-PAR', 'To Fabrikam', 'fabrikam.com']);
    expect(g.clusters.filter((c) => c.highlighted).map((c) => c.site)).toEqual(['Paris', 'Lyon']);
    const space = g.edges.filter((e) => e.kind === 'addressSpace' && e.highlighted);
    expect(space).toHaveLength(1);
    expect(space[0]!.to).toBe(id('fabrikam.com'));
  });

  it('R93 hops become numbered route edges labelled with their delivery type', () => {
    const routeEdges = g.edges.filter((e) => e.kind === 'route');
    expect(routeEdges).toEqual([
      expect.objectContaining({ from: id('MBX-PAR'), to: id('MBX-LYO'), label: ['1. SmtpRelayToConnectorSourceServers'], highlighted: true }),
    ]);
    // the last server reaches the connector through its (highlighted) source edge
    expect(g.edges.find((e) => e.kind === 'connectorSource' && e.from === id('MBX-LYO'))?.highlighted).toBe(true);
  });
});

describe('writers', () => {
  it('Mermaid: a flowchart with one subgraph per site, site links between subgraphs, styled route links', () => {
    const text = toMermaid(buildTopologyGraph(t, route));
    expect(text).toMatch(/^---\ntitle: "Contoso — x@fabrikam\.com from MBX-PAR: via To Fabrikam, cost 6"\n---\nflowchart LR\n/);
    expect(text.match(/^\s*subgraph /gm)).toHaveLength(3);
    expect(text.match(/^\s*end$/gm)).toHaveLength(3);
    expect(text).toContain('subgraph site_0["Paris<br/>hub site"]');
    expect(text).toContain('site_0 ===|"PAR-LYO<br/>cost 10, ExchangeCost 5"| site_1');
    expect(text).toContain('srv_0 ==>|"1. SmtpRelayToConnectorSourceServers"| srv_1');
    expect(text).toMatch(/linkStyle [\d,]+ stroke:#d62728/);
    // linkStyle indexes must point at the highlighted links, counted in order of definition
    const links = text.split('\n').filter((l) => /^\s{2}\S+ (===|==>|-\.-|-\.->|-->|---)/.test(l));
    const styled = /linkStyle ([\d,]+)/.exec(text)![1]!.split(',').map(Number);
    expect(styled.map((i) => links[i]!.trim().split(' ')[0])).toEqual(expect.arrayContaining(['site_0', 'srv_0']));
  });

  it('Mermaid escapes quotes and angle brackets in names', () => {
    const odd = topology({ organization: { name: 'A "B" <C>' }, sites: [{ name: 'Paris' }] });
    const text = toMermaid(buildTopologyGraph(odd));
    expect(text).toContain('title: "A #quot;B#quot; #lt;C#gt;"');
    expect(text).not.toContain('"B"');
  });

  it('DOT: compound digraph with cluster_ subgraphs; site links clipped at cluster borders; route in red', () => {
    const text = toDot(buildTopologyGraph(t, route));
    expect(text.startsWith('digraph topology {')).toBe(true);
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(text).toContain('compound="true"');
    expect(text.match(/subgraph cluster_site_\d \{/g)).toHaveLength(3);
    expect(text).toMatch(/srv_0 -> srv_1 \[label="PAR-LYO\\ncost 10, ExchangeCost 5", dir="none", ltail="cluster_site_0", lhead="cluster_site_1", color="#d62728"/);
    expect(text).toMatch(/srv_0 -> srv_1 \[label="1\. SmtpRelayToConnectorSourceServers"[^\]]*color="#d62728"/);
    // balanced braces
    expect(text.split('{').length).toBe(text.split('}').length);
  });
});
