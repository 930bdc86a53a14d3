/** Spec section 25, W1–W5: each worked example as its own test. */
import { describe, expect, it } from 'vitest';
import { planRoute } from '../../../src/core/route/index.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const MB = 1024 * 1024;

function w1(opts: { nicMrsExchangeCost?: number; allTen?: boolean; lyoMrsSize?: string; hub?: boolean } = {}) {
  const cost = (c: number) => (opts.allTen ? 10 : c);
  return topology({
    sites: [{ name: 'Paris' }, { name: 'Lyon', hubSiteEnabled: opts.hub ?? true }, { name: 'Nice' }, { name: 'Marseille' }],
    siteLinks: [
      { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
      { name: 'LYO-MRS', sites: ['Lyon', 'Marseille'], cost: 10, ...(opts.lyoMrsSize ? { maxMessageSize: opts.lyoMrsSize } : {}) },
      { name: 'PAR-NIC', sites: ['Paris', 'Nice'], cost: cost(8) },
      { name: 'NIC-MRS', sites: ['Nice', 'Marseille'], cost: cost(8), ...(opts.nicMrsExchangeCost ? { exchangeCost: opts.nicMrsExchangeCost } : {}) },
    ],
    servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon'), mailbox('MBX-NIC', 'Nice'), mailbox('MBX-MRS', 'Marseille')],
    databaseAvailabilityGroups: [{ name: 'DAG-MRS', members: ['MBX-MRS'] }],
    mailboxDatabases: [{ name: 'DB-MRS', masterServerOrAvailabilityGroup: 'DAG-MRS', activationPreference: ['MBX-MRS'] }],
    acceptedDomains: [contosoDomain],
    recipients: { mailboxes: [{ address: 'marie@contoso.com', database: 'DB-MRS' }] },
  });
}

describe('worked examples (spec 25)', () => {
  it('W1 hub site off the path is ignored: direct SmtpRelayToDag via Nice (R81, R83, R85)', () => {
    const [d] = planRoute(w1(), { from: 'MBX-PAR', recipients: ['marie@contoso.com'] }).decisions;
    expect(d).toMatchObject({ status: 'routed', recipientType: 'Mailbox', sitePath: ['Paris', 'Nice', 'Marseille'], cost: 16, deliveryType: 'SmtpRelayToDag' });
    expect(d!.nextHop).toMatchObject({ domain: 'DAG-MRS', targets: ['MBX-MRS'] });
    expect(d!.hops.map((h) => [h.server, h.action, h.deliveryType])).toEqual([
      ['MBX-PAR', 'relay', 'SmtpRelayToDag'],
      ['MBX-MRS', 'deliver', 'SmtpDeliveryToMailbox'],
    ]);
    expect(d!.candidates.some((c) => c.kind === 'path' && c.name === 'Paris → Lyon → Marseille')).toBe(true);
  });

  it('W1 after ExchangeCost 30 on NIC-MRS the hub Lyon is on the path: SmtpRelayToRemoteAdSite Lyon (R85, R90)', () => {
    const [d] = planRoute(w1({ nicMrsExchangeCost: 30 }), { from: 'MBX-PAR', recipients: ['marie@contoso.com'] }).decisions;
    expect(d).toMatchObject({ sitePath: ['Paris', 'Lyon', 'Marseille'], cost: 20, deliveryType: 'SmtpRelayToRemoteAdSite' });
    expect(d!.nextHop).toMatchObject({ domain: 'Lyon', targets: ['MBX-LYO'] });
    expect(d!.hops.map((h) => [h.server, h.deliveryType])).toEqual([
      ['MBX-PAR', 'SmtpRelayToRemoteAdSite'],
      ['MBX-LYO', 'SmtpRelayToDag'],
      ['MBX-MRS', 'SmtpDeliveryToMailbox'],
    ]);
  });

  it('W2 equal paths: the site before the destination decides (Lyon); a 6MB message is refused 5.3.4 (R81, R87)', () => {
    const t = w1({ allTen: true, hub: false, lyoMrsSize: '5MB' });
    const [d] = planRoute(t, { from: 'MBX-PAR', recipients: ['marie@contoso.com'] }).decisions;
    expect(d).toMatchObject({ sitePath: ['Paris', 'Lyon', 'Marseille'], deliveryType: 'SmtpRelayToDag', maxMessageSize: 5 * MB });
    expect(d!.nextHop!.targets).toEqual(['MBX-MRS']);
    const [big] = planRoute(t, { from: 'MBX-PAR', recipients: ['marie@contoso.com'], size: 6 * MB }).decisions;
    expect(big).toMatchObject({ status: 'rejected', sitePath: ['Paris', 'Lyon', 'Marseille'] });
    expect(big!.reason).toMatchObject({ code: 550, enhancedCode: '5.3.4' });
  });

  const w3 = () =>
    topology({
      sites: [{ name: 'Paris' }, { name: 'Lyon' }],
      siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 }],
      servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon')],
      acceptedDomains: [contosoDomain],
      sendConnectors: [
        { name: 'Fab-Wild', addressSpaces: ['SMTP:*.fabrikam.com;1'], sourceTransportServers: ['MBX-PAR'] },
        { name: 'Fab-Exact', addressSpaces: ['SMTP:fabrikam.com;10'], sourceTransportServers: ['MBX-LYO'] },
      ],
    });

  it('W3 exact address space beats a cheaper wildcard; subdomain goes to the wildcard (R101, R104)', () => {
    const [exact, sub] = planRoute(w3(), { from: 'MBX-PAR', recipients: ['x@fabrikam.com', 'x@eu.fabrikam.com'] }).decisions;
    expect(exact).toMatchObject({ connector: 'Fab-Exact', cost: 20, deliveryType: 'SmtpRelayToConnectorSourceServers' });
    expect(exact!.nextHop).toMatchObject({ domain: 'Fab-Exact', targets: ['MBX-LYO'] });
    expect(exact!.hops.map((h) => [h.server, h.deliveryType, h.target])).toEqual([
      ['MBX-PAR', 'SmtpRelayToConnectorSourceServers', 'MBX-LYO'],
      ['MBX-LYO', 'DnsConnectorDelivery', 'MX fabrikam.com'],
    ]);
    expect(exact!.candidates.find((c) => c.name === 'Fab-Wild')?.rule).toBe('R101');
    expect(sub).toMatchObject({ connector: 'Fab-Wild', deliveryType: 'DnsConnectorDelivery', cost: 1 });
    expect(sub!.nextHop!.domain).toBe('eu.fabrikam.com');
  });

  it('W4 DAG in two equally distant sites: the site name decides the primary site (R91, R96, R97)', () => {
    const t = topology({
      sites: [{ name: 'Paris' }, { name: 'Lyon' }, { name: 'Nice' }],
      siteLinks: [
        { name: 'NIC-PAR', sites: ['Nice', 'Paris'], cost: 5 },
        { name: 'NIC-LYO', sites: ['Nice', 'Lyon'], cost: 5 },
        { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
      ],
      servers: [mailbox('MBX-PAR1', 'Paris'), mailbox('MBX-LYO1', 'Lyon'), mailbox('MBX-NIC1', 'Nice')],
      databaseAvailabilityGroups: [{ name: 'DAG-X', members: ['MBX-PAR1', 'MBX-LYO1'] }],
      mailboxDatabases: [{ name: 'DB-X', masterServerOrAvailabilityGroup: 'DAG-X', activationPreference: ['MBX-PAR1', 'MBX-LYO1'] }],
      acceptedDomains: [contosoDomain],
      recipients: { mailboxes: [{ address: 'x@contoso.com', database: 'DB-X' }] },
    });
    const [d] = planRoute(t, { from: 'MBX-NIC1', recipients: ['x@contoso.com'] }).decisions;
    expect(d).toMatchObject({ deliveryType: 'SmtpRelayToDag', sitePath: ['Nice', 'Lyon'] });
    expect(d!.nextHop).toMatchObject({ domain: 'DAG-X', targets: ['MBX-LYO1'], fallbacks: ['MBX-PAR1'] });
    expect(d!.hops.at(-1)).toMatchObject({ server: 'MBX-LYO1', action: 'deliver', deliveryType: 'SmtpDeliveryToMailbox', target: 'MBX-PAR1:475' });
    expect(d!.candidates.find((c) => c.kind === 'site')).toMatchObject({ name: 'Paris', rule: 'R91' });
  });

  const w5 = () =>
    topology({
      sites: [{ name: 'Paris' }, { name: 'Lyon' }],
      siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 }],
      servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon'), { name: 'EDGE-PAR', role: 'Edge', fqdn: 'edge-par.contoso.com' }],
      edgeSubscriptions: [{ edgeServer: 'EDGE-PAR', site: 'Paris' }],
      acceptedDomains: [contosoDomain],
    });

  it('W5 Edge connector from the subscribed site: SmtpRelayWithinAdSiteToEdge, cost 100 (R116, R118)', () => {
    const [d] = planRoute(w5(), { from: 'MBX-PAR', recipients: ['x@fabrikam.com'] }).decisions;
    expect(d).toMatchObject({ connector: 'EdgeSync - Paris to Internet', cost: 100, deliveryType: 'SmtpRelayWithinAdSiteToEdge' });
    expect(d!.nextHop).toMatchObject({ domain: 'EdgeSync - Paris to Internet', targets: ['EDGE-PAR'] });
    expect(d!.hops.map((h) => [h.server, h.deliveryType])).toEqual([
      ['MBX-PAR', 'SmtpRelayWithinAdSiteToEdge'],
      ['EDGE-PAR', 'DnsConnectorDelivery'],
    ]);
  });

  it('W5 Edge connector from another site: SmtpRelayToRemoteAdSite Paris, cost 110 (R118)', () => {
    const [d] = planRoute(w5(), { from: 'MBX-LYO', recipients: ['x@fabrikam.com'] }).decisions;
    expect(d).toMatchObject({ connector: 'EdgeSync - Paris to Internet', cost: 110, deliveryType: 'SmtpRelayToRemoteAdSite' });
    expect(d!.nextHop).toMatchObject({ domain: 'Paris', targets: ['MBX-PAR'] });
    expect(d!.hops.map((h) => h.server)).toEqual(['MBX-LYO', 'MBX-PAR', 'EDGE-PAR']);
  });
});
