/**
 * Send connector selection for an external recipient (R100–R106, R118, R119, A15). Candidates come
 * from the address-space index (exact domain, then each parent's `*.` entry, then `*`), so a lookup
 * touches only the connectors that can match.
 */
import { formatAddressSpace, type AddressSpace } from '../model/address-space.js';
import { compareNames } from '../model/names.js';
import type { SendConnector, Server } from '../model/topology.js';
import { formatSize } from '../model/units.js';
import { connectorGroup } from './delivery-groups.js';
import { nearest, type Reach } from './primary-site.js';
import { routeToGroup, treeFor, type Explain, type GroupRoute } from './relay.js';
import { pathMaxSize, type PathTree } from './site-graph.js';
import { cached, cacheSlot, siteOf, type ConnectorSpace, type RoutingIndex } from './routing-index.js';

/** Per-topology caches: the `*` connectors, matching address spaces per domain, selections. */
const ANY_INFO = cacheSlot();
const MATCHING = cacheSlot();
const SELECTIONS = cacheSlot();
import type { Candidate } from './types.js';
import { viewpoint, ViewCache } from './viewpoint.js';

export interface ConnectorChoice {
  connector: SendConnector;
  /** The matching address space (R100, R101). */
  space: AddressSpace;
  specificity: number;
  /** Nearest source servers (R105). */
  reach: Reach;
  /** Smallest site link limit on the way to them (R87); NaN until limits() computes it. */
  pathMaxSize: number;
  tree: PathTree | undefined;
  /** Set on the chosen connector only. */
  route?: GroupRoute;
  /** R104 4a. */
  aggregateCost: number;
  /** R104 4b: 0 = L, 1 = L's site, 2 + site links for a remote site. */
  hopRank: number;
  /** Connector limit combined with the route's site link limit (A15); NaN until limits() computes it. */
  maxSize: number;
}

export interface ConnectorSelection {
  chosen?: ConnectorChoice & { route: GroupRoute };
  /** Every other matching connector with why it lost, built on demand. */
  explain: Explain;
  /** R104 step 5: nothing matched (unreachable) or everything that matched was too small (NDR). */
  failure?: 'noConnector' | 'tooSmall';
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
function ignoredBecause(index: RoutingIndex, from: Server, connector: SendConnector, sources: readonly Server[]): string | undefined {
  const fixed = staticIgnore(connector, sources);
  if (fixed) return fixed;
  const onFrom = sources.includes(from);
  if (from.role === 'Edge' && !onFrom) return `not sourced on the Edge server ${from.name}, which only uses its own connectors (R119)`;
  // R117: `--` (the Edge's inbound connector) expands into accepted domains only on the Edge itself.
  if (connector.edgeSync?.direction === 'Inbound' && !onFrom) return 'EdgeSync inbound connector: its address spaces (--) exist only on the Edge (R117)';
  if (connector.isScopedConnector) {
    const local = siteOf(index, from);
    const visible = onFrom || (local >= 0 && sources.some((s) => siteOf(index, s) === local));
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

/** A15: the site link limit is walked only when a size is asked about (most plans give none). */
function limits(index: RoutingIndex, c: ConnectorChoice): ConnectorChoice {
  if (Number.isNaN(c.maxSize)) {
    c.pathMaxSize = pathMaxSize(index.graph, c.tree!, c.reach.site);
    c.maxSize = Math.min(c.connector.maxMessageSize, c.pathMaxSize);
  }
  return c;
}

interface LevelEval {
  eligible: ConnectorChoice[];
  ignored: (() => Candidate)[];
}

/** R102/R103/R104 steps 2 and 4a–b for the connectors of one specificity level, as seen from L. */
function evaluateLevel(index: RoutingIndex, from: Server, tree: PathTree | undefined, level: readonly ConnectorSpace[], specificity: number): LevelEval {
  const eligible: ConnectorChoice[] = [];
  const ignored: (() => Candidate)[] = [];
  for (const { connector, space } of level) {
    const sources = connectorGroup(index, connector).servers;
    const why = ignoredBecause(index, from, connector, sources);
    if (why) {
      ignored.push(() => ({ kind: 'connector', name: connector.name, reason: why, rule: /\((R\d+)\)$/.exec(why)?.[1] ?? 'R102' }));
      continue;
    }
    const reach = nearest(index, from, tree, sources);
    if (!reach) {
      ignored.push(() => ({ kind: 'connector', name: connector.name, reason: 'no route to any of its source servers (R102)', rule: 'R102' }));
      continue;
    }
    const remote = reach.proximity === 2;
    eligible.push({
      connector,
      space,
      specificity,
      reach,
      pathMaxSize: remote ? NaN : Infinity,
      tree,
      aggregateCost: space.cost + (remote ? reach.cost : 0),
      hopRank: remote ? 2 + reach.hops : reach.proximity,
      maxSize: remote ? NaN : connector.maxMessageSize,
    });
  }
  return { eligible, ignored };
}

interface AnyInfo {
  /** One `*` entry per connector (its cheapest). */
  entries: ConnectorSpace[];
  sources: Set<Server>;
}

function anyInfo(index: RoutingIndex): AnyInfo {
  return cached(index, ANY_INFO, () => {
    const cheapest = new Map<SendConnector, ConnectorSpace>();
    for (const e of index.spaceAny) {
      const current = cheapest.get(e.connector);
      if (!current || e.space.cost < current.space.cost) cheapest.set(e.connector, e);
    }
    const entries = [...cheapest.values()];
    return { entries, sources: new Set(entries.flatMap((e) => connectorGroup(index, e.connector).servers)) };
  });
}

type Matched = readonly (ConnectorSpace & { specificity: number })[];
const NO_MATCH: Matched = [];

/** Matching address spaces per recipient domain, most specific first; bounded like the directory caches. */
const DOMAIN_LIMIT = 100_000;

/** The SMTP address spaces other than `*` that match `domain`, most specific first (R101); shared: read-only. */
export function matchingSpaces(index: RoutingIndex, domain: string): Matched {
  return matchingCached(index, domain);
}

function matchingCached(index: RoutingIndex, domain: string): Matched {
  const cache = cached(index, MATCHING, () => new Map<string, Matched>());
  let found = cache.get(domain);
  if (!found) {
    if (cache.size >= DOMAIN_LIMIT) cache.clear();
    found = matching(index, domain).sort((a, b) => b.specificity - a.specificity);
    // One shared list for every domain that only `*` matches: it keys the selection cache below.
    if (found.length === 0) found = NO_MATCH;
    cache.set(domain, found);
  }
  return found;
}

/** Selections kept per (matching address spaces, viewpoint): bounded, the cache starts over when full. */
const SELECTION_LIMIT = 50_000;

/**
 * R104 for recipient domain d and message size n (bytes, 0 when unknown) on server L. Without a size the
 * result depends on d only through the address spaces that match it (domains matching only `*` all
 * share one list) and on L only through its viewpoint (site and role, unless L is a source server of
 * a candidate): it is computed once per pair and shared (read-only).
 */
export function selectConnector(index: RoutingIndex, from: Server, domain: string, size: number): ConnectorSelection {
  const specific = matchingCached(index, domain);
  if (size > 0) return computeSelection(index, from, specific, size);
  const cache = cached(index, SELECTIONS, () => new ViewCache<Matched, ConnectorSelection>(SELECTION_LIMIT));
  const view = viewpoint(index, from, anyInfo(index).sources.has(from) || specific.some((e) => connectorGroup(index, e.connector).servers.includes(from)));
  // Every domain that matches only `*` (the Internet) shares the empty list: keep its result at once.
  return cache.get(specific, view, () => computeSelection(index, from, specific, size), specific === NO_MATCH);
}

/** A connector that lost, as a thunk: its text is built only when someone reads the explanation. */
type Loser = () => Candidate | Candidate[];

interface Outcome {
  chosen: ConnectorChoice | undefined;
  anyEligible: boolean;
}

function computeSelection(index: RoutingIndex, from: Server, specific: Matched, size: number): ConnectorSelection {
  const { chosen, anyEligible } = runSelection(index, from, specific, size, undefined);
  // The explanation re-runs the selection (pure: same winner) recording the losers, rather than every
  // kept selection holding dozens of losing choices alive for an explanation rarely asked for.
  const explain: Explain = () => {
    const losers: Loser[] = [];
    runSelection(index, from, specific, size, losers);
    return losers.flatMap((c) => c()).sort((a, b) => compareNames(a.name, b.name));
  };
  if (chosen) {
    const route = routeToGroup(index, from, connectorGroup(index, chosen.connector));
    if (Number.isNaN(chosen.maxSize) && route.primary?.site === chosen.reach.site) {
      // A15/R87: the route leads to the same nearest source site (R91 = R105 order) and already knows its limit.
      chosen.pathMaxSize = route.maxSize;
      chosen.maxSize = Math.min(chosen.connector.maxMessageSize, route.maxSize);
    }
    // The choice was made for this selection only: complete it in place rather than copy it.
    const done = limits(index, chosen);
    done.route = route;
    return { chosen: done as ConnectorChoice & { route: GroupRoute }, explain };
  }
  return { explain, failure: anyEligible ? 'tooSmall' : 'noConnector' };
}

/** R101 and R104 steps 1–4, level by level; `losers`, when given, receives why each other connector lost. */
function runSelection(index: RoutingIndex, from: Server, specific: Matched, size: number, losers: Loser[] | undefined): Outcome {
  const tree = treeFor(index, from);
  const anyAll = anyInfo(index).entries;
  // The `*` entries of connectors that matched nothing more specific (built only when needed).
  const anyLeft = (): readonly ConnectorSpace[] => {
    if (specific.length === 0) return anyAll;
    const seen = new Set(specific.map((e) => e.connector));
    return anyAll.filter((e) => !seen.has(e.connector));
  };
  const entries = specific;
  // R104 step 1 (with A15); without a size every connector fits and no path limit is needed.
  const fits = (c: ConnectorChoice) => size <= 0 || size <= limits(index, c).maxSize;
  const tooSmall = (c: ConnectorChoice): Candidate =>
    c.connector.maxMessageSize < size
      ? { kind: 'connector', name: c.connector.name, reason: `maxMessageSize ${formatSize(c.connector.maxMessageSize)} < message ${formatSize(size)} (R104 step 1)`, rule: 'R104' }
      : { kind: 'connector', name: c.connector.name, reason: `a site link on the way to its source servers carries at most ${formatSize(c.pathMaxSize)} (A15, R87)`, rule: 'A15' };
  let chosen: ConnectorChoice | undefined;
  let anyEligible = false;
  // Levels from the most specific down; the `*` level last (R101, R104 step 3).
  for (let i = 0; i <= entries.length; ) {
    let level: readonly ConnectorSpace[];
    let specificity: number;
    if (i === entries.length) {
      i++;
      if (chosen) {
        // R104 step 3: the `*` level is not even considered; listed only when someone asks why.
        const won = chosen.space;
        losers?.push(() =>
          anyLeft().map((e) => ({
            kind: 'connector' as const,
            name: e.connector.name,
            reason: `address space ${formatAddressSpace(e.space)} is less specific than ${formatAddressSpace(won)} (R101, R104 step 3)`,
            rule: 'R101',
          })),
        );
        continue;
      }
      level = anyLeft();
      specificity = 0;
      if (level.length === 0) continue;
    } else {
      specificity = entries[i]!.specificity;
      let j = i;
      while (j < entries.length && entries[j]!.specificity === specificity) j++;
      level = entries.slice(i, j);
      i = j;
    }
    if (chosen) {
      // R104 step 3: a more specific level already has a connector; these are not even considered.
      const won = chosen.space;
      for (const e of level) {
        losers?.push(() => ({
          kind: 'connector',
          name: e.connector.name,
          reason: `address space ${formatAddressSpace(e.space)} is less specific than ${formatAddressSpace(won)} (R101, R104 step 3)`,
          rule: 'R101',
        }));
      }
      continue;
    }
    const evaluated = evaluateLevel(index, from, tree, level, specificity);
    if (losers) losers.push(...evaluated.ignored);
    const eligible = evaluated.eligible;
    anyEligible ||= eligible.length > 0;
    // R104 step 4 within the level; when step 1 emptied it, fall to the next level (step 3).
    let best: ConnectorChoice | undefined;
    for (const c of eligible) if (fits(c) && (!best || compareChoices(c, best) < 0)) best = c;
    chosen = best;
    if (!losers) continue;
    for (const c of eligible) {
      if (c === best) continue;
      const winner = best;
      if (!fits(c)) losers.push(() => tooSmall(c));
      else losers.push(() => ({ kind: 'connector', name: c.connector.name, ...lossReason(c, winner!) }));
    }
  }
  return { chosen, anyEligible };
}
