/**
 * checkConfig(): every finding of a config value in one run, the schema's and the semantic rules'.
 *
 * A schema error no longer hides the rest of the file (issue 8, item 1): the entries the schema
 * rejects are left out (the whole list entry, a server or a connector, never half of one, which
 * would be judged on what is left), the rest is parsed again, and the semantic rules run on that.
 * A finding that could depend on what was left out is dropped rather than reported wrongly:
 * - one on an entry that names a left-out object (a server in a left-out site, a connector sourced
 *   on a left-out server, a dangling reference to it);
 * - one of the rules that conclude from an absence ("no default domain", "no connector reaches
 *   this domain", "these sites are not connected"), when the section they look through lost an entry.
 * When a left-out object's name cannot be told (no name, or a whole section has the wrong type),
 * every semantic finding is dropped: anything might refer to it.
 *
 * `written`/`topology` are returned only when the whole file parsed: commands that route or render
 * never work on a partial topology. Pure.
 */
import type { Finding } from '../findings/finding.js';
import { suggest } from '../findings/from-zod.js';
import { nameKey } from '../model/names.js';
import type { ConfigPath, Topology } from '../model/topology.js';
import { parseTopology } from '../schema/parse.js';
import type { WrittenTopology } from '../schema/topology.js';
import { validateTopology } from './index.js';

export interface CheckedConfig {
  written?: WrittenTopology;
  topology?: Topology;
  findings: Finding[];
}

/** The lists whose entries are left out one by one, as key paths. */
const LISTS: readonly ConfigPath[] = [
  ['sites'],
  ['siteLinks'],
  ['servers'],
  ['databaseAvailabilityGroups'],
  ['mailboxDatabases'],
  ['acceptedDomains'],
  ['remoteDomains'],
  ['sendConnectors'],
  ['receiveConnectors'],
  ['edgeSubscriptions'],
  ['recipients', 'mailboxes'],
  ['recipients', 'distributionGroups'],
  ['recipients', 'mailContacts'],
  ['recipients', 'mailUsers'],
];
/** Mappings whose broken keys are left out (their defaults apply, so the section is marked). */
const MAPPINGS = ['organization', 'transportService', 'recipientFilter', 'recipients'];
/** Lists whose entries other entries name (by `name`): sites, servers, DAGs, databases. */
const NAMED = new Set(['sites', 'servers', 'databaseAvailabilityGroups', 'mailboxDatabases']);

/**
 * Rules that conclude from what is missing, and the sections whose left-out entries could make
 * them wrong. Rules not listed judge an entry by itself and by the objects it names.
 */
const ABSENCE: Record<string, readonly string[]> = {
  V2: ['edgeSubscriptions'],
  V4: ['sites', 'siteLinks', 'servers'],
  V5: ['servers'],
  V6: ['sites', 'siteLinks', 'servers'],
  V41: ['acceptedDomains'],
  V42: ['sendConnectors', 'servers', 'edgeSubscriptions'],
  V43: ['sendConnectors', 'servers', 'edgeSubscriptions'],
  V44: ['servers'],
  'database-has-server': ['servers', 'databaseAvailabilityGroups'],
  'recipient-domain': ['acceptedDomains'],
  'connector-above-org-limit': ['organization'],
};

const MAX_ROUNDS = 4;

export function checkConfig(value: unknown): CheckedConfig {
  const parsed = parseTopology(value);
  if (parsed.written && parsed.topology) {
    return { written: parsed.written, topology: parsed.topology, findings: [...parsed.findings, ...validateTopology({ written: parsed.written, topology: parsed.topology })] };
  }
  if (!isRecord(value) || parsed.findings.length === 0) return { findings: parsed.findings };

  const pruning = new Pruning(value);
  const schema = [...parsed.findings];
  let findings = parsed.findings;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    pruning.leaveOut(findings.map((f) => f.path));
    const again = parseTopology(pruning.value);
    if (again.written && again.topology) {
      if (pruning.unknownName) return { findings: schema };
      const semantic = validateTopology({ written: again.written, topology: again.topology })
        .map((f) => ({ ...f, path: pruning.original(f.path) }))
        .filter((f) => pruning.reliable(f));
      return { findings: [...schema, ...semantic] };
    }
    // What only shows once the first errors are out of the way (a refinement zod runs last).
    const known = new Set(schema.map(findingKey));
    schema.push(...again.findings.map((f) => ({ ...f, path: pruning.original(f.path) })).filter((f) => !known.has(findingKey(f))));
    findings = again.findings;
  }
  return { findings: schema };
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.path.join('\u0000')}\u0000${f.message}`;
}

/** The value with the broken parts left out, and what it takes to map findings back. */
class Pruning {
  readonly value: Record<string, unknown>;
  /** Per list (key path joined by '.'), the original index of every entry still in it. */
  private readonly kept = new Map<string, number[]>();
  /** Sections that lost an entry or a key. */
  private readonly touched = new Set<string>();
  /** Names (nameKey) of left-out objects that others may name. */
  private readonly leftOutNames = new Set<string>();
  /** A left-out object's name could not be told. */
  unknownName = false;

  constructor(private readonly source: Record<string, unknown>) {
    this.value = structuredClone(source);
    for (const list of LISTS) {
      const entries = listAt(this.value, list);
      if (entries) this.kept.set(list.join('.'), entries.map((_, i) => i));
    }
  }

  /**
   * Leave out whatever holds the values at these paths (paths of the current, pruned value): list
   * entries last and from the end, so that one removal does not move the next one's index.
   */
  leaveOut(paths: readonly ConfigPath[]): void {
    const entries = (path: ConfigPath) => {
      const list = LISTS.find((l) => l.every((part, i) => path[i] === part));
      return list && typeof path[list.length] === 'number' ? (path[list.length] as number) : -1;
    };
    const ordered = [...paths].sort((a, b) => entries(b) - entries(a));
    const done = new Set<string>();
    for (const path of ordered) {
      const list = LISTS.find((l) => l.every((part, i) => path[i] === part));
      const key = list && entries(path) >= 0 ? `${list.join('.')}#${entries(path)}` : path.join('\u0000');
      if (done.has(key)) continue;
      done.add(key);
      this.leaveOutOne(path);
    }
  }

  private leaveOutOne(path: ConfigPath): void {
    const list = LISTS.find((l) => l.every((part, i) => path[i] === part));
    if (list) {
      const id = list.join('.');
      const section = String(list[list.length - 1]);
      this.touched.add(section);
      const index = path[list.length];
      const entries = listAt(this.value, list);
      const kept = this.kept.get(id);
      if (typeof index === 'number' && entries && kept && index < entries.length) {
        this.remember(section, entries[index]);
        entries.splice(index, 1);
        kept.splice(index, 1);
        return;
      }
      // The list itself has the wrong type: all of it is out.
      if (NAMED.has(section)) this.unknownName = true;
      this.deleteAt(list);
      this.kept.delete(id);
      return;
    }
    const section = path[0];
    if (typeof section !== 'string') {
      this.unknownName = true;
      return;
    }
    if (MAPPINGS.includes(section)) {
      this.touched.add(section);
      if (path.length >= 2 && !(section === 'recipients' && LISTS.some((l) => l[1] === path[1]))) this.deleteAt(path.slice(0, 2));
      else {
        if (section === 'recipients') for (const l of LISTS) if (l[0] === 'recipients') this.touched.add(String(l[1]));
        this.deleteAt([section]);
      }
      return;
    }
    // An unknown top-level key: harmless, unless it is a misspelt section the file lacks.
    delete this.value[section];
    const meant = suggest(section, [...LISTS.map((l) => String(l[0])), ...MAPPINGS]);
    if (meant && !(meant in this.source)) {
      this.touched.add(meant);
      if (NAMED.has(meant)) this.unknownName = true;
    }
  }

  /** A path of the pruned value as a path of the file. */
  original(path: ConfigPath): ConfigPath {
    const list = LISTS.find((l) => l.every((part, i) => path[i] === part));
    const index = list ? path[list.length] : undefined;
    const kept = list ? this.kept.get(list.join('.')) : undefined;
    if (!list || typeof index !== 'number' || !kept || kept[index] === undefined) return path;
    return [...list, kept[index], ...path.slice(list.length + 1)];
  }

  /** False for a finding that could depend on a left-out entry (`f.path` is the file's). */
  reliable(f: Finding): boolean {
    if ((ABSENCE[f.ruleId] ?? []).some((section) => this.touched.has(section))) return false;
    if (this.leftOutNames.size === 0) return true;
    const list = LISTS.find((l) => l.every((part, i) => f.path[i] === part));
    const index = list ? f.path[list.length] : undefined;
    if (!list || typeof index !== 'number') return true;
    const entry = listAt(this.source, list)?.[index];
    return !namesAny(entry, this.leftOutNames, true);
  }

  private remember(section: string, entry: unknown): void {
    if (!NAMED.has(section)) return;
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name === 'string' || typeof name === 'number' || typeof name === 'boolean') this.leftOutNames.add(nameKey(String(name)));
    else this.unknownName = true;
  }

  private deleteAt(path: ConfigPath): void {
    const parent = path.slice(0, -1).reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), this.value);
    if (isRecord(parent)) delete parent[path[path.length - 1]!];
  }
}

function listAt(root: unknown, list: ConfigPath): unknown[] | undefined {
  const node = list.reduce<unknown>((n, part) => (isRecord(n) ? n[part] : undefined), root);
  return Array.isArray(node) ? node : undefined;
}

/** Whether any string inside `node` is one of `names` (the entry's own `name` aside). */
function namesAny(node: unknown, names: ReadonlySet<string>, top: boolean): boolean {
  if (typeof node === 'string') return names.has(nameKey(node));
  if (Array.isArray(node)) return node.some((item) => namesAny(item, names, false));
  if (isRecord(node)) return Object.entries(node).some(([key, child]) => !(top && key === 'name') && namesAny(child, names, false));
  return false;
}

function isRecord(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
