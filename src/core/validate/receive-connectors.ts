/**
 * Receive connector settings: V10–V16, V23, `receive-connector-role`, `connector-above-org-limit`
 * (R23, R30, R35, R40, R45, R131). Checked on the effective connector (defaults included) and
 * reported at the written field; the default connectors of R20–R22 are valid by construction.
 */
import type { Finding } from '../findings/finding.js';
import { parseBinding, parseIpAddress } from '../model/ip-range.js';
import { nameKey } from '../model/names.js';
import type { ReceiveConnector, Topology } from '../model/topology.js';
import type { WrittenReceiveConnector, WrittenTopology } from '../schema/topology.js';
import { formatDuration, formatSize } from '../model/units.js';
import type { Rule } from './rule.js';
import { at, directory, finding } from './support.js';

type Report = (ruleId: string, field: string | (string | number)[], message: string, hint: string) => void;

/** Each written receive connector with its written form, its server (when known) and a reporter. */
function perWrittenConnector(check: (c: ReceiveConnector, w: WrittenReceiveConnector, ctx: { topology: Topology; written: WrittenTopology }, report: Report) => void): Rule {
  return (ctx) => {
    const findings: Finding[] = [];
    for (const c of ctx.topology.receiveConnectors) {
      if (c.origin.kind !== 'config') continue;
      const w = ctx.written.receiveConnectors[c.origin.path[1] as number];
      if (!w) continue;
      check(c, w, ctx, (ruleId, field, message, hint) =>
        findings.push(finding(ruleId, at(c.origin, ...(Array.isArray(field) ? field : [field])), `receive connector ${c.name}: ${message}`, hint)),
      );
    }
    return findings;
  };
}

/** V10–V14 (R45): authentication mechanisms and the TLS settings that depend on them. */
export const receiveAuth = perWrittenConnector((c, _w, _ctx, report) => {
  const auth = new Set(c.authMechanism);
  if (auth.has('None') && auth.size > 1) {
    report('V10', 'authMechanism', 'authMechanism None cannot be combined with other mechanisms', 'write authMechanism: [None] alone, or remove None');
  }
  if (auth.has('BasicAuthRequireTLS') && !(auth.has('BasicAuth') && auth.has('Tls'))) {
    report('V11', 'authMechanism', 'BasicAuthRequireTLS needs BasicAuth and Tls as well', 'add BasicAuth and Tls to authMechanism');
  }
  if (auth.has('ExternalAuthoritative')) {
    const others = [...auth].filter((a) => a !== 'ExternalAuthoritative' && a !== 'Tls');
    if (others.length > 0) {
      report('V12', 'authMechanism', `ExternalAuthoritative may be combined only with Tls, not with ${others.join(', ')}`, 'write authMechanism: [Tls, ExternalAuthoritative]');
    } else if (!c.permissionGroups.includes('ExchangeServers')) {
      report('V12', 'permissionGroups', 'ExternalAuthoritative requires permission group ExchangeServers', 'write permissionGroups: [ExchangeServers]');
    }
  }
  if (c.requireTLS && !auth.has('Tls')) {
    report('V13', 'requireTLS', 'requireTLS is true but Tls is not among the auth mechanisms, so STARTTLS is never offered', 'add Tls to authMechanism, or set requireTLS: false');
  }
  if (c.domainSecureEnabled && (!auth.has('Tls') || auth.has('ExternalAuthoritative'))) {
    report(
      'V14',
      'domainSecureEnabled',
      auth.has('ExternalAuthoritative') ? 'domainSecureEnabled cannot be combined with ExternalAuthoritative' : 'domainSecureEnabled needs Tls among the auth mechanisms',
      'use Tls without ExternalAuthoritative for domain-secured partners, or set domainSecureEnabled: false',
    );
  }
});

/** V15 (R181) and V16 (R40): timeouts in order, and a connector that grants something. */
export const receiveSession = perWrittenConnector((c, w, _ctx, report) => {
  if (c.connectionInactivityTimeout >= c.connectionTimeout) {
    report(
      'V15',
      w.connectionInactivityTimeout !== undefined ? 'connectionInactivityTimeout' : 'connectionTimeout',
      `connectionInactivityTimeout (${formatDuration(c.connectionInactivityTimeout)}) must be shorter than connectionTimeout (${formatDuration(c.connectionTimeout)})`,
      'lower connectionInactivityTimeout or raise connectionTimeout',
    );
  }
  const groups = c.permissionGroups.filter((g) => g !== 'None');
  if (groups.length === 0 && c.adPermissions.length === 0) {
    report('V16', 'permissionGroups', 'no permission group and no extra grant: every session is refused at MAIL FROM', 'add permissionGroups, e.g. [AnonymousUsers] for Internet mail or [ExchangeUsers] for clients');
  }
});

/** `receive-connector-role` (R35, R4): what a server role and a usage type allow. */
export const receiveConnectorRole = perWrittenConnector((c, w, { topology }, report) => {
  const server = directory(topology).servers.get(nameKey(c.server));
  if (!server) return;
  if (server.role === 'Edge') {
    if (w.transportRole !== undefined) {
      report('receive-connector-role', 'transportRole', `transportRole is set, but ${server.name} is an Edge server, which runs the Transport service only`, 'remove transportRole');
    }
    if (w.usage === 'Client') {
      report('receive-connector-role', 'usage', `usage Client is not available on Edge server ${server.name}`, 'use usage Internet, Internal, Partner or Custom');
    }
    if (w.permissionGroups?.includes('ExchangeLegacyServers')) {
      report('receive-connector-role', 'permissionGroups', `permission group ExchangeLegacyServers is not available on Edge server ${server.name}`, 'remove ExchangeLegacyServers');
    }
  }
  if (w.usage === 'Internet' && w.remoteIPRanges !== undefined) {
    report('receive-connector-role', 'remoteIPRanges', 'usage Internet fixes remoteIPRanges to all IPv4 addresses: they cannot be given', 'remove remoteIPRanges, or use usage Custom or Partner');
  }
  if (c.bindings.length === 0) {
    report('receive-connector-role', 'bindings', `no bindings: the connector listens nowhere${w.usage ? ` (usage ${w.usage} sets none)` : ''}`, 'add bindings, e.g. ["0.0.0.0:25"]');
  }
});

/** V23 (R30): a bound address is one of the server's addresses, when they are listed. */
export const bindingOnServerAddress = perWrittenConnector((c, _w, { topology }, report) => {
  const server = directory(topology).servers.get(nameKey(c.server));
  if (!server || server.addresses.length === 0) return;
  const own = server.addresses.map((a) => parseIpAddress(a)).flatMap((p) => (p.ok ? [p.value] : []));
  c.bindings.forEach((text, k) => {
    const b = parseBinding(text);
    if (!b.ok || b.value.value === undefined) return;
    const { family, value } = b.value;
    if (own.some((a) => a.family === family && a.value === value)) return;
    report('V23', ['bindings', k], `binding ${text} uses ${b.value.address}, which is not an address of server ${server.name} (${server.addresses.join(', ')})`, `bind to one of ${server.addresses.join(', ')}, or to 0.0.0.0:${b.value.port}`);
  });
});

/** `connector-above-org-limit` (R131): a written size limit above every organization limit never takes effect. */
export const receiveConnectorAboveOrgLimit = perWrittenConnector((c, w, { written }, report) => {
  const org = Math.max(written.organization.maxSendSize, written.organization.maxReceiveSize);
  if (w.maxMessageSize !== undefined && c.maxMessageSize > org) {
    report(
      'connector-above-org-limit',
      'maxMessageSize',
      `maxMessageSize ${formatSize(c.maxMessageSize)} is above the organization's limits (maxSendSize ${formatSize(written.organization.maxSendSize)}, maxReceiveSize ${formatSize(written.organization.maxReceiveSize)}): larger messages are refused later anyway, except for sessions that bypass size limits`,
      'raise organization.maxSendSize / maxReceiveSize too, or lower the connector\'s maxMessageSize',
    );
  }
});
