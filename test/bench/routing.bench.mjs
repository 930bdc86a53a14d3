// Routing benchmark (issue 7): synthetic orgs of 100, 1,000 and 5,000 sites (5 Mailbox servers a site,
// a DAG per 2 sites, a partner connector per 2 sites, a sparse random link graph, fixed seed).
// For each size: parse time; 100,000 single-recipient decisions (nextHop, the relay's call) over random
// (server, recipient) pairs (fixed seed 7; 1/3 mailbox, 1/3 partner domain, 1/3 Internet), timed twice:
// cold (a fresh routing index: path trees and caches built on the way) and warm (the same index after
// a warm-up pass over 100,000 other random pairs, seed 8: what a long-running relay sees); the full
// route table (every server, every address class) streamed to /dev/null as text and as JSON through
// the CLI's own renderer, with time and peak RSS. Times are wall clock and process CPU time (user +
// system): the machine may be shared, so the load average is printed with the figures. Then distribution groups: 50 groups
// that all contain one another, and a chain of 1,000 nested groups, each planned once.
// Then route diff (the pull-request check) of one link cost changed, at up to 1,000 sites, against a
// peer in this process: the same two tables with each field compared as JSON strings (how it was done).
// Targets: 100k decisions at 5,000 sites < 1 s; 5,000-site full table < 30 s and < 1 GB peak RSS.
// BENCH_SITES=100,1000 limits the sizes; BENCH_TABLE_SECONDS caps one table run (then rows/s extrapolate).
import { openSync, writeSync, closeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { prng, syntheticOrg } from '../../dist/core/synthetic/org.js';
import { parseTopology } from '../../dist/core/schema/parse.js';
import { buildRouteTable, nextHop, planRoute, routingIndex } from '../../dist/core/route/index.js';
import { COMPARED, diffTables, serverRoutes } from '../../dist/core/route/table.js';
import { routeTableChunks } from '../../dist/cli/render/route-table.js';

const SIZES = (process.env.BENCH_SITES ?? '100,1000,5000').split(',').map(Number);
const DECISIONS = Number(process.env.BENCH_PLANS ?? 100_000);
const CAP_MS = Number(process.env.BENCH_TABLE_SECONDS ?? 30) * 1000;
const gc = globalThis.gc ?? (() => {});
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const now = () => performance.now();
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function peakRss(run) {
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t = now();
  const result = run();
  const ms = now() - t;
  clearInterval(sample);
  return { ms, rss: Math.max(peak, process.memoryUsage().rss), result };
}

/** The whole table through the CLI renderer into /dev/null; stops after CAP_MS (rows counted). */
function tableTo(format, topology) {
  const table = buildRouteTable(topology);
  const fd = openSync('/dev/null', 'w');
  let rows = 0;
  let servers = 0;
  let bytes = 0;
  let complete = true;
  const start = now();
  const cpu = process.cpuUsage();
  // rss is sampled between chunks (the loop is synchronous, a timer would never fire).
  let rss = process.memoryUsage().rss;
  const counted = (function* () {
    for (const s of serverRoutes(table)) {
      rows += s.routes.length;
      servers++;
      yield s;
      if (now() - start > CAP_MS) {
        complete = false;
        return;
      }
    }
  })();
  for (const chunk of routeTableChunks(format, { version: 1, file: 'synthetic', servers: counted }, 0)) {
    writeSync(fd, chunk);
    bytes += chunk.length;
    if ((servers & 63) === 0) rss = Math.max(rss, process.memoryUsage().rss);
  }
  closeSync(fd);
  const ms = now() - start;
  return { ms, cpu: cpuMs(cpu), rows, servers, total: table.servers.length, classes: table.classes.length, bytes, complete, rss: Math.max(rss, process.memoryUsage().rss) };
}

const rows = [];
for (const sites of SIZES) {
  const config = syntheticOrg({ sites, seed: 42 });
  gc();
  let t = now();
  const topology = parseTopology(config).topology;
  const parseMs = now() - t;
  const servers = topology.servers.map((s) => s.name);
  const mailboxes = topology.recipients.mailboxes.map((m) => m.address);
  const partners = topology.sendConnectors.filter((c) => c.name.startsWith('To Partner')).map((c) => c.addressSpaces[0].address);
  const requestsOf = (seed) => {
    const random = prng(seed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    return Array.from({ length: DECISIONS }, (_, i) => {
      const r = i % 3;
      return { server: pick(servers), recipient: r === 0 ? pick(mailboxes) : r === 1 ? `x@${pick(partners)}` : `x@world${i % 50}.example` };
    });
  };
  const requests = requestsOf(7);
  const decide = (index, list) => {
    const t0 = now();
    const c0 = process.cpuUsage();
    let ok = 0;
    for (const request of list) {
      const result = nextHop(index, request);
      if (result.ok && result.decision.status === 'routed') ok++;
    }
    return { ms: now() - t0, cpu: cpuMs(c0), routed: ok };
  };
  // Cold: the index and its path trees are built by the decisions themselves.
  t = now();
  const index = routingIndex(topology);
  const indexMs = now() - t;
  const cold = decide(index, requests);
  // The index's resident memory once every site's path tree and the caches are built (the trees dominate).
  const decRss = process.memoryUsage().rss;
  decide(index, requestsOf(8));
  gc();
  const warm = decide(index, requests);
  const routed = warm.routed;
  const decisionsMs = warm.ms;
  gc();
  const text = tableTo('text', topology);
  gc();
  const json = tableTo('json', topology);
  rows.push({ sites, servers: servers.length, parseMs, indexMs, cold, warm, decRss, decisionsMs, routed, text, json, load: load() });
  console.log(`${sites} sites done (load average ${load()})`);
}

const pad = (s, w) => String(s).padStart(w);
const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
const tableCell = (x) => `${sec(x.ms)}${x.complete ? '' : '*'} cpu ${sec(x.cpu)} ${mb(x.rss)}`;
const fullSeconds = (x) => (x.ms / 1000) * (x.total / x.servers);
const fullCpuSeconds = (x) => (x.cpu / 1000) * (x.total / x.servers);
const decCell = (d) => `${d.ms.toFixed(0)}/${d.cpu.toFixed(0)} ms`;
console.log(`\nrouting benchmark: ${DECISIONS.toLocaleString('en-US')} nextHop decisions per size over random (server, recipient) pairs, seed 7 (1/3 mailbox, 1/3 partner domain, 1/3 Internet), node ${process.version}`);
console.log('decisions: wall/cpu; cold = fresh routing index (trees and caches built on the way), warm = same pairs after a warm-up pass over 100,000 other pairs (seed 8); rss = process rss after the cold pass');
console.log('table = every server × every address class on the warm index, rendered and written to /dev/null; * = stopped at the cap, full time extrapolated from the servers done');
console.log([pad('sites', 6), pad('servers', 8), pad('classes', 8), pad('rows', 12), pad('parse', 8), pad('index', 7), pad('cold dec', 16), pad('warm dec', 16), pad('µs/dec cpu', 10), pad('rss', 7), pad('text table', 26), pad('json table', 26), pad('full json≈', 11), pad('cpu rows/s', 10), '  load avg at end'].join(' '));
for (const r of rows) {
  console.log(
    [
      pad(r.sites, 6),
      pad(r.servers, 8),
      pad(r.text.classes, 8),
      pad((r.text.total * r.text.classes).toLocaleString('en-US'), 12),
      pad(`${r.parseMs.toFixed(0)} ms`, 8),
      pad(`${r.indexMs.toFixed(0)} ms`, 7),
      pad(decCell(r.cold), 16),
      pad(decCell(r.warm), 16),
      pad(((r.warm.cpu * 1000) / DECISIONS).toFixed(2), 10),
      pad(mb(r.decRss), 7),
      pad(tableCell(r.text), 26),
      pad(tableCell(r.json), 26),
      pad(`${fullSeconds(r.json).toFixed(0)} s`, 11),
      pad(Math.round(r.json.rows / (r.json.cpu / 1000)).toLocaleString('en-US'), 10),
      `  ${r.load}`,
    ].join(' '),
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  console.log(
    `${a.sites} → ${b.sites} sites (×${b.sites / a.sites}): rows ×${((b.text.total * b.text.classes) / (a.text.total * a.text.classes)).toFixed(0)}, full json table cpu ×${(fullCpuSeconds(b.json) / fullCpuSeconds(a.json)).toFixed(1)}, warm decisions cpu ×${(b.warm.cpu / a.warm.cpu).toFixed(1)}, cold decisions cpu ×${(b.cold.cpu / a.cold.cpu).toFixed(1)}`,
  );
}
const last = rows.find((r) => r.sites === 5000);
if (last) {
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets at 5,000 sites: ${DECISIONS.toLocaleString('en-US')} warm decisions < 1 s ${verdict(last.warm.ms < 1000)} (wall ${last.warm.ms.toFixed(0)} ms, cpu ${last.warm.cpu.toFixed(0)} ms, load ${last.load}); full table < 30 s ${verdict(last.json.complete && fullSeconds(last.json) < 30)} (json ≈ ${fullSeconds(last.json).toFixed(0)} s wall, ${fullCpuSeconds(last.json).toFixed(0)} s cpu); peak rss < 1 GB ${verdict(last.json.rss < 1024 ** 3 && last.text.rss < 1024 ** 3)}`,
  );
}

// Distribution groups (R64, R99): each expanded at most once per message.
function groupsOrg(groups) {
  return parseTopology({
    sites: [{ name: 'A' }],
    servers: [{ name: 'EX1', role: 'Mailbox', site: 'A', fqdn: 'ex1.contoso.com' }],
    mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'EX1' }],
    acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }],
    recipients: { mailboxes: [{ address: 'm@contoso.com', database: 'DB' }], distributionGroups: groups },
  }).topology;
}
const all50 = Array.from({ length: 50 }, (_, i) => ({ address: `g${i}@contoso.com`, members: ['m@contoso.com', ...Array.from({ length: 50 }, (_, j) => `g${j}@contoso.com`).filter((_, j) => j !== i)] }));
const chain = Array.from({ length: 1000 }, (_, i) => ({ address: `c${i}@contoso.com`, members: i < 999 ? [`c${i + 1}@contoso.com`, 'm@contoso.com'] : ['m@contoso.com'] }));
for (const [name, groups, to] of [['50 groups all containing one another', all50, 'g0@contoso.com'], ['a chain of 1,000 nested groups', chain, 'c0@contoso.com']]) {
  const topology = groupsOrg(groups);
  const { ms, rss } = peakRss(() => JSON.stringify(planRoute(topology, { from: 'EX1', recipients: [to] })).length);
  console.log(`groups: ${name}: planned and serialised in ${ms.toFixed(0)} ms (target well under 1 s: ${ms < 1000 ? 'met' : 'NOT met'}), rss ${mb(rss)}`);
}

// route diff: a one-link-cost change of the synthetic org (its first link), at the sizes up to 1,000.
for (const sites of SIZES.filter((n) => n <= 1000)) {
  const base = syntheticOrg({ sites, seed: 42 });
  const head = structuredClone(base);
  head.siteLinks[0].cost = head.siteLinks[0].cost === 99 ? 98 : 99;
  const a = parseTopology(base).topology;
  const b = parseTopology(head).topology;
  gc();
  const c0 = process.cpuUsage();
  const diff = diffTables(buildRouteTable(a), buildRouteTable(b));
  const diffCpu = cpuMs(c0);
  const diffRss = process.memoryUsage().rss;
  // The peer: fresh indexes, every row of every server, each compared field as JSON text.
  gc();
  const c1 = process.cpuUsage();
  const ta = buildRouteTable(parseTopology(base).topology);
  const tb = buildRouteTable(parseTopology(head).topology);
  const same = (x, y) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  let peerChanges = 0;
  for (let i = 0; i < ta.servers.length; i++) {
    const ra = ta.rowsFor(ta.servers[i]);
    const rb = tb.rowsFor(tb.servers[i]);
    ra.forEach((row, k) => {
      if (COMPARED.some((f) => !same(row[f], rb[k][f]))) peerChanges++;
    });
  }
  const peerCpu = cpuMs(c1);
  console.log(
    `route diff at ${sites} sites (link ${head.siteLinks[0].name} cost changed): ${diff.changes.length.toLocaleString('en-US')} changed routes in ${sec(diffCpu)} cpu, rss ${mb(diffRss)}; peer (JSON-string compare): ${peerChanges.toLocaleString('en-US')} in ${sec(peerCpu)} cpu; ratio ${(diffCpu / peerCpu).toFixed(2)}${peerChanges === diff.changes.length ? '' : ' (COUNTS DIFFER)'}`,
  );
}
