import { describe, expect, it } from 'vitest';
import { contosoDomain, load, mailbox, topology } from '../../helpers/topology.js';
import { ALL_IPV4, ALL_IPV6 } from '../../../src/core/model/ip-range.js';

const base = {
  sites: [{ name: 'Paris' }, { name: 'Lyon' }],
  siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 }],
  servers: [mailbox('EX01', 'Paris'), mailbox('EX02', 'Lyon'), { name: 'EDGE01', role: 'Edge' as const, fqdn: 'edge01.contoso.com' }],
  acceptedDomains: [contosoDomain, { domainName: 'legacy.contoso.com', domainType: 'InternalRelay' as const }, { domainName: 'partner.example', domainType: 'ExternalRelay' as const }],
};

const receive = (t: ReturnType<typeof topology>, server: string) => t.receiveConnectors.filter((c) => c.server === server);

describe('default receive connectors (R20–R23)', () => {
  const t = topology(base);

  it('R20 gives each Mailbox server the five default connectors, named with the server', () => {
    expect(receive(t, 'EX01').map((c) => c.name)).toEqual([
      'Default Frontend EX01',
      'Client Frontend EX01',
      'Outbound Proxy Frontend EX01',
      'Default EX01',
      'Client Proxy EX01',
      'Mailbox delivery Receive connector EX01',
    ]);
  });

  it('R20 sets role, bindings, ranges, auth and permission groups as Exchange does', () => {
    const byName = new Map(receive(t, 'EX01').map((c) => [c.name, c]));
    const frontend = byName.get('Default Frontend EX01')!;
    expect(frontend).toMatchObject({
      transportRole: 'FrontendTransport',
      bindings: ['0.0.0.0:25', '[::]:25'],
      remoteIPRanges: [ALL_IPV4, ALL_IPV6],
      authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'Integrated'],
      permissionGroups: ['AnonymousUsers', 'ExchangeLegacyServers', 'ExchangeServers'],
      protocolLoggingLevel: 'Verbose',
      fqdn: 'ex01.contoso.com',
    });
    expect(byName.get('Client Frontend EX01')).toMatchObject({ bindings: ['0.0.0.0:587', '[::]:587'], permissionGroups: ['ExchangeUsers'] });
    expect(byName.get('Outbound Proxy Frontend EX01')).toMatchObject({ bindings: ['0.0.0.0:717', '[::]:717'], permissionGroups: ['ExchangeServers'] });
    expect(byName.get('Default EX01')).toMatchObject({ transportRole: 'HubTransport', bindings: ['0.0.0.0:2525', '[::]:2525'], permissionGroups: ['ExchangeLegacyServers', 'ExchangeServers', 'ExchangeUsers'] });
    expect(byName.get('Client Proxy EX01')).toMatchObject({ transportRole: 'HubTransport', bindings: ['0.0.0.0:465', '[::]:465'], permissionGroups: ['ExchangeServers', 'ExchangeUsers'] });
  });

  it('R21 adds the implicit Mailbox delivery connector on port 475', () => {
    const delivery = receive(t, 'EX01').find((c) => c.name.startsWith('Mailbox delivery'))!;
    expect(delivery).toMatchObject({ transportRole: 'MailboxDelivery', bindings: ['0.0.0.0:475', '[::]:475'], authMechanism: ['ExchangeServer'], origin: { kind: 'implicit' } });
  });

  it('R22 gives an Edge server one IPv4-only connector', () => {
    expect(receive(t, 'EDGE01')).toHaveLength(1);
    expect(receive(t, 'EDGE01')[0]).toMatchObject({
      name: 'Default internal receive connector EDGE01',
      transportRole: 'Edge',
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: [ALL_IPV4],
      authMechanism: ['Tls', 'ExchangeServer'],
      permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Partners'],
      messageRateLimit: 600,
      connectionTimeout: 5 * 60_000,
      connectionInactivityTimeout: 60_000,
    });
  });

  it('R23 applies the limits that differ per default connector and the shared ones', () => {
    const byName = new Map(receive(t, 'EX01').map((c) => [c.name, c]));
    expect(byName.get('Default EX01')).toMatchObject({ maxRecipientsPerMessage: 5000, maxInboundConnectionPerSource: 'unlimited', maxInboundConnectionPercentagePerSource: 100, messageRateLimit: 'unlimited' });
    expect(byName.get('Client Proxy EX01')).toMatchObject({ maxRecipientsPerMessage: 200, maxInboundConnectionPerSource: 20, messageRateLimit: 5 });
    expect(byName.get('Client Frontend EX01')).toMatchObject({ messageRateLimit: 5 });
    expect(byName.get('Default Frontend EX01')).toMatchObject({
      messageRateLimit: 'unlimited',
      maxMessageSize: 36 * 1024 * 1024,
      maxHeaderSize: 256 * 1024,
      maxHopCount: 30,
      maxLocalHopCount: 8,
      maxInboundConnection: 5000,
      maxLogonFailures: 3,
      maxProtocolErrors: 5,
      tarpitInterval: 5000,
      connectionTimeout: 10 * 60_000,
      connectionInactivityTimeout: 5 * 60_000,
    });
  });

  it('a listed connector with a default\'s name replaces it and keeps that default\'s unset settings', () => {
    const t2 = topology({ ...base, receiveConnectors: [{ name: 'Default EX01', server: 'EX01', maxMessageSize: '50MB' }] });
    const replaced = receive(t2, 'EX01').filter((c) => c.name === 'Default EX01');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatchObject({ maxMessageSize: 50 * 1024 * 1024, transportRole: 'HubTransport', bindings: ['0.0.0.0:2525', '[::]:2525'], maxRecipientsPerMessage: 5000, origin: { kind: 'config', path: ['receiveConnectors', 0] } });
  });

  it('defaultReceiveConnectors: false drops the defaults but not the implicit delivery connector', () => {
    const t2 = topology({ ...base, servers: [mailbox('EX01', 'Paris', { defaultReceiveConnectors: false }), mailbox('EX02', 'Lyon')] });
    expect(receive(t2, 'EX01').map((c) => c.name)).toEqual(['Mailbox delivery Receive connector EX01']);
  });

  it('R35 a listed connector takes its usage type\'s permission groups and auth when it does not set them', () => {
    const t2 = topology({
      ...base,
      receiveConnectors: [
        { name: 'Partners', server: 'EX01', usage: 'Partner', bindings: ['0.0.0.0:25'], remoteIPRanges: ['198.51.100.0/24'] },
        { name: 'Custom one', server: 'EX02', bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.0.0.1'] },
      ],
    });
    expect(t2.receiveConnectors.find((c) => c.name === 'Partners')).toMatchObject({ permissionGroups: ['Partners'], authMechanism: ['Tls'], transportRole: 'FrontendTransport', maxRecipientsPerMessage: 200 });
    expect(t2.receiveConnectors.find((c) => c.name === 'Custom one')).toMatchObject({ permissionGroups: [], authMechanism: ['Tls'] });
  });
});

describe('Edge subscription connectors (R116, R117)', () => {
  const t = topology({ ...base, edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }] });

  it('R116 creates "EdgeSync - <Site> to Internet" on SMTP:*;100 with DNS routing and domain security', () => {
    const internet = t.sendConnectors.find((c) => c.name === 'EdgeSync - Paris to Internet')!;
    expect(internet).toMatchObject({ addressSpaces: [{ type: 'SMTP', address: '*', cost: 100 }], sourceTransportServers: ['EDGE01'], dnsRoutingEnabled: true, domainSecureEnabled: true, origin: { kind: 'edgeSubscription' } });
  });

  it('R117 expands -- of "EdgeSync - Inbound to <Site>" to authoritative and internal relay domains and the site\'s Mailbox servers', () => {
    const inbound = t.sendConnectors.find((c) => c.name === 'EdgeSync - Inbound to Paris')!;
    expect(inbound.addressSpaces.map((a) => a.address)).toEqual(['contoso.com', 'legacy.contoso.com']);
    expect(inbound.smartHosts).toEqual(['ex01.contoso.com']);
    expect(inbound.dnsRoutingEnabled).toBe(false);
  });

  it('R118 gives the subscribed Edge its site affiliation', () => {
    expect(t.servers.find((s) => s.name === 'EDGE01')!.site).toBe('Paris');
  });

  it('R116 a second Edge in the same site becomes a source server of the same two connectors', () => {
    const t2 = topology({
      ...base,
      servers: [...base.servers, { name: 'EDGE02', role: 'Edge' as const }],
      edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }, { edgeServer: 'EDGE02', site: 'Paris', createInboundSendConnector: false }],
    });
    const edgeSync = t2.sendConnectors.filter((c) => c.edgeSync);
    expect(edgeSync.map((c) => [c.name, c.sourceTransportServers])).toEqual([
      ['EdgeSync - Paris to Internet', ['EDGE01', 'EDGE02']],
      ['EdgeSync - Inbound to Paris', ['EDGE01']],
    ]);
  });
});

describe('connector and transport service defaults (R110, A2, R160, R166)', () => {
  it('A2 a send connector defaults to 35MB, unlimited for usage Internal; Edge-sourced ones use external DNS', () => {
    const t = topology({
      ...base,
      sendConnectors: [
        { name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['EX01'] },
        { name: 'Inside', usage: 'Internal', addressSpaces: ['legacy.contoso.com'], sourceTransportServers: ['EX01'], dnsRoutingEnabled: false, smartHosts: ['10.0.0.5'] },
      ],
    });
    expect(t.sendConnectors[0]).toMatchObject({ maxMessageSize: 35 * 1024 * 1024, port: 25, dnsRoutingEnabled: true, isScopedConnector: false, useExternalDNSServersEnabled: false });
    expect(t.sendConnectors[1]!.maxMessageSize).toBe(Infinity);
  });

  it('R160 Mailbox and Edge servers get their own retry intervals; org-wide and per-server values override them (R166)', () => {
    const { topology: t } = load({
      ...base,
      transportService: { transientFailureRetryCount: 3 },
      servers: [mailbox('EX01', 'Paris', { transportService: { messageExpirationTimeout: '1.00:00:00' } }), { name: 'EDGE01', role: 'Edge' }],
    });
    const ex01 = t.servers.find((s) => s.name === 'EX01')!.transportService;
    const edge = t.servers.find((s) => s.name === 'EDGE01')!.transportService;
    expect(ex01).toMatchObject({ transientFailureRetryCount: 3, transientFailureRetryInterval: 5 * 60_000, outboundConnectionFailureRetryInterval: 10 * 60_000, messageExpirationTimeout: 86_400_000 });
    expect(edge).toMatchObject({ transientFailureRetryCount: 3, transientFailureRetryInterval: 10 * 60_000, outboundConnectionFailureRetryInterval: 30 * 60_000, messageExpirationTimeout: 2 * 86_400_000 });
  });

  it('R61 Recipient Lookup defaults on for Authoritative domains only; the name defaults to the domain', () => {
    const t = topology(base);
    expect(t.acceptedDomains.map((d) => [d.name, d.addressBookEnabled])).toEqual([
      ['contoso.com', true],
      ['legacy.contoso.com', false],
      ['partner.example', false],
    ]);
  });
});
