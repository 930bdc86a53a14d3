import { describe, expect, it } from 'vitest';
import { contosoDomain, hopsOf, mailbox, MB, plan1, topology, twoSites } from './fixtures.js';

type Connector = Record<string, unknown> & { name: string };
const withConnectors = (sendConnectors: Connector[], extra: Record<string, unknown> = {}) => twoSites({ sendConnectors: sendConnectors as never, ...extra });

describe('send connector selection (R100–R106, A15)', () => {
  it('R101 exact d beats *.d, which beats *.parent, which beats *', () => {
    const t = withConnectors([
      { name: 'Any', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Parent', addressSpaces: ['*.contoso.net'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Wild-d', addressSpaces: ['*.mail.contoso.net'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Exact', addressSpaces: ['mail.contoso.net;50'], sourceTransportServers: ['MBX-LYO'] },
    ]);
    expect(plan1(t, 'MBX-PAR', 'a@mail.contoso.net').connector).toBe('Exact');
    expect(plan1(t, 'MBX-PAR', 'a@x.mail.contoso.net').connector).toBe('Wild-d');
    expect(plan1(t, 'MBX-PAR', 'a@other.contoso.net').connector).toBe('Parent');
    const any = plan1(t, 'MBX-PAR', 'a@northwind.com');
    expect(any.connector).toBe('Any');
  });
  it('R102 disabled connectors and smart-host connectors without smart hosts take no part', () => {
    const t = withConnectors([
      { name: 'A-off', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-PAR'], enabled: false },
      { name: 'B-any', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
    ]);
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com');
    expect(d.connector).toBe('B-any');
    expect(d.candidates.find((c) => c.name === 'A-off')).toMatchObject({ rule: 'R102' });
  });
  it('R102 a connector whose source servers cannot be reached (no site path) takes no part', () => {
    const t = topology({
      sites: [{ name: 'Paris' }, { name: 'Island' }],
      servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-ISL', 'Island')],
      acceptedDomains: [contosoDomain],
      sendConnectors: [{ name: 'Far', addressSpaces: ['*'], sourceTransportServers: ['MBX-ISL'] }],
    });
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com');
    expect(d).toMatchObject({ status: 'unreachable', deliveryType: 'Unreachable' });
    expect(d.candidates[0]).toMatchObject({ name: 'Far', rule: 'R102' });
  });
  it('R103 a scoped connector is invisible outside the sites of its source servers', () => {
    const t = withConnectors([
      { name: 'Scoped', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-LYO'], isScopedConnector: true },
      { name: 'Any', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
    ]);
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com').connector).toBe('Any');
    expect(plan1(t, 'MBX-LYO', 'x@fabrikam.com').connector).toBe('Scoped');
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com').candidates.find((c) => c.name === 'Scoped')?.rule).toBe('R103');
  });
  it('R104 step 4a aggregate cost = address space cost + path cost to remote source servers', () => {
    const t = withConnectors([
      { name: 'Local', addressSpaces: ['*;15'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Remote', addressSpaces: ['*;1'], sourceTransportServers: ['MBX-LYO'] },
    ]);
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com');
    expect(d).toMatchObject({ connector: 'Remote', cost: 11 });
    expect(d.candidates.find((c) => c.name === 'Local')?.reason).toMatch(/aggregate cost 15 > 11/);
    expect(plan1(t, 'MBX-LYO', 'x@fabrikam.com')).toMatchObject({ connector: 'Remote', cost: 1, deliveryType: 'DnsConnectorDelivery' });
  });
  it('R104 step 4b equal cost: the nearer source server wins (L itself before a remote site)', () => {
    const t = withConnectors([
      { name: 'A-remote', addressSpaces: ['*;1'], sourceTransportServers: ['MBX-LYO'] },
      { name: 'Z-local', addressSpaces: ['*;11'], sourceTransportServers: ['MBX-PAR'] },
    ]);
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com').connector).toBe('Z-local');
  });
  it('R104 step 4c equal cost and distance: the lower name wins (case-insensitive)', () => {
    const t = withConnectors([
      { name: 'beta', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Alpha', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
    ]);
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com').connector).toBe('Alpha');
  });
  it('R104 step 1 and 3: a connector too small for the message is dropped and selection falls to the next level', () => {
    const t = withConnectors([
      { name: 'Exact-small', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-PAR'], maxMessageSize: '10MB' },
      { name: 'Any-big', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'], maxMessageSize: '50MB' },
    ], { organization: { maxSendSize: 'unlimited', maxReceiveSize: 'unlimited' } });
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com', { size: 5 * MB }).connector).toBe('Exact-small');
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com', { size: 20 * MB });
    expect(d.connector).toBe('Any-big');
    expect(d.candidates.find((c) => c.name === 'Exact-small')?.reason).toMatch(/R104 step 1/);
  });
  it('R104 step 5 every matching connector too small: NDR 5.3.4; none matching: unreachable (R120)', () => {
    const t = withConnectors([{ name: 'Small', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-PAR'], maxMessageSize: '1MB' }]);
    const big = plan1(t, 'MBX-PAR', 'x@fabrikam.com', { size: 2 * MB });
    expect(big).toMatchObject({ status: 'rejected', reason: { enhancedCode: '5.3.4' } });
    const none = plan1(t, 'MBX-PAR', 'x@northwind.com');
    expect(none).toMatchObject({ status: 'unreachable', deliveryType: 'Unreachable', nextHop: { domain: 'Unreachable Domain' } });
    expect(none.reason!.text).toBe('A matching connector cannot be found to route the external recipient');
  });
  it('A15 a site link too small on the way to the source servers eliminates that connector', () => {
    const t = twoSites({
      siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10, maxMessageSize: '5MB' }],
      sendConnectors: [
        { name: 'Remote-cheap', addressSpaces: ['*;1'], sourceTransportServers: ['MBX-LYO'] },
        { name: 'Local-dear', addressSpaces: ['*;50'], sourceTransportServers: ['MBX-PAR'] },
      ],
    });
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com', { size: 1 * MB }).connector).toBe('Remote-cheap');
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com', { size: 8 * MB });
    expect(d.connector).toBe('Local-dear');
    expect(d.candidates.find((c) => c.name === 'Remote-cheap')?.rule).toBe('A15');
  });
  it('R105 R106 the source server sends itself: DNS → DnsConnectorDelivery to the recipient domain; smart hosts → SmartHostsString', () => {
    const t = withConnectors([
      { name: 'Dns', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-PAR'] },
      { name: 'Smart', addressSpaces: ['tailspin.com'], sourceTransportServers: ['MBX-PAR'], dnsRoutingEnabled: false, smartHosts: ['10.1.1.1', 'relay.tailspin.com'] },
    ]);
    expect(plan1(t, 'MBX-PAR', 'x@fabrikam.com').nextHop).toMatchObject({ deliveryType: 'DnsConnectorDelivery', domain: 'fabrikam.com' });
    const s = plan1(t, 'MBX-PAR', 'x@tailspin.com');
    expect(s.nextHop).toMatchObject({ deliveryType: 'SmartHostConnectorDelivery', domain: '[10.1.1.1],relay.tailspin.com' });
    expect(s.hops[0]!.target).toBe('10.1.1.1:25');
  });
  it('R106 source servers elsewhere in L\'s site: SmtpRelayToConnectorSourceServers to those servers', () => {
    const t = topology({
      sites: [{ name: 'Paris' }],
      servers: [mailbox('MBX-1', 'Paris'), mailbox('MBX-2', 'Paris')],
      acceptedDomains: [contosoDomain],
      sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-2'] }],
    });
    const d = plan1(t, 'MBX-1', 'x@fabrikam.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpRelayToConnectorSourceServers', cost: 1, nextHop: { domain: 'Out', targets: ['MBX-2'] } });
    expect(hopsOf(d)).toEqual([
      ['MBX-1', 'relay', 'SmtpRelayToConnectorSourceServers'],
      ['MBX-2', 'send', 'DnsConnectorDelivery'],
    ]);
  });
  it('R117 the Edge inbound connector is not a candidate on Mailbox servers; R119 the Edge uses only its own connectors', () => {
    const t = twoSites({
      servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon'), { name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }],
      edgeSubscriptions: [{ edgeServer: 'EDGE', site: 'Paris' }],
      acceptedDomains: [contosoDomain, { domainName: 'relay.contoso.com', domainType: 'InternalRelay' }],
      sendConnectors: [{ name: 'Mbx-out', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-LYO'] }],
      mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
      recipients: { mailboxes: [{ address: 'a@contoso.com', database: 'DB' }] },
    });
    const relay = plan1(t, 'MBX-PAR', 'x@relay.contoso.com');
    expect(relay.connector).toBe('EdgeSync - Paris to Internet');
    expect(relay.candidates.find((c) => c.name === 'EdgeSync - Inbound to Paris')?.rule).toBe('R117');
    const fromEdge = plan1(t, 'EDGE', 'x@fabrikam.com');
    expect(fromEdge).toMatchObject({ connector: 'EdgeSync - Paris to Internet', deliveryType: 'DnsConnectorDelivery' });
    const inbound = plan1(t, 'EDGE', 'a@contoso.com');
    expect(inbound).toMatchObject({ connector: 'EdgeSync - Inbound to Paris', deliveryType: 'SmartHostConnectorDelivery' });
    expect(hopsOf(inbound)).toEqual([
      ['EDGE', 'send', 'SmartHostConnectorDelivery'],
      ['MBX-PAR', 'deliver', 'SmtpDeliveryToMailbox'],
    ]);
  });
});
