/**
 * V1: names are unique, case-insensitively, per kind of object (R1); receive connectors per server,
 * with the defaults Exchange creates counted (a listed connector replacing a default by name is not
 * a duplicate: effective() has already dropped the default it replaces).
 */
import type { Finding } from '../findings/finding.js';
import { formatPath } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import type { ConfigPath, Origin, Topology } from '../model/topology.js';
import type { Rule } from './rule.js';
import { at, describeOrigin, finding, list } from './support.js';

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

const BY_SERVER = new WeakMap<Topology, { server: string; connectors: Named[] }[]>();

/** Receive connector names are scoped to their server (R1); grouped once per topology for both name rules. */
function receiveConnectorsByServer(topology: Topology): { server: string; connectors: Named[] }[] {
  const known = BY_SERVER.get(topology);
  if (known) return known;
  const byServer = new Map<string, { server: string; connectors: Named[] }>();
  for (const connector of topology.receiveConnectors) {
    const key = nameKey(connector.server);
    const entry = byServer.get(key) ?? { server: connector.server, connectors: [] };
    entry.connectors.push(connector);
    byServer.set(key, entry);
  }
  const grouped = [...byServer.values()];
  BY_SERVER.set(topology, grouped);
  return grouped;
}

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

  for (const { server, connectors } of receiveConnectorsByServer(topology)) {
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

/**
 * Letters of other scripts that render like Latin ones (a small part of Unicode's confusables list,
 * UTS #39: the Cyrillic and Greek capitals and small letters that pass for Latin in the fonts
 * terminals and editors use). Hand-written: the full list is 6,000 entries of mostly exotic scripts,
 * and no npm package keeps it current.
 */
const LOOK_ALIKE: Record<string, string> = {
  // Cyrillic capitals
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', Х: 'x', У: 'y', Ү: 'y', Ѕ: 's', І: 'i', Ј: 'j', Ԛ: 'q', Ԝ: 'w',
  // Cyrillic small letters
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y',
  // Greek capitals and small letters
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  ο: 'o', ρ: 'p', ν: 'v', υ: 'u', ι: 'i', κ: 'k', α: 'a', χ: 'x',
  // Latin letters of other alphabets
  ı: 'i', ɑ: 'a', ɡ: 'g',
};
const LOOK_ALIKE_PATTERN = new RegExp(`[${Object.keys(LOOK_ALIKE).join('')}]`, 'gu');
const PLAIN = /^[\x20-\x7e]*$/;
/** Zero-width and bidi controls, and whatever else Unicode says renders as nothing. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cf}]/gu;

/** The form two names share when a reader cannot tell them apart (UTS #39 skeleton, reduced). */
export function nameSkeleton(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').replace(LOOK_ALIKE_PATTERN, (c) => LOOK_ALIKE[c]!).toLowerCase().normalize('NFKC');
}

/** Why `name` can pass for another name, in words. */
function confusableBecause(name: string): string {
  if (new RegExp(INVISIBLE.source, 'u').test(name)) return 'it contains invisible characters (zero-width or bidirectional controls)';
  const scripts = ['Latin', 'Cyrillic', 'Greek'].filter((script) => new RegExp(`\\p{Script=${script}}`, 'u').test(name));
  if (scripts.length > 1) return `it mixes ${list(scripts)} letters`;
  if (name.normalize('NFKC') !== name) return 'it is written with compatibility characters (the same name after NFKC normalization)';
  return 'it is written with letters of another script that look the same';
}

/**
 * name-confusable: two names of one kind that differ only by look-alike letters of another script,
 * invisible characters or compatibility forms. Exchange tells them apart (they are different
 * objects); the admin reading `list`, a diff or a route plan cannot.
 */
function confusables(kind: string, items: readonly Named[], scope = ''): Finding[] {
  const first = new Map<string, Named>();
  const findings: Finding[] = [];
  for (const item of items) {
    // A plain ASCII name is its own skeleton (apart from case): only names with other characters can be twins.
    const plain = PLAIN.test(item.name);
    const skeleton = plain ? item.name.toLowerCase() : nameSkeleton(item.name);
    const twin = first.get(skeleton);
    if (!twin) {
      first.set(skeleton, item);
      continue;
    }
    if (nameKey(twin.name) === nameKey(item.name)) continue; // the same name: V1's business
    const odd = plain ? twin : item;
    const other = odd === item ? twin : item;
    const where = other.origin.kind === 'config' ? ` at ${formatPath(other.origin.path)}` : describeOrigin(other.origin);
    findings.push(
      finding(
        'name-confusable',
        at(odd.origin, 'name'),
        `${kind} name ${JSON.stringify(odd.name)}${scope} looks like ${kind} "${other.name}"${where}: ${confusableBecause(odd.name)}`,
        `rename one of the two ${kind}s so that they can be told apart`,
      ),
    );
  }
  return findings;
}

export const confusableNames: Rule = ({ written, topology }) => {
  const findings = [
    ...confusables('site', listed(written.sites, 'sites')),
    ...confusables('site link', listed(written.siteLinks, 'siteLinks')),
    ...confusables('server', listed(written.servers, 'servers')),
    ...confusables('DAG', listed(written.databaseAvailabilityGroups, 'databaseAvailabilityGroups')),
    ...confusables('database', listed(written.mailboxDatabases, 'mailboxDatabases')),
    ...confusables('send connector', topology.sendConnectors),
    ...confusables('accepted domain', topology.acceptedDomains.map((d, i) => ({ name: d.name, origin: { kind: 'config' as const, path: ['acceptedDomains', i] as ConfigPath } }))),
  ];
  for (const { server, connectors } of receiveConnectorsByServer(topology)) findings.push(...confusables('receive connector', connectors, ` on server ${server}`));
  return findings;
};
