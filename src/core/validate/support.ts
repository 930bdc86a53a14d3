/**
 * Small helpers shared by the rules: building a finding with the catalogue's severity, pointing a
 * finding at the written config, and name indexes of the effective topology (built once per topology).
 */
import { ruleInfo } from '../findings/catalogue.js';
import type { Finding, Severity } from '../findings/finding.js';
import { indexByName, nameKey } from '../model/names.js';
import type { ConfigPath, Dag, MailboxDatabase, Origin, Server, Site, Topology } from '../model/topology.js';

export function finding(ruleId: string, path: ConfigPath, message: string, hint: string, severity?: Severity): Finding {
  return { ruleId, severity: severity ?? ruleInfo(ruleId).severity, path, message, hint };
}

/**
 * Where to report a setting of an effective object: the field of the written object, or (for objects
 * Exchange creates: default receive connectors, Edge subscription connectors) the object that caused them.
 */
export function at(origin: Origin, ...field: (string | number)[]): ConfigPath {
  return origin.kind === 'config' ? [...origin.path, ...field] : origin.path;
}

/** How a created object is named in messages, so an admin knows why it exists. */
export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'default':
      return ' (a default receive connector of the server)';
    case 'implicit':
      return ' (the implicit Mailbox delivery connector)';
    case 'edgeSubscription':
      return ' (created by the Edge subscription)';
    default:
      return '';
  }
}

export interface Directory {
  sites: Map<string, { site: Site; index: number }>;
  servers: Map<string, Server>;
  dags: Map<string, { dag: Dag; index: number }>;
  databases: Map<string, { database: MailboxDatabase; index: number }>;
  /** Sites (by key) that hold at least one Mailbox server. */
  mailboxSites: Set<string>;
}

const cache = new WeakMap<Topology, Directory>();

export function directory(topology: Topology): Directory {
  const known = cache.get(topology);
  if (known) return known;
  const built: Directory = {
    sites: indexByName(topology.sites.map((site, index) => ({ site, index })), (e) => e.site.name),
    servers: indexByName(topology.servers, (s) => s.name),
    dags: indexByName(topology.databaseAvailabilityGroups.map((dag, index) => ({ dag, index })), (e) => e.dag.name),
    databases: indexByName(topology.mailboxDatabases.map((database, index) => ({ database, index })), (e) => e.database.name),
    mailboxSites: new Set(
      topology.servers.filter((s) => s.role === 'Mailbox' && s.site !== undefined).map((s) => nameKey(s.site as string)),
    ),
  };
  cache.set(topology, built);
  return built;
}

/** `a`, `a and b`, `a, b and c` */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
