import { describe, expect, it } from 'vitest';
import { selectReceiveConnector, type InboundSession } from '../../../src/core/policy/receive-connector-selection.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const base = {
  sites: [{ name: 'Paris' }],
  acceptedDomains: [contosoDomain],
};

function select(t: ReturnType<typeof topology>, session: Omit<InboundSession, 'server'> & { server?: string }) {
  return selectReceiveConnector(t.receiveConnectors, t.servers, { server: 'MBX-PAR', ...session });
}

function reasonOf(result: ReturnType<typeof select>, name: string) {
  return result.losers.find((l) => l.connector.name === name)?.reason;
}

describe('receive connector selection (R30–R33)', () => {
  const defaults = topology({ ...base, servers: [mailbox('MBX-PAR', 'Paris', { addresses: ['10.1.0.11'] })] });

  it('R30 the port picks the listener: port 25 → Default Frontend, 2525 → Default, 587 → Client Frontend', () => {
    expect(select(defaults, { port: 25, remoteAddress: '203.0.113.9' }).selected?.connector.name).toBe('Default Frontend MBX-PAR');
    expect(select(defaults, { port: 2525, remoteAddress: '10.1.0.12' }).selected?.connector.name).toBe('Default MBX-PAR');
    expect(select(defaults, { port: 587, remoteAddress: '198.51.100.7' }).selected?.connector.name).toBe('Client Frontend MBX-PAR');
    const r = select(defaults, { port: 25, remoteAddress: '203.0.113.9' });
    expect(r.service).toBe('FrontendTransport');
    expect(reasonOf(r, 'Default MBX-PAR')?.kind).toBe('portNotBound');
    // every other connector of the server is listed once, with a reason
    expect(r.losers).toHaveLength(defaults.receiveConnectors.filter((c) => c.server === 'MBX-PAR').length - 1);
  });

  it('R30 an IPv6 client matches the [::] binding of the default connectors', () => {
    const r = select(defaults, { port: 25, remoteAddress: '2001:db8::25' });
    expect(r.selected?.connector.name).toBe('Default Frontend MBX-PAR');
    expect(r.selected?.binding).toBe('[::]:25');
  });

  it('R30 a disabled connector never takes the session', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris')],
      receiveConnectors: [{ name: 'Relay', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.5.0.0/16'], permissionGroups: ['AnonymousUsers'], enabled: false }],
    });
    const r = select(t, { port: 25, remoteAddress: '10.5.1.1' });
    expect(r.selected?.connector.name).toBe('Default Frontend MBX-PAR');
    expect(reasonOf(r, 'Relay')?.kind).toBe('disabled');
  });

  it('R30 remote ranges must contain the client', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris')],
      receiveConnectors: [{ name: 'Relay', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.5.0.0/16'], permissionGroups: ['AnonymousUsers'] }],
    });
    const r = select(t, { port: 25, remoteAddress: '10.6.0.1' });
    expect(r.selected?.connector.name).toBe('Default Frontend MBX-PAR');
    expect(reasonOf(r, 'Relay')).toMatchObject({ kind: 'remoteRangeMismatch' });
    expect(reasonOf(r, 'Relay')?.text).toContain('10.6.0.1');
  });

  it('R30 only the service owning the listener is consulted: a HubTransport connector on another port of the same range loses', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris', { addresses: ['10.1.0.11', '10.1.0.12'] })],
      receiveConnectors: [
        // the Transport service on the second address, port 25 (the FET has 0.0.0.0:25: V20 would flag this)
        { name: 'Hub on .12', server: 'MBX-PAR', transportRole: 'HubTransport', bindings: ['10.1.0.12:25'], remoteIPRanges: ['10.9.9.9'], permissionGroups: ['ExchangeServers'] },
      ],
    });
    const onFirst = select(t, { port: 25, localAddress: '10.1.0.11', remoteAddress: '10.9.9.9' });
    expect(onFirst.selected?.connector.name).toBe('Default Frontend MBX-PAR');
    expect(reasonOf(onFirst, 'Hub on .12')?.kind).toBe('addressNotBound');
    const onSecond = select(t, { port: 25, localAddress: '10.1.0.12', remoteAddress: '10.9.9.9' });
    expect(onSecond.service).toBe('HubTransport');
    expect(onSecond.selected?.connector.name).toBe('Hub on .12');
    expect(reasonOf(onSecond, 'Default Frontend MBX-PAR')?.kind).toBe('otherService');
  });

  describe('R31 the documented three-connector example', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris', { defaultReceiveConnectors: false })],
      receiveConnectors: [
        { name: 'All', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['0.0.0.0-255.255.255.255'], permissionGroups: ['AnonymousUsers'] },
        { name: 'Subnet', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['192.168.1.0-192.168.1.255'], permissionGroups: ['AnonymousUsers'] },
        { name: 'One host', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['192.168.1.75'], permissionGroups: ['AnonymousUsers'] },
      ],
    });
    it.each([
      ['192.168.1.75', 'One host'],
      ['192.168.1.100', 'Subnet'],
      ['172.16.0.1', 'All'],
    ])('R31 client %s gets %s', (client, expected) => {
      const r = select(t, { port: 25, remoteAddress: client });
      expect(r.selected?.connector.name).toBe(expected);
      const others = r.losers.filter((l) => ['All', 'Subnet', 'One host'].includes(l.connector.name));
      expect(others).toHaveLength(2);
      for (const l of others) expect(['lessSpecificRange', 'remoteRangeMismatch']).toContain(l.reason.kind);
    });
    it('R31 the loser says which range beat it', () => {
      const r = select(t, { port: 25, remoteAddress: '192.168.1.75' });
      expect(reasonOf(r, 'All')).toMatchObject({ kind: 'lessSpecificRange' });
      expect(reasonOf(r, 'Subnet')?.text).toContain('192.168.1.75');
    });
  });

  it('R32/A5 on equal ranges an exact-address binding beats the wildcard', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris', { addresses: ['10.1.0.11'], defaultReceiveConnectors: false })],
      receiveConnectors: [
        { name: 'Wild', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.5.0.0/16'], permissionGroups: ['AnonymousUsers'] },
        { name: 'Exact', server: 'MBX-PAR', bindings: ['10.1.0.11:25'], remoteIPRanges: ['10.5.0.0/16'], permissionGroups: ['AnonymousUsers'] },
      ],
    });
    const r = select(t, { port: 25, remoteAddress: '10.5.3.3' });
    expect(r.selected?.connector.name).toBe('Exact');
    expect(reasonOf(r, 'Wild')?.kind).toBe('wildcardBinding');
    // With another local address, only the wildcard listens there.
    const other = select(t, { port: 25, localAddress: '10.1.0.99', remoteAddress: '10.5.3.3' });
    expect(other.selected?.connector.name).toBe('Wild');
    expect(reasonOf(other, 'Exact')?.kind).toBe('addressNotBound');
  });

  it('R32/V21 a full tie selects nobody and closes with 421 4.3.2', () => {
    const t = topology({
      ...base,
      servers: [mailbox('MBX-PAR', 'Paris', { defaultReceiveConnectors: false })],
      receiveConnectors: [
        { name: 'A', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.5.0.0/16'], permissionGroups: ['AnonymousUsers'] },
        { name: 'B', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.5.0.0-10.5.255.255'], permissionGroups: ['AnonymousUsers'] },
      ],
    });
    const r = select(t, { port: 25, remoteAddress: '10.5.0.1' });
    expect(r.selected).toBeUndefined();
    expect(r.losers.filter((l) => ['A', 'B'].includes(l.connector.name)).map((l) => l.reason.kind)).toEqual(['ambiguous', 'ambiguous']);
    expect(r.refusal).toMatchObject({ code: 421, enhancedCode: '4.3.2' });
  });

  it('R33 no connector: an IPv6 client of the Edge default (0.0.0.0:25 only) gets 421 4.3.2 Service not available', () => {
    const t = topology({ ...base, servers: [{ name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }] });
    const r = selectReceiveConnector(t.receiveConnectors, t.servers, { server: 'EDGE', port: 25, remoteAddress: '2001:db8::1' });
    expect(r.selected).toBeUndefined();
    expect(r.refusal).toEqual({ code: 421, enhancedCode: '4.3.2', text: 'Service not available' });
    expect(r.losers[0]?.reason).toMatchObject({ kind: 'addressNotBound' });
    expect(r.losers[0]?.reason.text).toContain('IPv4 only');
  });

  it('R33 a port nobody listens on', () => {
    const r = select(defaults, { port: 2626, remoteAddress: '203.0.113.9' });
    expect(r.selected).toBeUndefined();
    expect(r.service).toBeUndefined();
    expect(r.refusal?.code).toBe(421);
  });
});
