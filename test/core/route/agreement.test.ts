/**
 * One routing engine (issue 7): `route table` and `route diff` agree with `route plan`, proved on random
 * topologies (fast-check, fixed seeds) and on every example.
 * (a) every table row is the first-stop decision of `route plan` for its class's representative, field by field;
 * (b) for random single edits, the diff reports a change exactly when some plan result (without the
 *     explanation `candidates`) changes for some (server, address); key order changes nothing;
 * (c) cached and uncached routing indexes plan alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildRouteTable, diffTables, planRoute, uncachedRoutingIndex } from '../../../src/core/route/index.js';
import type { Topology } from '../../../src/core/model/topology.js';
import type { RouteDecision } from '../../../src/core/route/types.js';
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';
import { parseTopology } from '../../../src/core/schema/parse.js';
import { topology } from './fixtures.js';
import { EDITS, randomConfig, randomOrg } from './random-org.js';

const SEED = 20261203;
const RUNS = 200;

/** A plan decision without what only explains it; members likewise. */
function outcome(d: RouteDecision): unknown {
  const { candidates: _c, members, ...rest } = d;
  return JSON.parse(JSON.stringify({ ...rest, ...(members ? { members: members.map(outcome) } : {}) }));
}

function firstStop(d: RouteDecision): unknown {
  const { candidates: _c, members: _m, hops: _h, ...rest } = d;
  return JSON.parse(JSON.stringify(rest));
}

function checkTableAgreesWithPlan(t: Topology): number {
  const table = buildRouteTable(t);
  let rows = 0;
  for (const server of table.servers) {
    for (const row of table.rowsFor(server)) {
      const { server: name, class: cls, ...decision } = row;
      expect(name).toBe(server.name);
      const planned = planRoute(t, { from: server.name, recipients: [cls.address] }).decisions[0]!;
      const expected = firstStop(planned) as Record<string, unknown>;
      if (planned.hops.some((h) => h.server !== server.name)) {
        // A later stop may still refuse it (R93): the plan's status is the message's, the row's the first stop's.
        expect(decision.status).toBe('routed');
        expected.status = 'routed';
        expected.reason = null;
      }
      expect(JSON.parse(JSON.stringify(decision))).toEqual(expected);
      rows++;
    }
  }
  return rows;
}

const examples = readdirSync(new URL('../../../examples/', import.meta.url)).filter((f) => f.endsWith('.mxt.yaml') && f !== 'broken.mxt.yaml');
const exampleConfig = (f: string) => parse(readFileSync(new URL(`../../../examples/${f}`, import.meta.url), 'utf8')) as WrittenTopologyInput;

function parsed(cfg: WrittenTopologyInput): Topology | undefined {
  return parseTopology(cfg).topology;
}

/** Every address whose plan the diff must account for: the classes of both configs, the directory, and a few more. */
function probes(a: Topology, b: Topology): string[] {
  const set = new Set<string>();
  for (const t of [a, b]) {
    for (const c of buildRouteTable(t).classes) set.add(c.address);
    const r = t.recipients;
    for (const x of [...r.mailboxes, ...r.distributionGroups, ...r.mailContacts, ...r.mailUsers]) set.add(x.address);
  }
  for (const extra of ['x@fabrikam.com', 'y@deep.eu.fabrikam.com', 'z@eu.fabrikam.com', 'w@sub.relay.contoso.com', 'v@relay.contoso.com', 'nobody@contoso.com', 'u@a.contoso.com', 'q@northwind.com']) set.add(extra);
  return [...set];
}

function plansDiffer(a: Topology, b: Topology): string | undefined {
  const servers = new Set([...a.servers, ...b.servers].map((s) => s.name));
  const addresses = probes(a, b);
  for (const server of servers) {
    const inA = a.servers.some((s) => s.name === server);
    const inB = b.servers.some((s) => s.name === server);
    if (inA !== inB) return `server ${server} only in one`;
    const pa = planRoute(a, { from: server, recipients: addresses }).decisions.map(outcome);
    const pb = planRoute(b, { from: server, recipients: addresses }).decisions.map(outcome);
    for (let i = 0; i < addresses.length; i++) {
      if (JSON.stringify(pa[i]) !== JSON.stringify(pb[i])) return `${server} → ${addresses[i]}`;
    }
  }
  return undefined;
}

describe('one routing engine: route table and route diff agree with route plan', () => {
  it.each(examples)('(a) on examples/%s every table row is the first-stop decision of route plan for its representative', (file) => {
    expect(checkTableAgreesWithPlan(topology(exampleConfig(file)))).toBeGreaterThan(0);
  });

  it(`(a) on ${RUNS} random topologies every table row is the first-stop decision of route plan (R72, R85, R102–R106, R117–R119)`, () => {
    let rows = 0;
    fc.assert(
      fc.property(randomOrg, (o) => {
        rows += checkTableAgreesWithPlan(topology(randomConfig(o)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(rows).toBeGreaterThan(RUNS * 10);
  });

  it(`(b) on ${RUNS} random single edits route diff reports a change exactly when some route plan result changes`, () => {
    const kinds = Object.keys(EDITS);
    let changed = 0;
    let unchanged = 0;
    fc.assert(
      fc.property(randomOrg, fc.constantFrom(...kinds), fc.nat(1000), (o, kind, n) => {
        const base = randomConfig(o);
        const edited = structuredClone(base) as WrittenTopologyInput & Record<string, unknown>;
        const what = EDITS[kind]!(edited, n);
        fc.pre(what !== undefined);
        const a = parsed(base);
        const b = parsed(edited);
        fc.pre(a !== undefined && b !== undefined);
        const diff = diffTables(buildRouteTable(a!), buildRouteTable(b!));
        const planChange = plansDiffer(a!, b!);
        expect({ what, diff: diff.changed }).toEqual({ what, diff: planChange !== undefined });
        if (diff.changed) changed++;
        else unchanged++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes occur: the property is not vacuous.
    expect(changed).toBeGreaterThan(RUNS / 10);
    expect(unchanged).toBeGreaterThan(0);
  });

  it('(b) key order changes nothing: the diff of a config with its keys and lists of links reordered is empty', () => {
    fc.assert(
      fc.property(randomOrg, (o) => {
        const cfg = randomConfig(o);
        const reversed = Object.fromEntries(Object.entries(cfg).reverse()) as WrittenTopologyInput;
        reversed.siteLinks = [...(cfg.siteLinks ?? [])].reverse();
        reversed.sendConnectors = [...(cfg.sendConnectors ?? [])].reverse().map((c) => Object.fromEntries(Object.entries(c).reverse()) as typeof c);
        expect(diffTables(buildRouteTable(topology(cfg)), buildRouteTable(topology(reversed))).changed).toBe(false);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it(`(c) on ${RUNS} random topologies the cached and the uncached routing index give the same plans, with and without a size`, () => {
    fc.assert(
      fc.property(randomOrg, fc.integer({ min: 0, max: 45 }), (o, mb) => {
        const t = topology(randomConfig(o));
        const uncached = uncachedRoutingIndex(t);
        const addresses = probes(t, t);
        for (const server of t.servers) {
          for (const size of [undefined, mb * 1024 * 1024]) {
            // Twice on the cached index: the second plan reads what the first one cached.
            planRoute(t, { from: server.name, recipients: addresses, size });
            const cached = planRoute(t, { from: server.name, recipients: addresses, size });
            const fresh = planRoute(uncached, { from: server.name, recipients: addresses, size });
            expect(JSON.parse(JSON.stringify(cached))).toEqual(JSON.parse(JSON.stringify(fresh)));
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
