import { describe, expect, it } from 'vitest';
import { mailbox, plan1, twoSites } from './fixtures.js';

const proxied = (extra: Record<string, unknown> = {}) =>
  twoSites({
    servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-PAR2', 'Paris'), mailbox('MBX-LYO', 'Lyon')],
    sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'], frontendProxyEnabled: true, ...extra }],
  });

describe('R109 FrontendProxyEnabled', () => {
  it('R109 selects and queues as usual (DnsConnectorDelivery on the source), then goes out through the FET on port 717', () => {
    const d = plan1(proxied(), 'MBX-PAR', 'x@fabrikam.com');
    expect(d).toMatchObject({ status: 'routed', connector: 'Out', deliveryType: 'DnsConnectorDelivery', nextHop: { domain: 'fabrikam.com' } });
    expect(d.hops.map((h) => [h.server, h.action, h.target])).toEqual([
      ['MBX-PAR', 'relay', 'MBX-PAR:717'],
      ['MBX-PAR', 'send', d.hops[1]!.target],
    ]);
    expect(d.hops[0]!.note).toMatch(/Outbound Proxy Frontend of a Mailbox server of the site \(MBX-PAR, MBX-PAR2\)/);
  });

  it('R109 a remote categorizer relays to the source server first; the proxy is in the source server\'s site', () => {
    const d = plan1(proxied(), 'MBX-LYO', 'x@fabrikam.com');
    expect(d.hops.map((h) => [h.server, h.action])).toEqual([
      ['MBX-LYO', 'relay'],
      ['MBX-PAR', 'relay'],
      ['MBX-PAR', 'send'],
    ]);
  });

  it('R109 without frontendProxyEnabled the source server connects out itself', () => {
    const d = plan1(proxied({ frontendProxyEnabled: false }), 'MBX-PAR', 'x@fabrikam.com');
    expect(d.hops.map((h) => [h.server, h.action])).toEqual([['MBX-PAR', 'send']]);
  });
});
