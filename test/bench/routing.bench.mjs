// Routing benchmark (issue 7): synthetic orgs of 100, 1,000 and 5,000 sites (5 Mailbox servers a site,
// a DAG per 2 sites, a partner connector per 2 sites, a sparse random link graph, fixed seed).
// For each size: parse time; 100,000 single-recipient decisions (nextHop, the relay's call) from random
// servers; the full route table (every server, every address class) streamed to /dev/null as text and
// as JSON through the CLI's own renderer, with time and peak RSS. Then distribution groups: 50 groups
// that all contain one another, and a chain of 1,000 nested groups, each planned once.
// Targets: 100k decisions at 5,000 sites < 1 s; 5,000-site full table < 30 s and < 1 GB peak RSS.
// BENCH_SITES=100,1000 limits the sizes; BENCH_TABLE_SECONDS caps one table run (then rows/s extrapolate).
import { openSync, writeSync, closeSync } from 'node:fs';
import { prng, syntheticOrg } from '../../dist/core/synthetic/org.js';
import { parseTopology } from '../../dist/core/schema/parse.js';
import { buildRouteTable, nextHop, planRoute } from '../../dist/core/route/index.js';
import { serverRoutes } from '../../dist/core/route/table.js';
import { routeTableChunks } from '../../dist/cli/render/route-table.js';

const SIZES = (process.env.BENCH_SITES ?? '100,1000,5000').split(',').map(Number);
const DECISIONS = Number(process.env.BENCH_PLANS ?? 100_000);
const CAP_MS = Number(process.env.BENCH_TABLE_SECONDS ?? 30) * 1000;
const gc = globalThis.gc ?? (() => {});
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const now = () => performance.now();

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
  return { ms, rows, servers, total: table.servers.length, classes: table.classes.length, bytes, complete, rss: Math.max(rss, process.memoryUsage().rss) };
}

const rows = [];
for (const sites of SIZES) {
  const config = syntheticOrg({ sites, seed: 42 });
  gc();
  let t = now();
  const topology = parseTopology(config).topology;
  const parseMs = now() - t;
  const random = prng(7);
  const servers = topology.servers.map((s) => s.name);
  const mailboxes = topology.recipients.mailboxes.map((m) => m.address);
  const partners = topology.sendConnectors.filter((c) => c.name.startsWith('To Partner')).map((c) => c.addressSpaces[0].address);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const requests = Array.from({ length: DECISIONS }, (_, i) => {
    const r = i % 3;
    return { server: pick(servers), recipient: r === 0 ? pick(mailboxes) : r === 1 ? `x@${pick(partners)}` : `x@world${i % 50}.example` };
  });
  t = now();
  let routed = 0;
  for (const request of requests) {
    const result = nextHop(topology, request);
    if (result.ok && result.decision.status === 'routed') routed++;
  }
  const decisionsMs = now() - t;
  gc();
  const text = tableTo('text', topology);
  gc();
  const json = tableTo('json', topology);
  rows.push({ sites, servers: servers.length, parseMs, decisionsMs, routed, text, json });
  console.log(`${sites} sites done`);
}

const pad = (s, w) => String(s).padStart(w);
const tableCell = (x) => `${(x.ms / 1000).toFixed(1)} s${x.complete ? '' : '*'} ${mb(x.rss)}`;
const fullSeconds = (x) => (x.ms / 1000) * (x.total / x.servers);
console.log(`\nrouting benchmark: ${DECISIONS.toLocaleString('en-US')} decisions per size (random server; 1/3 mailbox, 1/3 partner domain, 1/3 Internet), node ${process.version}`);
console.log('table = every server × every address class, rendered and written to /dev/null; * = stopped at the cap, full time extrapolated');
console.log([pad('sites', 6), pad('servers', 8), pad('classes', 8), pad('rows', 12), pad('parse', 8), pad('decisions', 10), pad('µs/dec', 7), pad('text table', 18), pad('json table', 18), pad('full text≈', 11), pad('full json≈', 11), pad('rows/s', 9)].join(' '));
for (const r of rows) {
  console.log(
    [
      pad(r.sites, 6),
      pad(r.servers, 8),
      pad(r.text.classes, 8),
      pad((r.text.total * r.text.classes).toLocaleString('en-US'), 12),
      pad(`${r.parseMs.toFixed(0)} ms`, 8),
      pad(`${r.decisionsMs.toFixed(0)} ms`, 10),
      pad(((r.decisionsMs * 1000) / DECISIONS).toFixed(2), 7),
      pad(tableCell(r.text), 18),
      pad(tableCell(r.json), 18),
      pad(`${fullSeconds(r.text).toFixed(0)} s`, 11),
      pad(`${fullSeconds(r.json).toFixed(0)} s`, 11),
      pad(Math.round(r.json.rows / (r.json.ms / 1000)).toLocaleString('en-US'), 9),
    ].join(' '),
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  console.log(
    `${a.sites} → ${b.sites} sites (×${b.sites / a.sites}): rows ×${((b.text.total * b.text.classes) / (a.text.total * a.text.classes)).toFixed(0)}, full json table time ×${(fullSeconds(b.json) / fullSeconds(a.json)).toFixed(1)}, decision time ×${(b.decisionsMs / a.decisionsMs).toFixed(1)}`,
  );
}
const last = rows.find((r) => r.sites === 5000);
if (last) {
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(`targets at 5,000 sites: ${DECISIONS.toLocaleString('en-US')} decisions < 1 s ${verdict(last.decisionsMs < 1000)} (${last.decisionsMs.toFixed(0)} ms); full table < 30 s ${verdict(last.json.complete && fullSeconds(last.json) < 30)} (json ≈ ${fullSeconds(last.json).toFixed(0)} s); peak rss < 1 GB ${verdict(last.json.rss < 1024 ** 3 && last.text.rss < 1024 ** 3)}`);
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
