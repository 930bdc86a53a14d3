import { describe, expect, it } from 'vitest';
import { findingsOf, pathsOf, rule, withBase } from './fixture.js';

const connectors = (...list: Record<string, unknown>[]) =>
  withBase({ receiveConnectors: list.map((c, i) => ({ name: `RC${i}`, server: 'EX01', permissionGroups: ['ExchangeServers'], remoteIPRanges: ['10.9.0.0/16'], ...c })) });

describe('V20 one IP:port per service (R17, A17)', () => {
  it('V20 flags a Transport connector on the Front End port 25 (wildcard against the default wildcard)', () => {
    const found = rule(connectors({ transportRole: 'HubTransport', bindings: ['0.0.0.0:25'] }), 'V20');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.bindings.0']);
    expect(found[0]!.message).toContain('Default Frontend EX01');
  });

  it('V20 flags a specific address against a wildcard of the other service on the same port (A17)', () => {
    expect(pathsOf(connectors({ transportRole: 'HubTransport', bindings: ['10.1.0.11:25'] }), 'V20')).toEqual(['receiveConnectors[0].bindings[0]']);
  });

  it('V20 accepts the other service on another port, and an IPv6 wildcard against an IPv4 one', () => {
    expect(rule(connectors({ transportRole: 'HubTransport', bindings: ['0.0.0.0:2526'] }), 'V20')).toEqual([]);
    const config = withBase({
      servers: [{ name: 'EX03', site: 'Paris', defaultReceiveConnectors: false }],
      receiveConnectors: [
        { name: 'A', server: 'EX03', transportRole: 'FrontendTransport', bindings: ['0.0.0.0:25'], permissionGroups: ['AnonymousUsers'] },
        { name: 'B', server: 'EX03', transportRole: 'HubTransport', bindings: ['[::]:25'], permissionGroups: ['ExchangeServers'] },
      ],
    });
    expect(rule(config, 'V20')).toEqual([]);
  });

  it('V20 ignores disabled connectors, which listen nowhere', () => {
    expect(rule(connectors({ transportRole: 'HubTransport', bindings: ['0.0.0.0:25'], enabled: false }), 'V20')).toEqual([]);
  });
});

describe('V21 identical binding and remote range (R32)', () => {
  it('V21 flags a new connector on 0.0.0.0:25 with the default remote ranges (same as Default Frontend)', () => {
    const found = rule(connectors({ bindings: ['0.0.0.0:25'], remoteIPRanges: undefined }), 'V21');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.remoteIPRanges.0']);
    expect(found[0]!.severity).toBe('error');
  });

  it('V21 flags two listed connectors of one service sharing a binding and a range', () => {
    const config = connectors({ bindings: ['10.1.0.11:2526'], remoteIPRanges: ['10.9.0.0/16'] }, { bindings: ['10.1.0.11:2526'], remoteIPRanges: ['10.8.0.1', '10.9.0.0-10.9.255.255'] });
    expect(pathsOf(config, 'V21')).toEqual(['receiveConnectors[1].remoteIPRanges[1]']);
  });

  it('V21 accepts the same ranges on different servers, or on different bindings', () => {
    const a = { bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.0/16'] };
    expect(rule(connectors(a, { ...a, server: 'EX02' }), 'V21')).toEqual([]);
    expect(rule(connectors(a, { ...a, bindings: ['0.0.0.0:2527'] }), 'V21')).toEqual([]);
  });

  it('V21 accepts a nested range on the shared binding (the contoso relay pattern)', () => {
    expect(findingsOf(connectors({ bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.1.5.0/24'], permissionGroups: ['AnonymousUsers'] }))).toEqual([]);
  });
});

describe('V22 partial overlap on one binding (R34)', () => {
  it('V22 flags ranges that overlap without one containing the other', () => {
    const config = connectors({ bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.0/24'] }, { bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.128-10.9.1.10'] });
    const found = rule(config, 'V22');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.1.remoteIPRanges.0']);
    expect(found[0]!.message).toContain('10.9.0.0/24');
  });

  it('V22 accepts disjoint and nested ranges', () => {
    const config = connectors(
      { bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.0/24'] },
      { bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.1.0/24'] },
      { bindings: ['0.0.0.0:2526'], remoteIPRanges: ['10.9.0.7'] },
    );
    expect(rule(config, 'V22')).toEqual([]);
  });
});
