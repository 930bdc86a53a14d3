import { describe, expect, it } from 'vitest';
import { base, findingsOf, mailbox, pathsOf, rule, withBase } from './fixture.js';

/** A smart-host connector to a partner, valid as it stands; `extra` changes it. */
const partner = (extra: Record<string, unknown> = {}) =>
  withBase({
    sendConnectors: [{ name: 'To Fabrikam', addressSpaces: ['SMTP:fabrikam.com;1'], sourceTransportServers: ['EX02'], dnsRoutingEnabled: false, smartHosts: ['mail.fabrikam.com'], ...extra }],
  });
const edgeOrg = (connector: Record<string, unknown>) =>
  withBase({
    servers: [{ name: 'EDGE01', role: 'Edge' }],
    edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }],
    sendConnectors: [{ name: 'Edge partner', sourceTransportServers: ['EDGE01'], ...connector }],
  });

describe('send connector TLS (R108)', () => {
  it('V31–V39 accept the partner fixture: no findings', () => {
    expect(findingsOf(partner())).toEqual([]);
  });

  it('V31 flags requireTLS with ignoreSTARTTLS', () => {
    expect(pathsOf(partner({ requireTLS: true, ignoreSTARTTLS: true }), 'V31')).toEqual(['sendConnectors[1].requireTLS']);
  });

  it('V31 accepts requireTLS alone', () => {
    expect(rule(partner({ requireTLS: true }), 'V31')).toEqual([]);
  });

  it('V35 flags tlsAuthLevel without requireTLS, tlsDomain without DomainValidation and tlsDomain "*"', () => {
    expect(pathsOf(partner({ tlsAuthLevel: 'CertificateValidation' }), 'V35')).toEqual(['sendConnectors[1].tlsAuthLevel']);
    expect(pathsOf(partner({ requireTLS: true, tlsAuthLevel: 'CertificateValidation', tlsDomain: 'fabrikam.com' }), 'V35')).toEqual(['sendConnectors[1].tlsDomain']);
    expect(pathsOf(partner({ requireTLS: true, tlsAuthLevel: 'DomainValidation', tlsDomain: '*' }), 'V35')).toEqual(['sendConnectors[1].tlsDomain']);
  });

  it('V35 accepts DomainValidation with requireTLS and a named tlsDomain', () => {
    expect(rule(partner({ requireTLS: true, tlsAuthLevel: 'DomainValidation', tlsDomain: 'mail.fabrikam.com' }), 'V35')).toEqual([]);
  });

  it('V36 flags domainSecureEnabled with smart hosts, with ignoreSTARTTLS, and on a wildcard space', () => {
    expect(pathsOf(partner({ domainSecureEnabled: true }), 'V36')).toEqual(['sendConnectors[1].domainSecureEnabled']);
    expect(pathsOf(partner({ domainSecureEnabled: true, dnsRoutingEnabled: true, smartHosts: [], ignoreSTARTTLS: true }), 'V36')).toEqual(['sendConnectors[1].domainSecureEnabled']);
    expect(pathsOf(partner({ domainSecureEnabled: true, dnsRoutingEnabled: true, smartHosts: [], addressSpaces: ['*.fabrikam.com'] }), 'V36')).toEqual(['sendConnectors[1].domainSecureEnabled']);
  });

  it('V36 accepts domainSecureEnabled on named domains with DNS routing, and the Edge subscription connector on *', () => {
    expect(rule(partner({ domainSecureEnabled: true, dnsRoutingEnabled: true, smartHosts: [] }), 'V36')).toEqual([]);
    expect(rule(withBase({ servers: [{ name: 'EDGE01', role: 'Edge' }], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }] }), 'V36')).toEqual([]);
  });

  it('smart-host-auth-tls flags BasicAuthRequireTLS with ignoreSTARTTLS', () => {
    const config = partner({ smartHostAuthMechanism: 'BasicAuthRequireTLS', authenticationCredential: { username: 'relay', passwordEnv: 'PW' }, ignoreSTARTTLS: true });
    expect(pathsOf(config, 'smart-host-auth-tls')).toEqual(['sendConnectors[1].ignoreSTARTTLS']);
  });

  it('smart-host-auth-tls accepts BasicAuth (no TLS needed) with ignoreSTARTTLS', () => {
    const config = partner({ smartHostAuthMechanism: 'BasicAuth', authenticationCredential: { username: 'relay', passwordEnv: 'PW' }, ignoreSTARTTLS: true });
    expect(rule(config, 'smart-host-auth-tls')).toEqual([]);
  });
});

describe('smart hosts and DNS routing (R46, R102, R107)', () => {
  it('V33 warns about smart hosts and their auth on a DNS-routed connector', () => {
    const found = rule(partner({ dnsRoutingEnabled: true, smartHostAuthMechanism: 'BasicAuth', authenticationCredential: { username: 'relay', passwordEnv: 'PW' } }), 'V33');
    expect(found.map((f) => [f.path.join('.'), f.severity])).toEqual([['sendConnectors.1.smartHosts', 'warning']]);
    expect(found[0]!.message).toContain('smartHosts, smartHostAuthMechanism and authenticationCredential are ignored');
  });

  it('V33 is an error for DNS routing off without smart hosts', () => {
    const found = rule(partner({ smartHosts: [] }), 'V33');
    expect(found.map((f) => [f.path.join('.'), f.severity])).toEqual([['sendConnectors.1.dnsRoutingEnabled', 'error']]);
  });

  it('V33 accepts a DNS-routed connector without smart hosts and a smart-host connector with them', () => {
    expect(rule(partner({ dnsRoutingEnabled: true, smartHosts: [] }), 'V33')).toEqual([]);
    expect(rule(partner(), 'V33')).toEqual([]);
  });

  it('V39 flags BasicAuth smart host auth without a credential', () => {
    expect(pathsOf(partner({ smartHostAuthMechanism: 'BasicAuthRequireTLS' }), 'V39')).toEqual(['sendConnectors[1].smartHostAuthMechanism']);
  });

  it('V39 accepts BasicAuth with a credential, and ExchangeServer auth without one', () => {
    expect(rule(partner({ smartHostAuthMechanism: 'BasicAuth', authenticationCredential: { username: 'relay', passwordEnv: 'PW' } }), 'V39')).toEqual([]);
    expect(rule(partner({ smartHostAuthMechanism: 'ExchangeServer' }), 'V39')).toEqual([]);
  });
});

describe('Edge and Mailbox connector settings (R100, R109, R117)', () => {
  it('V32 flags frontendProxyEnabled on an Edge-sourced connector', () => {
    expect(pathsOf(edgeOrg({ addressSpaces: ['fabrikam.com'], frontendProxyEnabled: true }), 'V32')).toEqual(['sendConnectors[1].frontendProxyEnabled']);
  });

  it('V32 accepts frontendProxyEnabled on a Mailbox-sourced connector', () => {
    expect(rule(partner({ frontendProxyEnabled: true }), 'V32')).toEqual([]);
  });

  it('V37 flags a non-SMTP address space with DNS routing and on an Edge connector', () => {
    expect(pathsOf(partner({ addressSpaces: ['X400:c=US;a= ;p=Fabrikam;1'], dnsRoutingEnabled: true, smartHosts: [] }), 'V37')).toEqual(['sendConnectors[1].addressSpaces']);
    expect(pathsOf(edgeOrg({ addressSpaces: ['X400:c=US;1'], dnsRoutingEnabled: false, smartHosts: ['gw.fabrikam.com'] }), 'V37')).toEqual(['sendConnectors[1].addressSpaces']);
  });

  it('V37 accepts a non-SMTP address space on a Mailbox smart-host connector', () => {
    expect(rule(partner({ addressSpaces: ['X400:c=US;a= ;p=Fabrikam;1'] }), 'V37')).toEqual([]);
  });

  it('V38 flags "--" on a Mailbox connector and "--" beside other entries on an Edge connector', () => {
    expect(pathsOf(partner({ addressSpaces: ['--'] }), 'V38')).toEqual(['sendConnectors[1].addressSpaces']);
    expect(pathsOf(edgeOrg({ addressSpaces: ['--', 'fabrikam.com'], dnsRoutingEnabled: true }), 'V38')).toEqual(['sendConnectors[1].addressSpaces']);
    expect(pathsOf(edgeOrg({ addressSpaces: ['fabrikam.com'], dnsRoutingEnabled: false, smartHosts: ['--', 'mail.fabrikam.com'] }), 'V38')).toEqual(['sendConnectors[1].smartHosts']);
  });

  it('V38 accepts "--" alone on an Edge connector', () => {
    expect(rule(edgeOrg({ addressSpaces: ['--'], dnsRoutingEnabled: false, smartHosts: ['--'] }), 'V38')).toEqual([]);
  });
});

describe('source servers (R103, R105, R110)', () => {
  it('V34 warns about an unscoped connector sourced in two sites', () => {
    const found = rule(partner({ sourceTransportServers: ['EX01', 'EX02'] }), 'V34');
    expect(found.map((f) => [f.path.join('.'), f.severity])).toEqual([['sendConnectors.1.sourceTransportServers', 'warning']]);
  });

  it('V34 accepts source servers of one site', () => {
    const config = withBase({ servers: [mailbox('EX03', 'Lyon')], sendConnectors: [{ name: 'To Fabrikam', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['EX02', 'EX03'] }] });
    expect(rule(config, 'V34')).toEqual([]);
  });

  it('scoped-multi-site warns about a scoped connector sourced in two sites (instead of V34)', () => {
    const config = partner({ sourceTransportServers: ['EX01', 'EX02'], isScopedConnector: true });
    expect(pathsOf(config, 'scoped-multi-site')).toEqual(['sendConnectors[1].sourceTransportServers']);
    expect(rule(config, 'V34')).toEqual([]);
  });

  it('scoped-multi-site accepts a scoped connector of one site', () => {
    expect(rule(partner({ isScopedConnector: true }), 'scoped-multi-site')).toEqual([]);
  });

  it('source-server-role flags a connector sourced on an Edge and a Mailbox server', () => {
    expect(pathsOf(edgeOrg({ addressSpaces: ['fabrikam.com'], sourceTransportServers: ['EDGE01', 'EX01'] }), 'source-server-role')).toEqual(['sendConnectors[1].sourceTransportServers']);
  });

  it('source-server-role accepts a connector sourced on Edge servers only', () => {
    expect(rule(edgeOrg({ addressSpaces: ['fabrikam.com'] }), 'source-server-role')).toEqual([]);
  });

  it('source-server-role leaves a Mailbox server subscribed like an Edge to edge-subscription-target', () => {
    const config = edgeOrg({ addressSpaces: ['fabrikam.com'] });
    config.edgeSubscriptions = [...config.edgeSubscriptions!, { edgeServer: 'EX01', site: 'Paris' }];
    expect(rule(config, 'source-server-role')).toEqual([]);
    expect(pathsOf(config, 'edge-subscription-target')).toEqual(['edgeSubscriptions[1].edgeServer']);
  });
});

describe('connector-above-org-limit for send connectors (R131)', () => {
  it('connector-above-org-limit flags a send connector limit above both organization limits', () => {
    expect(pathsOf(partner({ maxMessageSize: '100MB' }), 'connector-above-org-limit')).toEqual(['sendConnectors[1].maxMessageSize']);
  });

  it('connector-above-org-limit accepts a send connector limit below them', () => {
    expect(rule(partner({ maxMessageSize: '5MB' }), 'connector-above-org-limit')).toEqual([]);
  });
});

describe('ambiguous-connectors (R104, R103)', () => {
  const twin = (extra: Record<string, unknown>) => withBase({ sendConnectors: [{ name: 'Backup Internet', addressSpaces: ['SMTP:*;100'], sourceTransportServers: ['EX01'], ...extra }] });

  it('ambiguous-connectors warns about two connectors with the same space and cost in the same site', () => {
    const found = rule(twin({}), 'ambiguous-connectors');
    expect(found.map((f) => [f.path.join('.'), f.severity])).toEqual([['sendConnectors.1.addressSpaces.0', 'warning']]);
    // The name decides (R104c): "Backup Internet" sorts before "To Internet".
    expect(found[0]!.message).toContain('To Internet never carries it');
  });

  it('ambiguous-connectors accepts another cost, another site, or a disabled twin', () => {
    expect(rule(twin({ addressSpaces: ['SMTP:*;50'] }), 'ambiguous-connectors')).toEqual([]);
    expect(rule(twin({ sourceTransportServers: ['EX02'] }), 'ambiguous-connectors')).toEqual([]);
    expect(rule(twin({ sourceTransportServers: ['EX02'], isScopedConnector: true }), 'ambiguous-connectors')).toEqual([]);
    expect(rule(twin({ enabled: false }), 'ambiguous-connectors')).toEqual([]);
  });

  it('ambiguous-connectors warns about a written connector that duplicates the Edge subscription connector', () => {
    const config = withBase({ servers: [{ name: 'EDGE01', role: 'Edge' }], edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }] });
    expect(pathsOf(config, 'ambiguous-connectors')).toEqual(['sendConnectors[0].addressSpaces[0]']);
    expect(rule({ ...config, sendConnectors: base().sendConnectors!.map((c) => ({ ...c, sourceTransportServers: ['EX02'] })) }, 'ambiguous-connectors')).toEqual([]);
  });
});
