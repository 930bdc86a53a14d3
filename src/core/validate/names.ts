/**
 * V1: names are unique, case-insensitively, per kind of object (R1); receive connectors per server,
 * with the defaults Exchange creates counted (a listed connector replacing a default by name is not
 * a duplicate: effective() has already dropped the default it replaces).
 */
import type { Finding } from '../findings/finding.js';
import { formatPath } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import type { ConfigPath, Origin } from '../model/topology.js';
import type { Rule } from './rule.js';
import { at, describeOrigin, finding } from './support.js';

interface Named {
  name: string;
  origin: Origin;
}

function duplicates(kind: string, items: readonly Named[], scope = ''): Finding[] {
  const first = new Map<string, Named>();
  const findings: Finding[] = [];
  for (const item of items) {
    const key = nameKey(item.name);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, item);
      continue;
    }
    // Two created objects clash only when their servers share a name, which is reported already.
    if (item.origin.kind !== 'config' && earlier.origin.kind !== 'config') continue;
    // Point at the written one: a created object cannot be renamed.
    const [report, other] = item.origin.kind === 'config' || earlier.origin.kind !== 'config' ? [item, earlier] : [earlier, item];
    const where = other.origin.kind === 'config' ? `at ${formatPath(other.origin.path)}` : describeOrigin(other.origin).trim().replace(/^\((.*)\)$/, 'as $1');
    findings.push(
      finding(
        'V1',
        at(report.origin, 'name'),
        `${kind} name "${report.name}"${scope} is used twice: also ${where} (names compare case-insensitively)`,
        other.origin.kind === 'config' ? `rename one of the two ${kind}s` : `rename this ${kind}: Exchange creates one of that name and it cannot be replaced`,
      ),
    );
  }
  return findings;
}

const listed = <T extends { name: string }>(items: readonly T[], section: string): Named[] =>
  items.map((item, i) => ({ name: item.name, origin: { kind: 'config', path: [section, i] as ConfigPath } }));

export const uniqueNames: Rule = ({ written, topology }) => {
  const findings = [
    ...duplicates('site', listed(written.sites, 'sites')),
    ...duplicates('site link', listed(written.siteLinks, 'siteLinks')),
    ...duplicates('server', listed(written.servers, 'servers')),
    ...duplicates('DAG', listed(written.databaseAvailabilityGroups, 'databaseAvailabilityGroups')),
    ...duplicates('database', listed(written.mailboxDatabases, 'mailboxDatabases')),
    ...duplicates('send connector', topology.sendConnectors),
  ];

  // masterServerOrAvailabilityGroup names either: a DAG and a server of one name make it ambiguous.
  const servers = new Set(written.servers.map((s) => nameKey(s.name)));
  written.databaseAvailabilityGroups.forEach((dag, i) => {
    if (servers.has(nameKey(dag.name))) {
      findings.push(
        finding('V1', ['databaseAvailabilityGroups', i, 'name'], `DAG "${dag.name}" has the name of a server`, 'rename the DAG: databases name their DAG or server by that name'),
      );
    }
  });

  const byServer = new Map<string, { server: string; connectors: Named[] }>();
  for (const connector of topology.receiveConnectors) {
    const key = nameKey(connector.server);
    const entry = byServer.get(key) ?? { server: connector.server, connectors: [] };
    entry.connectors.push(connector);
    byServer.set(key, entry);
  }
  for (const { server, connectors } of byServer.values()) {
    findings.push(...duplicates('receive connector', connectors, ` on server ${server}`));
  }

  // Accepted domains named after their domain (the default) are duplicates of the domain itself:
  // accepted-domain-overlap reports those; V1 reports names written on purpose.
  const domains = topology.acceptedDomains.map((d, i) => ({ name: d.name, origin: { kind: 'config' as const, path: ['acceptedDomains', i] as ConfigPath }, explicit: written.acceptedDomains[i]?.name !== undefined }));
  const seen = new Map<string, (typeof domains)[number]>();
  for (const d of domains) {
    const earlier = seen.get(nameKey(d.name));
    if (!earlier) {
      seen.set(nameKey(d.name), d);
      continue;
    }
    if (!d.explicit && !earlier.explicit) continue;
    findings.push(
      finding(
        'V1',
        [...d.origin.path, d.explicit ? 'name' : 'domainName'],
        `accepted domain name "${d.name}" is used twice: also at ${formatPath(earlier.origin.path)} (names compare case-insensitively)`,
        'give one of the two accepted domains another name',
      ),
    );
  }
  return findings;
};
