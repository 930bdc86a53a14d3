/**
 * Send connectors: V31–V39, `smart-host-auth-tls`, `scoped-multi-site`, `source-server-role`,
 * `connector-above-org-limit` (R46, R100, R102–R110, R131). The connectors an Edge subscription
 * creates are Exchange's own and valid by construction (R116): only the written ones are checked.
 */
import type { Finding } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import type { SendConnector, Server, Topology } from '../model/topology.js';
import { formatSize } from '../model/units.js';
import type { Rule } from './rule.js';
import { at, directory, finding, list } from './support.js';

function sourceServers(topology: Topology, connector: SendConnector): Server[] {
  const dir = directory(topology);
  return connector.sourceTransportServers.map((s) => dir.servers.get(nameKey(s))).filter((s): s is Server => s !== undefined);
}

const onEdge = (topology: Topology, c: SendConnector) => sourceServers(topology, c).some((s) => s.role === 'Edge');

/** Each written connector once, with a helper to report at one of its fields. */
function perWrittenConnector(check: (c: SendConnector, topology: Topology, report: (ruleId: string, field: string, message: string, hint: string, severity?: 'warning' | 'error') => void) => void): Rule {
  return ({ topology }) => {
    const findings: Finding[] = [];
    for (const c of topology.sendConnectors) {
      if (c.origin.kind !== 'config') continue;
      check(c, topology, (ruleId, field, message, hint, severity) => findings.push(finding(ruleId, at(c.origin, field), `send connector ${c.name}: ${message}`, hint, severity)));
    }
    return findings;
  };
}

/** V31, V35, V36, `smart-host-auth-tls` (R46, R108): TLS settings that contradict each other. */
export const sendConnectorTls = perWrittenConnector((c, _t, report) => {
  if (c.requireTLS && c.ignoreSTARTTLS) {
    report('V31', 'requireTLS', 'requireTLS and ignoreSTARTTLS are both true: it would need TLS and never start it', 'set one of the two to false');
  }
  if (c.tlsAuthLevel !== undefined && (!c.requireTLS || c.ignoreSTARTTLS)) {
    report('V35', 'tlsAuthLevel', `tlsAuthLevel ${c.tlsAuthLevel} needs requireTLS: true (and ignoreSTARTTLS: false)`, 'set requireTLS: true, or remove tlsAuthLevel');
  }
  if (c.tlsDomain !== undefined && c.tlsDomain.trim() === '*') {
    report('V35', 'tlsDomain', 'tlsDomain cannot be "*"', 'name the domain the certificate must carry, e.g. tlsDomain: mail.fabrikam.com, or remove it');
  } else if (c.tlsDomain !== undefined && c.tlsAuthLevel !== 'DomainValidation') {
    report('V35', 'tlsDomain', 'tlsDomain is meaningful only with tlsAuthLevel: DomainValidation', 'set tlsAuthLevel: DomainValidation (with requireTLS: true), or remove tlsDomain');
  }
  if (c.domainSecureEnabled) {
    const wildcard = c.addressSpaces.find((s) => s.address === '*' || s.address.startsWith('*.'));
    const why = !c.dnsRoutingEnabled
      ? 'DNS routing is off'
      : c.ignoreSTARTTLS
        ? 'ignoreSTARTTLS is true'
        : wildcard
          ? `address space ${wildcard.address} is a wildcard`
          : undefined;
    if (why) report('V36', 'domainSecureEnabled', `domainSecureEnabled needs DNS routing, STARTTLS and named domains, but ${why}`, 'list the partner domains by name with DNS routing and STARTTLS, or set domainSecureEnabled: false');
  }
  if (c.smartHostAuthMechanism === 'BasicAuthRequireTLS' && c.ignoreSTARTTLS) {
    report('smart-host-auth-tls', 'ignoreSTARTTLS', 'smartHostAuthMechanism BasicAuthRequireTLS authenticates only inside TLS, but ignoreSTARTTLS is true: it can never log on', 'set ignoreSTARTTLS: false, or use smartHostAuthMechanism BasicAuth');
  }
});

/** V33, V39 (R46, R102, R107): smart hosts, their authentication and DNS routing. */
export const smartHostRouting = perWrittenConnector((c, _t, report) => {
  if (c.dnsRoutingEnabled) {
    const ignored = [
      c.smartHosts.length > 0 ? 'smartHosts' : undefined,
      c.smartHostAuthMechanism !== 'None' ? 'smartHostAuthMechanism' : undefined,
      c.authenticationCredential !== undefined ? 'authenticationCredential' : undefined,
    ].filter((f): f is string => f !== undefined);
    if (ignored.length > 0) {
      report('V33', ignored[0]!, `${list(ignored)} ${ignored.length > 1 ? 'are' : 'is'} ignored because dnsRoutingEnabled is true (Exchange clears them, R46)`, 'set dnsRoutingEnabled: false to send through the smart hosts, or remove them', 'warning');
    }
    return;
  }
  if (c.smartHosts.length === 0) {
    report('V33', 'dnsRoutingEnabled', 'dnsRoutingEnabled is false but there are no smartHosts: the connector is ignored (R102)', 'add smartHosts: [relay.example.com], or set dnsRoutingEnabled: true', 'error');
  }
  if ((c.smartHostAuthMechanism === 'BasicAuth' || c.smartHostAuthMechanism === 'BasicAuthRequireTLS') && c.authenticationCredential === undefined) {
    report('V39', 'smartHostAuthMechanism', `smartHostAuthMechanism ${c.smartHostAuthMechanism} needs an authenticationCredential`, 'add authenticationCredential: { username: …, passwordEnv: VARIABLE }');
  }
});

/** V32, V37, V38 (R100, R109, R117): what only Mailbox-sourced or only Edge-sourced connectors may carry. */
export const edgeConnectorSettings = perWrittenConnector((c, topology, report) => {
  const edge = onEdge(topology, c);
  if (c.frontendProxyEnabled && edge) {
    report('V32', 'frontendProxyEnabled', 'frontendProxyEnabled is not allowed on a connector sourced on Edge servers (R109)', 'set frontendProxyEnabled: false');
  }
  const nonSmtp = c.addressSpaces.find((s) => s.type !== 'SMTP');
  if (nonSmtp && (edge || c.dnsRoutingEnabled)) {
    report(
      'V37',
      'addressSpaces',
      edge ? `address space type ${nonSmtp.type} on a connector sourced on Edge servers, which accept SMTP only` : `address space type ${nonSmtp.type} needs smart-host routing (dnsRoutingEnabled: false)`,
      edge ? 'source the connector on Mailbox servers' : 'set dnsRoutingEnabled: false and list smartHosts',
    );
  }
  const dashSpace = c.addressSpaces.some((s) => s.address === '--');
  const dashHost = c.smartHosts.some((h) => h === '--');
  if (dashSpace || dashHost) {
    const field = dashSpace ? 'addressSpaces' : 'smartHosts';
    if (!edge || sourceServers(topology, c).some((s) => s.role !== 'Edge')) {
      report('V38', field, '"--" stands for the organization\'s domains and servers only on a connector sourced on Edge servers', 'name the domains or smart hosts explicitly, or source the connector on Edge servers');
    } else if ((dashSpace && c.addressSpaces.length > 1) || (dashHost && c.smartHosts.length > 1)) {
      report('V38', field, '"--" must be the only entry of its list', `remove the other entries of ${field}`);
    }
  }
});

/** `connector-above-org-limit` (R131): a written connector limit above every organization limit never takes effect. */
export const sendConnectorAboveOrgLimit: Rule = ({ written }) => {
  const org = Math.max(written.organization.maxSendSize, written.organization.maxReceiveSize);
  return written.sendConnectors.flatMap((c, i) =>
    c.maxMessageSize !== undefined && c.maxMessageSize > org
      ? [
          finding(
            'connector-above-org-limit',
            ['sendConnectors', i, 'maxMessageSize'],
            `send connector ${c.name} allows ${formatSize(c.maxMessageSize)}, above the organization's limits (maxSendSize ${formatSize(written.organization.maxSendSize)}, maxReceiveSize ${formatSize(written.organization.maxReceiveSize)}): larger messages are refused before they reach it`,
            'raise organization.maxSendSize / maxReceiveSize too, or lower the connector\'s maxMessageSize',
          ),
        ]
      : [],
  );
};

/** V34, `scoped-multi-site`, `source-server-role` (R103, R105, R110): who a connector is sourced on. */
export const sourceServerPlacement: Rule = ({ topology }) => {
  const findings: Finding[] = [];
  for (const c of topology.sendConnectors) {
    // An Edge subscription's connectors are sourced on the Edges of one site by construction;
    // a Mailbox server subscribed by mistake is edge-subscription-target's finding.
    if (c.edgeSync) continue;
    const servers = sourceServers(topology, c);
    const roles = new Set(servers.map((s) => s.role));
    if (roles.size > 1) {
      findings.push(
        finding('source-server-role', at(c.origin, 'sourceTransportServers'), `send connector ${c.name} mixes Edge and Mailbox source servers`, 'source a connector on Mailbox servers only, or on Edge servers only'),
      );
      continue;
    }
    const sites = new Map<string, string>();
    for (const s of servers) if (s.site !== undefined && !sites.has(nameKey(s.site))) sites.set(nameKey(s.site), s.site);
    if (sites.size < 2) continue;
    const names = list([...sites.values()]);
    findings.push(
      c.isScopedConnector
        ? finding('scoped-multi-site', at(c.origin, 'sourceTransportServers'), `scoped send connector ${c.name} has source servers in ${names}: it is visible in each of those sites and the source servers of another site are used across the site link`, 'split it into one scoped connector per site')
        : finding('V34', at(c.origin, 'sourceTransportServers'), `send connector ${c.name} has source servers in ${names} (WarningMultiSiteSourceServers): only the nearest ones are ever used`, 'source it on servers of one site, or create one connector per site'),
    );
  }
  return findings;
};
