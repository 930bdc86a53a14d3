import { describe, expect, it } from 'vitest';
import { base, findingsOf, mailbox, pathsOf, rule, withBase } from './fixture.js';

describe('base fixture', () => {
  it('V1–V45 accept the base fixture: no findings at all (every test below changes one thing)', () => {
    expect(findingsOf(base())).toEqual([]);
  });
});

describe('V1 unique names', () => {
  it('V1 flags two sites whose names differ only in case', () => {
    expect(pathsOf(withBase({ sites: [{ name: 'paris' }] }), 'V1')).toEqual(['sites[2].name']);
  });

  it('V1 accepts sites with different names', () => {
    expect(rule(withBase({ sites: [{ name: 'Nice' }] }), 'V1')).toEqual([]);
  });

  it('V1 flags duplicate servers, DAGs, databases and send connectors', () => {
    const config = withBase({
      servers: [mailbox('ex01', 'Lyon')],
      databaseAvailabilityGroups: [{ name: 'DAG1' }, { name: 'Dag1' }],
      mailboxDatabases: [{ name: 'db01', masterServerOrAvailabilityGroup: 'EX02' }],
      sendConnectors: [{ name: 'TO INTERNET', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['EX02'] }],
    });
    expect(pathsOf(config, 'V1')).toEqual(['servers[2].name', 'databaseAvailabilityGroups[1].name', 'mailboxDatabases[1].name', 'sendConnectors[1].name']);
  });

  it('V1 flags a DAG named like a server (masterServerOrAvailabilityGroup becomes ambiguous)', () => {
    expect(pathsOf(withBase({ databaseAvailabilityGroups: [{ name: 'EX02' }] }), 'V1')).toEqual(['databaseAvailabilityGroups[0].name']);
  });

  it('V1 flags two receive connectors of one name on the same server', () => {
    const rc = { name: 'Relay', server: 'EX01', bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.1'], permissionGroups: ['ExchangeServers'] };
    const config = withBase({ receiveConnectors: [rc, { ...rc, name: 'relay', bindings: ['0.0.0.0:2527'] }] });
    const found = rule(config, 'V1');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.1.name']);
    expect(found[0]!.message).toContain('on server EX01');
  });

  it('V1 accepts receive connectors of one name on different servers', () => {
    const rc = { name: 'Relay', bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.1'], permissionGroups: ['ExchangeServers'] };
    expect(rule(withBase({ receiveConnectors: [{ ...rc, server: 'EX01' }, { ...rc, server: 'EX02' }] }), 'V1')).toEqual([]);
  });

  it('V1 accepts a listed connector that replaces a default receive connector by name', () => {
    const config = withBase({
      receiveConnectors: [{ name: 'Default Frontend EX01', server: 'EX01', bindings: ['0.0.0.0:25'], permissionGroups: ['AnonymousUsers'] }],
    });
    expect(rule(config, 'V1')).toEqual([]);
  });

  it('V1 flags a listed connector named like the implicit Mailbox delivery connector', () => {
    const config = withBase({
      receiveConnectors: [{ name: 'Mailbox delivery Receive connector EX01', server: 'EX01', bindings: ['0.0.0.0:2600'], permissionGroups: ['ExchangeServers'] }],
    });
    const found = rule(config, 'V1');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.name']);
    expect(found[0]!.message).toContain('implicit Mailbox delivery connector');
  });

  it('V1 flags a send connector named like the one an Edge subscription creates', () => {
    const config = withBase({
      servers: [{ name: 'EDGE01', role: 'Edge' }],
      edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }],
      sendConnectors: [{ name: 'EdgeSync - Paris to Internet', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['EX01'] }],
    });
    expect(pathsOf(config, 'V1')).toEqual(['sendConnectors[1].name']);
  });

  it('V1 flags two accepted domains given the same name', () => {
    const config = withBase({ acceptedDomains: [{ name: 'contoso.com', domainName: 'fabrikam.com', domainType: 'ExternalRelay' }] });
    expect(pathsOf(config, 'V1')).toEqual(['acceptedDomains[1].name']);
  });

  it('V1 leaves a repeated domain without names to accepted-domain-overlap', () => {
    const config = withBase({ acceptedDomains: [{ domainName: 'contoso.com' }] });
    expect(rule(config, 'V1')).toEqual([]);
    expect(pathsOf(config, 'accepted-domain-overlap')).toEqual(['acceptedDomains[1].domainName']);
  });

  it('V1 findings carry the catalogue severity and a hint', () => {
    const [f] = rule(withBase({ sites: [{ name: 'PARIS' }] }), 'V1');
    expect(f!.severity).toBe('error');
    expect(f!.hint).toMatch(/rename/);
  });
});
