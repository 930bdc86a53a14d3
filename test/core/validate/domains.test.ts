import { describe, expect, it } from 'vitest';
import { base, pathsOf, rule, withBase } from './fixture.js';

describe('accepted domains (R61–R63)', () => {
  it('V40 flags an embedded wildcard, a bare "*", a non-domain and a name above 256 characters', () => {
    const long = `${'a'.repeat(60)}.`.repeat(5) + 'com';
    const config = withBase({
      acceptedDomains: [
        { domainName: 'a.*.contoso.com', domainType: 'InternalRelay' },
        { domainName: '*', domainType: 'ExternalRelay' },
        { domainName: 'not a domain', domainType: 'InternalRelay' },
        { domainName: long, domainType: 'InternalRelay' },
      ],
    });
    expect(pathsOf(config, 'V40')).toEqual(['acceptedDomains[1].domainName', 'acceptedDomains[2].domainName', 'acceptedDomains[3].domainName', 'acceptedDomains[4].domainName']);
  });

  it('V40 accepts a leading wildcard', () => {
    expect(rule(withBase({ acceptedDomains: [{ domainName: '*.fabrikam.com' }] }), 'V40')).toEqual([]);
  });

  it('V41 flags no default domain, and a second default', () => {
    const none = base();
    none.acceptedDomains = [{ domainName: 'contoso.com' }];
    expect(pathsOf(none, 'V41')).toEqual(['acceptedDomains']);
    const empty = base();
    empty.acceptedDomains = [];
    empty.recipients = {};
    expect(rule(empty, 'V41')[0]!.message).toContain('no accepted domain');
    expect(pathsOf(withBase({ acceptedDomains: [{ domainName: 'fabrikam.com', default: true }] }), 'V41')).toEqual(['acceptedDomains[1].default']);
  });

  it('V41 accepts exactly one default', () => {
    expect(rule(withBase({ acceptedDomains: [{ domainName: 'fabrikam.com' }] }), 'V41')).toEqual([]);
  });

  it('accepted-domain-overlap flags the same domain twice and *.x next to x with matchSubDomains', () => {
    const config = withBase({
      acceptedDomains: [
        { name: 'Contoso again', domainName: 'CONTOSO.com' },
        { domainName: '*.fabrikam.com' },
        { domainName: 'fabrikam.com', matchSubDomains: true },
      ],
    });
    expect(pathsOf(config, 'accepted-domain-overlap')).toEqual(['acceptedDomains[1].domainName', 'acceptedDomains[3].domainName']);
  });

  it('accepted-domain-overlap accepts nested domains (the most specific wins, R62)', () => {
    const config = withBase({ acceptedDomains: [{ domainName: '*.contoso.com' }, { domainName: 'sales.contoso.com', domainType: 'InternalRelay' }] });
    expect(rule(config, 'accepted-domain-overlap')).toEqual([]);
  });
});

describe('relay domains need a send connector (R61)', () => {
  /** No `*` connector: only what each test adds. */
  const org = (domains: unknown[], connectors: unknown[] = []) => {
    const config = withBase({ acceptedDomains: domains });
    config.sendConnectors = connectors as never;
    return config;
  };
  const smartHost = (space: string) => ({ name: `To ${space}`, addressSpaces: [space], sourceTransportServers: ['EX01'], dnsRoutingEnabled: false, smartHosts: ['relay.contoso.com'] });

  it('V42 flags an ExternalRelay domain that no connector serves', () => {
    const found = rule(org([{ domainName: 'fabrikam.com', domainType: 'ExternalRelay' }]), 'V42');
    expect(found.map((f) => [f.path.join('.'), f.severity])).toEqual([['acceptedDomains.1.domainType', 'warning']]);
  });

  it('V42 accepts an ExternalRelay domain served by a connector, including a wildcard one', () => {
    expect(rule(org([{ domainName: 'fabrikam.com', domainType: 'ExternalRelay' }], [smartHost('*.fabrikam.com')]), 'V42')).toEqual([]);
  });

  it('V42 does not count a disabled connector or a smart-host connector without smart hosts', () => {
    const disabled = { ...smartHost('fabrikam.com'), enabled: false };
    expect(pathsOf(org([{ domainName: 'fabrikam.com', domainType: 'ExternalRelay' }], [disabled]), 'V42')).toEqual(['acceptedDomains[1].domainType']);
  });

  it('V43 flags an InternalRelay domain that no connector serves (the Edge inbound connector does not count)', () => {
    const config = org([{ domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }]);
    config.servers = [...config.servers!, { name: 'EDGE01', role: 'Edge' }];
    config.edgeSubscriptions = [{ edgeServer: 'EDGE01', site: 'Paris', createInternetSendConnector: false }];
    expect(pathsOf(config, 'V43')).toEqual(['acceptedDomains[1].domainType']);
  });

  it('V43 flags an InternalRelay domain whose only way out is the Edge Internet connector: it bounces back by the Inbound one (R117)', () => {
    const config = org([{ domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }]);
    config.servers = [...config.servers!, { name: 'EDGE01', role: 'Edge' }];
    config.edgeSubscriptions = [{ edgeServer: 'EDGE01', site: 'Paris' }];
    const found = rule(config, 'V43');
    expect(found.map((f) => f.path.join('.'))).toEqual(['acceptedDomains.1.domainType']);
    expect(found[0]!.message).toMatch(/EdgeSync - Paris to Internet.*Inbound connector \(R117\)/);
  });

  it('V43 accepts the same Edge setup once the InternalRelay domain has its own connector', () => {
    const config = org([{ domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }], [smartHost('legacy.contoso.com')]);
    config.servers = [...config.servers!, { name: 'EDGE01', role: 'Edge' }];
    config.edgeSubscriptions = [{ edgeServer: 'EDGE01', site: 'Paris' }];
    expect(rule(config, 'V43')).toEqual([]);
  });

  it('V43 accepts an InternalRelay domain reached by a "*" connector or its own smart host', () => {
    expect(rule(withBase({ acceptedDomains: [{ domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }] }), 'V43')).toEqual([]);
    expect(rule(org([{ domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }], [smartHost('legacy.contoso.com')]), 'V43')).toEqual([]);
  });
});

describe('V30 address space syntax (raised by the schema, R100)', () => {
  it('V30 flags an embedded wildcard and a cost above 100', () => {
    const config = withBase({ sendConnectors: [{ name: 'Bad', addressSpaces: ['*contoso.com', 'fabrikam.com;101'], sourceTransportServers: ['EX01'] }] });
    expect(pathsOf(config, 'V30')).toEqual(['sendConnectors[1].addressSpaces[0]', 'sendConnectors[1].addressSpaces[1]']);
  });

  it('V30 accepts *.contoso.com;10', () => {
    expect(rule(withBase({ sendConnectors: [{ name: 'Good', addressSpaces: ['SMTP:*.fabrikam.com;10'], sourceTransportServers: ['EX01'] }] }), 'V30')).toEqual([]);
  });
});
