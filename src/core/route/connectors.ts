/**
 * Send connector selection for an external recipient (R100–R106, R118, R119, A15). Candidates come
 * from the address-space index (exact domain, then each parent's `*.` entry, then `*`), so a lookup
 * touches only the connectors that can match. The candidates of each (matching address spaces,
 * viewpoint) are evaluated and ranked once (R102–R104 steps 2–4) and kept in the routing cache; a
 * message size only filters the ranked lists afterwards (R104 step 1), so the relay, which always
 * knows the size, reads the same cache as a plan without one.
 */
import { formatAddressSpace, type AddressSpace } from '../model/address-space.js';
import { compareNames } from '../model/names.js';
import type { SendConnector, Server } from '../model/topology.js';
import { formatSize } from '../model/units.js';
import { connectorGroup, type DeliveryGroup } from './delivery-groups.js';
import { nearest, type Reach } from './primary-site.js';
import { routeToGroup, treeAt, type Explain, type GroupRoute } from './relay.js';
import { pathMaxSize, type PathTree } from './site-graph.js';
import type { ConnectorSpace, RoutingIndex } from './routing-index.js';
import type { Candidate } from './types.js';
import { sortSmall } from './sort-small.js';
import { viewpoint, type Viewpoint } from './viewpoint.js';

/** One eligible connector as seen from L; shared by every request of its viewpoint (read-only). */
export interface ConnectorChoice {
  readonly connector: SendConnector;
  /** Its source servers (R71). */
  readonly group: DeliveryGroup;
  /** The matching address space (R100, R101). */
  readonly space: AddressSpace;
  readonly specificity: number;
  /** Nearest source servers (R105). */
  readonly reach: Readonly<Reach>;
  /** Smallest site link limit on the way to them (R87); Infinity when they are local. */
  readonly pathMaxSize: number;
  /** R104 4a. */
  readonly aggregateCost: number;
  /** R104 4b: 0 = L, 1 = L's site, 2 + site links for a remote site. */
  readonly hopRank: number;
  /** Connector limit combined with the route's site link limit (A15). */
  readonly maxSize: number;
}

export interface ConnectorSelection {
  readonly chosen: ConnectorChoice | undefined;
  /** How L reaches the chosen connector's source servers (R105). */
  readonly route: GroupRoute | undefined;
  /** Every other matching connector with why it lost, then the losing paths of the route, built on demand. */
  readonly explain: Explain;
  /** R104 step 5: nothing matched (unreachable) or everything that matched was too small (NDR). */
  readonly failure: 'noConnector' | 'tooSmall' | undefined;
}

/**
 * Every SMTP address space other than `*` that matches d, one entry per connector (its most specific
 * space, then the cheapest). Specificity as in R101 (matchSpecificity): exact d = 2·labels(d)+1,
 * `*.s` = 2·labels(s); `*` (0) is handled apart, being the same for every domain.
 */
function matching(index: RoutingIndex, domain: string): (ConnectorSpace & { specificity: number })[] {
  // Few entries match a domain: a flat array with a linear de-duplication beats a Map here.
  const found: (ConnectorSpace & { specificity: number })[] = [];
  const consider = (entries: readonly ConnectorSpace[] | undefined, specificity: number): void => {
    if (!entries) return;
    for (const entry of entries) {
      let i = 0;
      while (i < found.length && found[i]!.connector !== entry.connector) i++;
      const current = found[i];
      if (!current) found.push({ connector: entry.connector, space: entry.space, specificity });
      else if (specificity > current.specificity || (specificity === current.specificity && entry.space.cost < current.space.cost)) {
        found[i] = { connector: entry.connector, space: entry.space, specificity };
      }
    }
  };
  let labels = 1;
  for (let i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) labels++;
  consider(index.spaceExact.get(domain), 2 * labels + 1);
  if (index.spaceWildcard.size > 0) {
    // `*.s` for s = d and each parent of d (R101).
    let at = 0;
    for (;;) {
      consider(index.spaceWildcard.get(at === 0 ? domain : domain.slice(at)), 2 * labels--);
      const dot = domain.indexOf('.', at);
      if (dot < 0) break;
      at = dot + 1;
    }
  }
  return found;
}

/** R102 reasons that do not depend on the categorizing server (also what validation counts as "usable"). */
export function staticIgnore(connector: SendConnector, sources: readonly Server[]): string | undefined {
  if (!connector.enabled) return 'disabled (R102)';
  if (!connector.dnsRoutingEnabled && connector.smartHosts.length === 0) return 'smart-host routing with no smart hosts (R102)';
  if (sources.length === 0) return 'no source transport server exists (R102)';
  return undefined;
}

/** R102/R103 (and R117, R119 on an Edge): why a connector cannot take part at all, or undefined. */
function ignoredBecause(from: Server, local: number, connector: SendConnector, group: DeliveryGroup): string | undefined {
  const sources = group.servers;
  const fixed = staticIgnore(connector, sources);
  if (fixed) return fixed;
  const onFrom = sources.includes(from);
  if (from.role === 'Edge' && !onFrom) return `not sourced on the Edge server ${from.name}, which only uses its own connectors (R119)`;
  // R117: `--` (the Edge's inbound connector) expands into accepted domains only on the Edge itself.
  if (connector.edgeSync?.direction === 'Inbound' && !onFrom) return 'EdgeSync inbound connector: its address spaces (--) exist only on the Edge (R117)';
  if (connector.isScopedConnector) {
    const visible = onFrom || (local >= 0 && group.sites.some((p) => p.site === local));
    if (!visible) return 'scoped connector, invisible outside the sites of its source servers (R103)';
  }
  return undefined;
}

function compareChoices(a: ConnectorChoice, b: ConnectorChoice): number {
  return a.aggregateCost - b.aggregateCost || a.hopRank - b.hopRank || compareNames(a.connector.name, b.connector.name);
}

function lossReason(loser: ConnectorChoice, winner: ConnectorChoice): { reason: string; rule: string } {
  if (loser.specificity !== winner.specificity) {
    return {
      reason: `address space ${formatAddressSpace(loser.space)} is less specific than ${formatAddressSpace(winner.space)} (R101, R104 step 3)`,
      rule: 'R101',
    };
  }
  if (loser.aggregateCost !== winner.aggregateCost) {
    return { reason: `aggregate cost ${loser.aggregateCost} > ${winner.aggregateCost} (R104 step 4a)`, rule: 'R104' };
  }
  if (loser.hopRank !== winner.hopRank) return { reason: `same cost, its source servers are farther away (R104 step 4b)`, rule: 'R104' };
  return { reason: `same cost and distance; name sorts after ${winner.connector.name} (R104 step 4c)`, rule: 'R104' };
}

interface LevelEval {
  readonly eligible: readonly ConnectorChoice[];
  readonly ignored: readonly (() => Candidate)[];
}

/** R102/R103/R104 steps 2 and 4a–c for the connectors of one specificity level, as seen from L: eligible ones best first. */
function evaluateLevel(index: RoutingIndex, from: Server, local: number, tree: PathTree | undefined, level: readonly LevelEntry[], specificity: number): LevelEval {
  const eligible: ConnectorChoice[] = [];
  const ignored: (() => Candidate)[] = [];
  for (const { connector, space, group } of level) {
    const why = ignoredBecause(from, local, connector, group);
    if (why) {
      ignored.push(() => ({ kind: 'connector', name: connector.name, reason: why, rule: /\((R\d+)\)$/.exec(why)?.[1] ?? 'R102' }));
      continue;
    }
    const reach = nearest(index, from, local, tree, group);
    if (!reach) {
      ignored.push(() => ({ kind: 'connector', name: connector.name, reason: 'no route to any of its source servers (R102)', rule: 'R102' }));
      continue;
    }
    const remote = reach.proximity === 2;
    // A15/R87: the smallest link limit of the path was recorded by Dijkstra (O(1)).
    const pathMax = remote ? pathMaxSize(index.graph, tree!, reach.site) : Infinity;
    eligible.push({
      connector,
      group,
      space,
      specificity,
      reach,
      pathMaxSize: pathMax,
      aggregateCost: space.cost + (remote ? reach.cost : 0),
      hopRank: remote ? 2 + reach.hops : reach.proximity,
      maxSize: Math.min(connector.maxMessageSize, pathMax),
    });
  }
  // Stable: ties of compareChoices keep index order, as the first-found winner did.
  sortSmall(eligible, compareChoices);
  return { eligible, ignored };
}

export interface AnyInfo {
  /** One `*` entry per connector (its cheapest). */
  readonly entries: readonly LevelEntry[];
  readonly sources: ReadonlySet<Server>;
}

function anyInfo(index: RoutingIndex): AnyInfo {
  return index.cache.anyInfo.find() ?? index.cache.anyInfo.keep(anyInfoNow(index));
}

function anyInfoNow(index: RoutingIndex): AnyInfo {
  const cheapest = new Map<SendConnector, ConnectorSpace>();
  for (const e of index.spaceAny) {
    const current = cheapest.get(e.connector);
    if (!current || e.space.cost < current.space.cost) cheapest.set(e.connector, e);
  }
  const entries = [...cheapest.values()].map((e) => ({ connector: e.connector, space: e.space, group: connectorGroup(index, e.connector) }));
  return { entries, sources: new Set(entries.flatMap((e) => e.group.servers)) };
}

export type Matched = readonly (ConnectorSpace & { readonly specificity: number })[];
const NO_MATCH: Matched = [];

/** A connector's matching address space and its source servers. */
interface LevelEntry extends ConnectorSpace {
  readonly group: DeliveryGroup;
}

/** One level of R101 specificity: its address spaces; the `*` level (0) comes last. */
interface Level {
  readonly specificity: number;
  readonly entries: readonly LevelEntry[];
}

/**
 * What connector selection needs of one recipient domain, worked out once per domain: the address
 * spaces that match it (R101), grouped into levels of specificity, and the source servers of those
 * connectors (a categorizing server among them sees the candidates as itself, R102, R103, R105).
 * Every domain that only `*` matches (the Internet) shares one record, which keys the selection
 * caches below. Shared: read-only.
 */
export interface DomainSpaces {
  /** The non-`*` address spaces matching the domain, most specific first. */
  readonly specific: Matched;
  readonly levels: readonly Level[];
  /** Source servers of the connectors of `specific` (those of `*` connectors are in anyInfo). */
  readonly specificSources: readonly Server[];
  /** Names the record in the routing cache's keys. */
  readonly id: number;
}

function domainSpacesOf(index: RoutingIndex, specific: Matched): DomainSpaces {
  const levels: Level[] = [];
  for (let i = 0; i < specific.length; ) {
    const specificity = specific[i]!.specificity;
    let j = i;
    while (j < specific.length && specific[j]!.specificity === specificity) j++;
    levels.push({ specificity, entries: specific.slice(i, j).map((e) => ({ connector: e.connector, space: e.space, group: connectorGroup(index, e.connector) })) });
    i = j;
  }
  // The `*` entries of connectors that matched nothing more specific.
  const anyAll = anyInfo(index).entries;
  let anyLeft = anyAll;
  if (specific.length > 0) {
    const seen = new Set(specific.map((e) => e.connector));
    anyLeft = anyAll.filter((e) => !seen.has(e.connector));
  }
  const specificSources = [...new Set(levels.flatMap((l) => l.entries.flatMap((e) => e.group.servers)))];
  levels.push({ specificity: 0, entries: anyLeft });
  return { specific, levels, specificSources, id: index.cache.keyId() };
}

/** The address spaces and levels of `domain` (R101); shared: read-only. */
export function domainSpaces(index: RoutingIndex, domain: string): DomainSpaces {
  const cache = index.cache.matching;
  return cache.find(domain) ?? cache.keep(domain, domainSpacesNow(index, domain));
}

function domainSpacesNow(index: RoutingIndex, domain: string): DomainSpaces {
  const found = matching(index, domain).sort((a, b) => b.specificity - a.specificity);
  return found.length === 0 ? index.cache.onlyAny.get(() => domainSpacesOf(index, NO_MATCH)) : domainSpacesOf(index, found);
}

/** The SMTP address spaces other than `*` that match `domain`, most specific first (R101); shared: read-only. */
export function matchingSpaces(index: RoutingIndex, domain: string): Matched {
  return domainSpaces(index, domain).specific;
}

/**
 * The candidates for one (domain's address spaces, viewpoint), level by level from the most specific,
 * each level evaluated on first use (R104 step 3 stops at the first level with a connector that fits,
 * so the `*` level of a partner domain is rarely looked at). Shared through the routing cache, for
 * every message size: read-only once evaluated (the evaluation state is private).
 */
export class RankedCandidates {
  readonly levels: readonly Level[];
  readonly #evaluated: (LevelEval | undefined)[] = [];
  readonly #index: RoutingIndex;
  readonly #from: Server;
  readonly #site: number;
  readonly #tree: PathTree | undefined;

  constructor(index: RoutingIndex, from: Server, site: number, spaces: DomainSpaces) {
    this.#index = index;
    this.#from = from;
    this.#site = site;
    this.#tree = treeAt(index, site);
    this.levels = spaces.levels;
  }

  /** Level i evaluated as seen from the viewpoint (R102, R103, R104 steps 2, 4). */
  level(i: number): LevelEval {
    let done = this.#evaluated[i];
    if (!done) {
      const l = this.levels[i]!;
      done = evaluateLevel(this.#index, this.#from, this.#site, this.#tree, l.entries, l.specificity);
      this.#evaluated[i] = done;
    }
    return done;
  }
}

/** R104 step 1 on the ranked levels: the level of the first connector, most specific level first, that carries `size` (0: any); levels.length when none does. */
function pickLevel(ranked: RankedCandidates, size: number): number {
  for (let i = 0; i < ranked.levels.length; i++) if (fitting(ranked.level(i), size)) return i;
  return ranked.levels.length;
}

/** The first connector of a level that carries `size`. */
function fitting(level: LevelEval, size: number): ConnectorChoice | undefined {
  for (const c of level.eligible) if (size <= 0 || size <= c.maxSize) return c;
  return undefined;
}

/** R104 step 1: the chosen connector; undefined when none carries `size` (R104 step 5). */
function pick(ranked: RankedCandidates, size: number): ConnectorChoice | undefined {
  const level = pickLevel(ranked, size);
  return level < ranked.levels.length ? fitting(ranked.level(level), size) : undefined;
}

function tooSmall(c: ConnectorChoice, size: number): Candidate {
  return c.connector.maxMessageSize < size
    ? { kind: 'connector', name: c.connector.name, reason: `maxMessageSize ${formatSize(c.connector.maxMessageSize)} < message ${formatSize(size)} (R104 step 1)`, rule: 'R104' }
    : { kind: 'connector', name: c.connector.name, reason: `a site link on the way to its source servers carries at most ${formatSize(c.pathMaxSize)} (A15, R87)`, rule: 'A15' };
}

/** Why every other matching connector lost (R101–R104), read from the same ranked levels. */
function losers(ranked: RankedCandidates, size: number): Candidate[] {
  const level = pickLevel(ranked, size);
  const chosen = pick(ranked, size);
  const result: Candidate[] = [];
  ranked.levels.forEach((l, i) => {
    // Levels up to the chosen one were evaluated (all of them when none was chosen).
    if (i > level) return;
    const { eligible, ignored } = ranked.level(i);
    for (const why of ignored) result.push(why());
    for (const c of eligible) {
      if (c === chosen) continue;
      const fits = size <= 0 || size <= c.maxSize;
      result.push(fits && chosen ? { kind: 'connector', name: c.connector.name, ...lossReason(c, chosen) } : tooSmall(c, size));
    }
  });
  if (chosen) {
    // R104 step 3: less specific levels are not even considered; listed only when someone asks why.
    const won = chosen.space;
    for (let i = level + 1; i < ranked.levels.length; i++) {
      for (const e of ranked.levels[i]!.entries) {
        result.push({
          kind: 'connector',
          name: e.connector.name,
          reason: `address space ${formatAddressSpace(e.space)} is less specific than ${formatAddressSpace(won)} (R101, R104 step 3)`,
          rule: 'R101',
        });
      }
    }
  }
  return result.sort((a, b) => compareNames(a.name, b.name));
}

/**
 * The ranked candidates of (spaces, viewpoint). `keep` false: the caller keeps the selection built on
 * them (the size-less one), which holds them: they are reused when kept already, not kept twice.
 */
function rankedFor(index: RoutingIndex, from: Server, site: number, spaces: DomainSpaces, view: Viewpoint, keep: boolean): RankedCandidates {
  const rankings = index.cache.rankings;
  const found = rankings.find(spaces, view);
  if (found) return found;
  const ranked = new RankedCandidates(index, from, site, spaces);
  return keep ? rankings.keep(spaces, view, ranked, spaces.specific === NO_MATCH) : ranked;
}

function selectionOf(index: RoutingIndex, from: Server, site: number, ranked: RankedCandidates, size: number, keep: boolean): ConnectorSelection {
  const chosen = pick(ranked, size);
  if (!chosen) {
    // Every level was evaluated by pick.
    const anyEligible = ranked.levels.some((_, i) => ranked.level(i).eligible.length > 0);
    return { chosen: undefined, route: undefined, explain: () => losers(ranked, size), failure: anyEligible ? 'tooSmall' : 'noConnector' };
  }
  const route = routeToGroup(index, from, chosen.group, site, keep);
  return { chosen, route, explain: () => [...losers(ranked, size), ...route.explain()], failure: undefined };
}

/**
 * R104 for recipient domain d and message size n (bytes, 0 when unknown) on server L of site index
 * `site`. The result depends on d only through the address spaces that match it (domains matching only
 * `*` all share one record) and on L only through its viewpoint (site and role, unless L is a source
 * server of a candidate): the ranked candidates are computed once per pair and shared (read-only); a
 * size filters them afterwards.
 */
export function selectConnector(index: RoutingIndex, from: Server, site: number, domain: string, size: number): ConnectorSelection {
  const spaces = domainSpaces(index, domain);
  const view = viewpoint(from, site, anyInfo(index).sources.has(from) || spaces.specificSources.includes(from));
  // Every domain that matches only `*` (the Internet) shares one record: keep its results at once.
  const shared = spaces.specific === NO_MATCH;
  if (size > 0) return selectionOf(index, from, site, rankedFor(index, from, site, spaces, view, true), size, true);
  const selections = index.cache.selections;
  return selections.find(spaces, view) ?? selections.keep(spaces, view, selectionOf(index, from, site, rankedFor(index, from, site, spaces, view, false), 0, false), shared);
}
