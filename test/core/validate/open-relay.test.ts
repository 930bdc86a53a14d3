import { describe, expect, it } from 'vitest';
import { pathsOf, rule, withBase } from './fixture.js';

const anonymousRelay = { user: 'NT AUTHORITY\\ANONYMOUS LOGON', extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'] };
const relay = (extra: Record<string, unknown>) =>
  withBase({
    receiveConnectors: [{ name: 'App relay', server: 'EX01', bindings: ['10.1.0.11:25'], permissionGroups: ['AnonymousUsers'], adPermissions: [anonymousRelay], ...extra }],
  });

describe('V17 open relay (R43)', () => {
  it('V17 flags anonymous Accept-Any-Recipient when the remote ranges are the default (every address)', () => {
    const found = rule(relay({}), 'V17');
    expect(found.map((f) => f.path.join('.'))).toEqual(['receiveConnectors.0.adPermissions.0']);
    expect(found[0]!.message).toContain('open relay');
    expect(found[0]!.severity).toBe('error');
  });

  it('V17 flags ranges that cover every public IPv4 address even when private ones are left out', () => {
    const everythingButRfc1918 = ['0.0.0.0-9.255.255.255', '11.0.0.0-172.15.255.255', '172.32.0.0-192.167.255.255', '192.169.0.0-255.255.255.255'];
    expect(pathsOf(relay({ remoteIPRanges: everythingButRfc1918 }), 'V17')).toEqual(['receiveConnectors[0].adPermissions[0]']);
  });

  it('V17 accepts the documented relay connector limited to the application servers', () => {
    expect(rule(relay({ remoteIPRanges: ['10.1.5.0/24'] }), 'V17')).toEqual([]);
  });

  it('V17 accepts ranges that leave out a public block', () => {
    expect(rule(relay({ remoteIPRanges: ['0.0.0.0-8.255.255.255', '10.0.0.0-255.255.255.255'] }), 'V17')).toEqual([]);
  });

  it('V17 accepts the grant when anonymous sessions cannot submit at all', () => {
    expect(rule(relay({ permissionGroups: ['ExchangeUsers'] }), 'V17')).toEqual([]);
  });

  it('V17 flags ExternalAuthoritative open to every address', () => {
    const config = relay({ adPermissions: [], authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] });
    expect(pathsOf(config, 'V17')).toEqual(['receiveConnectors[0].authMechanism']);
  });

  it('V17 accepts ExternalAuthoritative limited to a partner network', () => {
    const config = relay({ adPermissions: [], authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'], remoteIPRanges: ['192.0.2.0/24'] });
    expect(rule(config, 'V17')).toEqual([]);
  });
});
