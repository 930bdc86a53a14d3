/**
 * Who a session is and what it may do (R40–R43): the principal fixed by how the client authenticated,
 * the connector's permission groups that cover it, the rights they grant (R41), plus the connector's
 * extra grants (`adPermissions`, Add-ADPermission -ExtendedRights, R43).
 */
import { sameName } from '../model/names.js';
import type { ReceiveConnector } from '../model/topology.js';

/** How the client authenticated, as `mxt route inbound --auth` names it. */
export type SessionAuth = 'none' | 'user' | 'server' | 'partner';

/** The principal kinds of R40. */
export type Principal = 'anonymous' | 'user' | 'exchangeServer' | 'externallySecured' | 'legacyInterop' | 'partner';

export type PermissionGroup = ReceiveConnector['permissionGroups'][number];

export const RIGHTS = [
  'ms-Exch-SMTP-Submit',
  'ms-Exch-Accept-Headers-Routing',
  'ms-Exch-SMTP-Accept-Any-Sender',
  'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
  'ms-Exch-SMTP-Accept-Any-Recipient',
  'ms-Exch-Bypass-Anti-Spam',
  'ms-Exch-Bypass-Message-Size-Limit',
  'ms-Exch-SMTP-Accept-Authentication-Flag',
  'ms-Exch-SMTP-Accept-Exch50',
  'ms-Exch-Accept-Headers-Organization',
  'ms-Exch-Accept-Headers-Forest',
] as const;
export type Right = (typeof RIGHTS)[number];

/** R40: the account names each principal kind acts as, and the group that grants to it. */
export const PRINCIPALS: Record<Principal, { names: string[]; group: PermissionGroup }> = {
  anonymous: { names: ['NT AUTHORITY\\ANONYMOUS LOGON'], group: 'AnonymousUsers' },
  user: { names: ['NT AUTHORITY\\Authenticated Users'], group: 'ExchangeUsers' },
  exchangeServer: {
    names: ['<Domain>\\Exchange Servers', 'MS Exchange\\Edge Transport Servers', 'MS Exchange\\Hub Transport Servers'],
    group: 'ExchangeServers',
  },
  externallySecured: { names: ['MS Exchange\\Externally Secured Servers'], group: 'ExchangeServers' },
  legacyInterop: { names: ['<Domain>\\ExchangeLegacyInterop'], group: 'ExchangeLegacyServers' },
  partner: { names: ['MS Exchange\\Partner Servers'], group: 'Partners' },
};

const ALL_BUT_HEADERS_ORG_FOREST: Right[] = RIGHTS.filter((r) => r !== 'ms-Exch-Accept-Headers-Organization' && r !== 'ms-Exch-Accept-Headers-Forest');

/** R41, column by column: the rights a permission group grants to each of its principals. */
export const GRANTED_RIGHTS: Record<Principal, readonly Right[]> = {
  anonymous: ['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing', 'ms-Exch-SMTP-Accept-Any-Sender', 'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender'],
  user: ['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing', 'ms-Exch-SMTP-Accept-Any-Recipient', 'ms-Exch-Bypass-Anti-Spam'],
  exchangeServer: RIGHTS,
  externallySecured: ALL_BUT_HEADERS_ORG_FOREST,
  legacyInterop: ALL_BUT_HEADERS_ORG_FOREST,
  partner: ['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing'],
};

export interface SessionPrincipal {
  principal: Principal;
  /** What the client asked for. */
  requested: SessionAuth;
  /** Set when the connector does not offer the requested authentication: the session stays anonymous. */
  authRefused?: string;
}

/**
 * R40: the principal of a session. An `ExternalAuthoritative` connector trusts every connection by
 * external means (IPsec, VPN), so its sessions act as Externally Secured Servers whatever the client
 * does. Otherwise the authentication must be one the connector offers (R45; mxt offers user AUTH only
 * through BasicAuth, R52a; server auth by organization certificate stands for ExchangeServer;
 * partner = mutual TLS, which needs Tls), else the client stays anonymous.
 */
export function sessionPrincipal(connector: ReceiveConnector, auth: SessionAuth): SessionPrincipal {
  const mechs = connector.authMechanism;
  if (mechs.includes('ExternalAuthoritative')) return { principal: 'externallySecured', requested: auth };
  switch (auth) {
    case 'none':
      return { principal: 'anonymous', requested: auth };
    case 'user':
      return mechs.includes('BasicAuth')
        ? { principal: 'user', requested: auth }
        : { principal: 'anonymous', requested: auth, authRefused: 'the connector offers no user AUTH (AuthMechanism has no BasicAuth)' };
    case 'server':
      return mechs.includes('ExchangeServer')
        ? { principal: 'exchangeServer', requested: auth }
        : { principal: 'anonymous', requested: auth, authRefused: 'the connector does not offer Exchange Server authentication (AuthMechanism has no ExchangeServer)' };
    case 'partner':
      return mechs.includes('Tls')
        ? { principal: 'partner', requested: auth }
        : { principal: 'anonymous', requested: auth, authRefused: 'mutual TLS needs Tls in AuthMechanism' };
  }
}

export interface Grant {
  right: Right | string;
  /** The permission group, or `adPermission` for an extra grant (R43). */
  source: PermissionGroup | 'adPermission';
}

export interface SessionPermissions {
  principal: Principal;
  principalNames: string[];
  /** Permission groups on the connector that cover the principal. */
  groups: PermissionGroup[];
  grants: Grant[];
  /** The set of rights held, for the decisions. */
  rights: ReadonlySet<string>;
}

/** Which principal an `adPermissions[].user` name stands for (R40 names, case-insensitive). */
export function principalOfAccount(user: string): Principal | undefined {
  const u = user.trim();
  for (const [principal, { names }] of Object.entries(PRINCIPALS) as [Principal, { names: string[] }][]) {
    for (const name of names) {
      if (name.startsWith('<Domain>\\')) {
        // `CONTOSO\Exchange Servers`: any domain prefix.
        const account = name.slice('<Domain>\\'.length);
        const slash = u.indexOf('\\');
        if (slash > 0 && sameName(u.slice(slash + 1), account)) return principal;
      } else if (sameName(u, name)) return principal;
    }
  }
  return undefined;
}

/** R40–R43: the rights a session of `principal` holds on `connector`. */
export function sessionPermissions(connector: ReceiveConnector, principal: Principal): SessionPermissions {
  const { group, names } = PRINCIPALS[principal];
  const groups = connector.permissionGroups.filter((g) => g === group);
  const grants: Grant[] = groups.flatMap((g) => GRANTED_RIGHTS[principal].map((right) => ({ right, source: g })));
  for (const permission of connector.adPermissions) {
    if (principalOfAccount(permission.user) !== principal) continue;
    for (const right of permission.extendedRights) {
      if (!grants.some((g) => g.right.toLowerCase() === right.toLowerCase())) grants.push({ right, source: 'adPermission' });
    }
  }
  return { principal, principalNames: names, groups, grants, rights: new Set(grants.map((g) => canonicalRight(g.right))) };
}

/** Rights are compared case-insensitively; store them in the spelling of R41. */
function canonicalRight(right: string): string {
  return RIGHTS.find((r) => sameName(r, right)) ?? right;
}

export function hasRight(permissions: Pick<SessionPermissions, 'rights'>, right: Right): boolean {
  return permissions.rights.has(right);
}

/** Principals that count as authenticated for R53/R57 (everything but ANONYMOUS LOGON). */
export function isAuthenticated(principal: Principal): boolean {
  return principal !== 'anonymous';
}
