import { describe, expect, it } from 'vitest';
import { contosoDomain, mailbox, plan1, topology } from './fixtures.js';

const withEdge = (sendConnectors: Record<string, unknown>[] = []) =>
  topology({
    sites: [{ name: 'Paris' }],
    servers: [mailbox('MBX-PAR', 'Paris'), { name: 'EDGE-PAR', role: 'Edge', fqdn: 'edge-par.contoso.com' }],
    databaseAvailabilityGroups: [],
    mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
    acceptedDomains: [contosoDomain, { domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }],
    recipients: { mailboxes: [{ address: 'alice@contoso.com', database: 'DB1' }] },
    edgeSubscriptions: [{ edgeServer: 'EDGE-PAR', site: 'Paris' }],
    sendConnectors: sendConnectors as never,
  });

describe('Edge inbound connector and InternalRelay domains (R117, R119, R61)', () => {
  it('R119 mail arriving on the Edge for a mailbox goes through the Inbound connector to the site and is delivered', () => {
    const d = plan1(withEdge(), 'EDGE-PAR', 'alice@contoso.com');
    expect(d.status).toBe('routed');
    expect(d.hops.map((h) => [h.server, h.action])).toEqual([
      ['EDGE-PAR', 'send'],
      ['MBX-PAR', 'deliver'],
    ]);
  });

  it('R117 an InternalRelay domain with no connector of its own loops Mailbox → Edge → Mailbox: reported as a routing loop', () => {
    const d = plan1(withEdge(), 'MBX-PAR', 'someone@legacy.contoso.com');
    expect(d).toMatchObject({ status: 'unreachable', connector: 'EdgeSync - Paris to Internet', reason: { enhancedCode: '4.4.6' } });
    expect(d.hops.map((h) => [h.server, h.action])).toEqual([
      ['MBX-PAR', 'relay'],
      ['EDGE-PAR', 'send'],
    ]);
  });

  it('R61 with its own smart-host connector the InternalRelay domain leaves the organization', () => {
    const d = plan1(withEdge([{ name: 'To Legacy', addressSpaces: ['legacy.contoso.com'], sourceTransportServers: ['MBX-PAR'], dnsRoutingEnabled: false, smartHosts: ['notes.legacy.contoso.com'] }]), 'MBX-PAR', 'someone@legacy.contoso.com');
    expect(d).toMatchObject({ status: 'routed', connector: 'To Legacy', deliveryType: 'SmartHostConnectorDelivery' });
  });
});
