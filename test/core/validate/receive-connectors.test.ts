import { describe, expect, it } from 'vitest';
import { findingsOf, pathsOf, rule, withBase } from './fixture.js';

/** A relay connector for one subnet on EX01's own address: valid as it stands. */
const relay = (extra: Record<string, unknown> = {}) => withBase({
  receiveConnectors: [{ name: 'Relay', server: 'EX01', bindings: ['10.1.0.11:25'], remoteIPRanges: ['10.1.5.0/24'], permissionGroups: ['AnonymousUsers'], ...extra }],
});

describe('receive connector authentication (R45)', () => {
  it('V10–V23 accept the relay fixture: no findings', () => {
    expect(findingsOf(relay())).toEqual([]);
  });

  it('V10 flags None combined with another mechanism', () => {
    expect(pathsOf(relay({ authMechanism: ['None', 'Tls'] }), 'V10')).toEqual(['receiveConnectors[0].authMechanism']);
  });

  it('V10 accepts None alone', () => {
    expect(rule(relay({ authMechanism: ['None'] }), 'V10')).toEqual([]);
  });

  it('V11 flags BasicAuthRequireTLS without BasicAuth', () => {
    expect(pathsOf(relay({ authMechanism: ['Tls', 'BasicAuthRequireTLS'] }), 'V11')).toEqual(['receiveConnectors[0].authMechanism']);
  });

  it('V11 accepts BasicAuthRequireTLS with BasicAuth and Tls', () => {
    expect(rule(relay({ authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'] }), 'V11')).toEqual([]);
  });

  it('V12 flags ExternalAuthoritative with another mechanism, or without ExchangeServers', () => {
    expect(pathsOf(relay({ authMechanism: ['Tls', 'ExternalAuthoritative', 'BasicAuth'], permissionGroups: ['ExchangeServers'] }), 'V12')).toEqual(['receiveConnectors[0].authMechanism']);
    expect(pathsOf(relay({ authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['AnonymousUsers'] }), 'V12')).toEqual(['receiveConnectors[0].permissionGroups']);
  });

  it('V12 accepts ExternalAuthoritative with Tls and ExchangeServers', () => {
    expect(rule(relay({ authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] }), 'V12')).toEqual([]);
  });

  it('V13 flags requireTLS without Tls', () => {
    expect(pathsOf(relay({ requireTLS: true, authMechanism: ['None'] }), 'V13')).toEqual(['receiveConnectors[0].requireTLS']);
  });

  it('V13 accepts requireTLS with the default Tls mechanism', () => {
    expect(rule(relay({ requireTLS: true }), 'V13')).toEqual([]);
  });

  it('V14 flags domainSecureEnabled with ExternalAuthoritative or without Tls', () => {
    expect(pathsOf(relay({ domainSecureEnabled: true, authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] }), 'V14')).toEqual(['receiveConnectors[0].domainSecureEnabled']);
    expect(pathsOf(relay({ domainSecureEnabled: true, authMechanism: ['BasicAuth'] }), 'V14')).toEqual(['receiveConnectors[0].domainSecureEnabled']);
  });

  it('V14 accepts domainSecureEnabled with Tls', () => {
    expect(rule(relay({ domainSecureEnabled: true, permissionGroups: ['Partners'] }), 'V14')).toEqual([]);
  });
});

describe('receive connector sessions', () => {
  it('V15 flags an inactivity timeout not below the connection timeout', () => {
    expect(pathsOf(relay({ connectionInactivityTimeout: '10m', connectionTimeout: '10m' }), 'V15')).toEqual(['receiveConnectors[0].connectionInactivityTimeout']);
    // Only the total timeout written, below the 5m default inactivity timeout.
    expect(pathsOf(relay({ connectionTimeout: '2m' }), 'V15')).toEqual(['receiveConnectors[0].connectionTimeout']);
  });

  it('V15 accepts an inactivity timeout below the connection timeout', () => {
    expect(rule(relay({ connectionInactivityTimeout: '1m', connectionTimeout: '2m' }), 'V15')).toEqual([]);
  });

  it('V16 flags a connector that grants nothing (usage Custom sets no group)', () => {
    const found = rule(relay({ permissionGroups: undefined, usage: 'Custom' }), 'V16');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.permissionGroups']);
    expect(found[0]!.severity).toBe('warning');
  });

  it('V16 accepts a connector whose only grant is an extra permission', () => {
    const config = relay({ permissionGroups: [], adPermissions: [{ user: 'CONTOSO\\relay', extendedRights: ['ms-Exch-SMTP-Submit'] }] });
    expect(rule(config, 'V16')).toEqual([]);
  });
});

describe('V23 binding on the server address', () => {
  it('V23 flags a binding on an address the server does not have', () => {
    const found = rule(relay({ bindings: ['10.1.0.11:25', '10.1.0.99:25'] }), 'V23');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.bindings.1']);
    expect(found[0]!.hint).toContain('10.1.0.11');
  });

  it('V23 accepts wildcard bindings, and any address on a server with no listed addresses', () => {
    expect(rule(relay({ bindings: ['0.0.0.0:2526'] }), 'V23')).toEqual([]);
    expect(rule(relay({ server: 'EX02', bindings: ['192.0.2.7:25'] }), 'V23')).toEqual([]);
  });
});

describe('receive-connector-role (R35, R4)', () => {
  const onEdge = (extra: Record<string, unknown>) =>
    withBase({
      servers: [{ name: 'EDGE01', role: 'Edge' }],
      edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris' }],
      receiveConnectors: [{ name: 'Partner', server: 'EDGE01', bindings: ['0.0.0.0:2525'], remoteIPRanges: ['198.51.100.0/24'], permissionGroups: ['Partners'], ...extra }],
    });

  it('receive-connector-role accepts a plain connector on an Edge server', () => {
    expect(rule(onEdge({}), 'receive-connector-role')).toEqual([]);
  });

  it('receive-connector-role flags transportRole, usage Client and ExchangeLegacyServers on an Edge server', () => {
    const config = onEdge({ transportRole: 'HubTransport', usage: 'Client', permissionGroups: ['ExchangeLegacyServers'] });
    expect(pathsOf(config, 'receive-connector-role')).toEqual([
      'receiveConnectors[0].transportRole',
      'receiveConnectors[0].usage',
      'receiveConnectors[0].permissionGroups',
    ]);
  });

  it('receive-connector-role flags remoteIPRanges on usage Internet, and a connector without bindings', () => {
    expect(pathsOf(relay({ usage: 'Internet' }), 'receive-connector-role')).toEqual(['receiveConnectors[0].remoteIPRanges']);
    expect(pathsOf(relay({ bindings: undefined, usage: 'Partner' }), 'receive-connector-role')).toEqual(['receiveConnectors[0].bindings']);
  });

  it('receive-connector-role accepts usage Internet without ranges and usage Client with its fixed binding', () => {
    expect(rule(relay({ usage: 'Internet', remoteIPRanges: undefined, bindings: ['10.1.0.11:2526'] }), 'receive-connector-role')).toEqual([]);
    expect(rule(relay({ usage: 'Client', bindings: undefined, permissionGroups: undefined }), 'receive-connector-role')).toEqual([]);
  });
});

describe('connector-above-org-limit (R131)', () => {
  it('connector-above-org-limit flags a receive connector limit above both organization limits', () => {
    const found = rule(relay({ maxMessageSize: '50MB' }), 'connector-above-org-limit');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.maxMessageSize']);
    expect(found[0]!.severity).toBe('warning');
  });

  it('connector-above-org-limit accepts a limit the organization allows, and defaults never count', () => {
    const config = relay({ maxMessageSize: '50MB' });
    config.organization = { maxSendSize: '100MB', maxReceiveSize: '100MB' };
    expect(rule(config, 'connector-above-org-limit')).toEqual([]);
    expect(rule(relay(), 'connector-above-org-limit')).toEqual([]);
  });
});
