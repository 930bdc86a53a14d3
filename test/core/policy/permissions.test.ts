import { describe, expect, it } from 'vitest';
import type { ReceiveConnector } from '../../../src/core/model/topology.js';
import { GRANTED_RIGHTS, principalOfAccount, RIGHTS, sessionPermissions, sessionPrincipal } from '../../../src/core/policy/permissions.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const t = topology({
  sites: [{ name: 'Paris' }],
  servers: [mailbox('MBX-PAR', 'Paris'), { name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }],
  acceptedDomains: [contosoDomain],
  receiveConnectors: [
    {
      name: 'App relay',
      server: 'MBX-PAR',
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: ['10.1.5.0/24'],
      permissionGroups: ['AnonymousUsers'],
      authMechanism: ['Tls'],
      adPermissions: [{ user: 'NT AUTHORITY\\ANONYMOUS LOGON', extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'] }],
    },
    { name: 'Secured', server: 'MBX-PAR', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.1.6.0/24'], permissionGroups: ['ExchangeServers'], authMechanism: ['Tls', 'ExternalAuthoritative'] },
  ],
});
const rc = (name: string): ReceiveConnector => t.receiveConnectors.find((c) => c.name === name)!;

describe('session principal (R40)', () => {
  it('R40 no authentication → ANONYMOUS LOGON; user AUTH → Authenticated Users; server → Exchange Servers; partner → Partner Servers', () => {
    const fe = rc('Default Frontend MBX-PAR');
    expect(sessionPrincipal(fe, 'none').principal).toBe('anonymous');
    expect(sessionPrincipal(fe, 'user').principal).toBe('user');
    expect(sessionPrincipal(fe, 'server').principal).toBe('exchangeServer');
    expect(sessionPrincipal(rc('Default internal receive connector EDGE'), 'partner').principal).toBe('partner');
  });

  it('R40/R45 an authentication the connector does not offer leaves the client anonymous', () => {
    const edge = rc('Default internal receive connector EDGE');
    const p = sessionPrincipal(edge, 'user');
    expect(p.principal).toBe('anonymous');
    expect(p.authRefused).toMatch(/BasicAuth/);
    expect(sessionPrincipal(rc('Client Frontend MBX-PAR'), 'server')).toMatchObject({ principal: 'anonymous' });
  });

  it('R40/R43 an ExternalAuthoritative connector makes every session Externally Secured Servers', () => {
    const secured = rc('Secured');
    expect(sessionPrincipal(secured, 'none').principal).toBe('externallySecured');
    const perms = sessionPermissions(secured, 'externallySecured');
    expect(perms.groups).toEqual(['ExchangeServers']);
    expect(perms.rights.has('ms-Exch-SMTP-Accept-Any-Recipient')).toBe(true);
    expect(perms.rights.has('ms-Exch-Bypass-Message-Size-Limit')).toBe(true);
    expect(perms.rights.has('ms-Exch-Accept-Headers-Organization')).toBe(false);
  });

  it('R40 account names of adPermissions map to principals, any domain for <Domain>\\ accounts', () => {
    expect(principalOfAccount('NT AUTHORITY\\ANONYMOUS LOGON')).toBe('anonymous');
    expect(principalOfAccount('nt authority\\authenticated users')).toBe('user');
    expect(principalOfAccount('CONTOSO\\Exchange Servers')).toBe('exchangeServer');
    expect(principalOfAccount('MS Exchange\\Externally Secured Servers')).toBe('externallySecured');
    expect(principalOfAccount('CONTOSO\\ExchangeLegacyInterop')).toBe('legacyInterop');
    expect(principalOfAccount('MS Exchange\\Partner Servers')).toBe('partner');
    expect(principalOfAccount('CONTOSO\\alice')).toBeUndefined();
  });
});

describe('granted rights (R41–R43)', () => {
  it('R41 the rights table, column by column', () => {
    expect([...GRANTED_RIGHTS.anonymous].sort()).toEqual(
      ['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing', 'ms-Exch-SMTP-Accept-Any-Sender', 'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender'].sort(),
    );
    expect(GRANTED_RIGHTS.user).toContain('ms-Exch-SMTP-Accept-Any-Recipient');
    expect(GRANTED_RIGHTS.user).not.toContain('ms-Exch-SMTP-Accept-Any-Sender');
    expect(GRANTED_RIGHTS.exchangeServer).toEqual(RIGHTS);
    expect(GRANTED_RIGHTS.legacyInterop).not.toContain('ms-Exch-Accept-Headers-Forest');
    expect(GRANTED_RIGHTS.partner).toEqual(['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing']);
  });

  it('R41 anonymous on Default Frontend may submit but not relay', () => {
    const perms = sessionPermissions(rc('Default Frontend MBX-PAR'), 'anonymous');
    expect(perms.groups).toEqual(['AnonymousUsers']);
    expect(perms.rights.has('ms-Exch-SMTP-Submit')).toBe(true);
    expect(perms.rights.has('ms-Exch-SMTP-Accept-Any-Recipient')).toBe(false);
  });

  it('R40 a principal no group covers has no rights: anonymous on Client Frontend', () => {
    const perms = sessionPermissions(rc('Client Frontend MBX-PAR'), 'anonymous');
    expect(perms.groups).toEqual([]);
    expect(perms.rights.size).toBe(0);
  });

  it('A13 a user authenticated on Default Frontend has no permissions (no ExchangeUsers group)', () => {
    const perms = sessionPermissions(rc('Default Frontend MBX-PAR'), 'user');
    expect(perms.groups).toEqual([]);
    expect(perms.rights.has('ms-Exch-SMTP-Submit')).toBe(false);
  });

  it('R42 Default <S> (2525) lets Exchange servers relay and bypass the size limit', () => {
    const perms = sessionPermissions(rc('Default MBX-PAR'), 'exchangeServer');
    expect(perms.rights.has('ms-Exch-SMTP-Accept-Any-Recipient')).toBe(true);
    expect(perms.rights.has('ms-Exch-Bypass-Message-Size-Limit')).toBe(true);
    expect(perms.rights.has('ms-Exch-Accept-Headers-Forest')).toBe(true);
  });

  it('R43 adPermissions add Accept-Any-Recipient for ANONYMOUS LOGON on the app relay connector', () => {
    const perms = sessionPermissions(rc('App relay'), 'anonymous');
    expect(perms.rights.has('ms-Exch-SMTP-Accept-Any-Recipient')).toBe(true);
    expect(perms.grants.find((g) => g.right === 'ms-Exch-SMTP-Accept-Any-Recipient')?.source).toBe('adPermission');
    // the grant is for anonymous only: an authenticated user does not get it from there
    expect(sessionPermissions(rc('App relay'), 'user').rights.has('ms-Exch-SMTP-Accept-Any-Recipient')).toBe(false);
  });
});
