// Routing benchmark: synthetic orgs of 100, 1,000 and 5,000 sites (5 Mailbox servers a site, a DAG
// per 2 sites, a connector per 2 sites, a sparse random site link graph, fixed seed). For each size:
// time to parse the config into a topology; time and peak heap to build the full routing table (every
// destination from every site); time for 100,000 single-recipient plans from random servers afterwards.
// Targets (5,000 sites): table < 5 s and < 1 GB; 100,000 plans < 2 s. Run with --expose-gc (npm run bench).
import { prng, syntheticOrg } from '../../dist/core/synthetic/org.js';
import { parseTopology } from '../../dist/core/schema/parse.js';
import { buildRouteTable } from '../../dist/core/route/table.js';
import { planRoute } from '../../dist/core/route/index.js';

const SIZES = (process.env.BENCH_SITES ?? '100,1000,5000').split(',').map(Number);
const PLANS = Number(process.env.BENCH_PLANS ?? 100_000);
const gc = globalThis.gc ?? (() => {});
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const now = () => performance.now();


const rows = [];
for (const sites of SIZES) {
  const config = syntheticOrg({ sites, seed: 42 });
  gc();
  let t = now();
  const parsed = parseTopology(config);
  const parseMs = now() - t;
  const topology = parsed.topology;
  if (!topology) throw new Error(`synthetic org of ${sites} sites does not parse: ${parsed.findings[0]?.message}`);
  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  t = now();
  const table = buildRouteTable(topology);
  const tableMs = now() - t;
  clearInterval(sample);
  const after = process.memoryUsage();
  peakHeap = Math.max(peakHeap, after.heapUsed + after.arrayBuffers);
  peakRss = Math.max(peakRss, after.rss);
  const routes = table.primary.size * table.destinations.length;
  // Rows of one server, materialised, to show the per-server view is cheap.
  t = now();
  const oneServer = table.entriesFor(table.servers[0]).length;
  const rowsMs = now() - t;

  const random = prng(7);
  const servers = topology.servers.map((s) => s.name);
  const mailboxes = topology.recipients.mailboxes.map((m) => m.address);
  const partners = topology.sendConnectors.filter((c) => c.name.startsWith('To Partner')).map((c) => c.addressSpaces[0].address);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const requests = Array.from({ length: PLANS }, (_, i) => {
    const r = i % 3;
    const to = r === 0 ? pick(mailboxes) : r === 1 ? `x@${pick(partners)}` : `x@world${i % 50}.example`;
    return { from: pick(servers), recipients: [to] };
  });
  t = now();
  const cpu0 = process.cpuUsage();
  let routed = 0;
  for (const request of requests) if (planRoute(topology, request).decisions[0].status === 'routed') routed++;
  const plansMs = now() - t;
  const cpu = process.cpuUsage(cpu0);
  const plansCpuMs = (cpu.user + cpu.system) / 1000;
  rows.push({ sites, servers: servers.length, links: topology.siteLinks.length, parseMs, tableMs, routes, heap: peakHeap - before.heapUsed - before.arrayBuffers, rss: peakRss, rssBefore: before.rss, rowsMs, oneServer, plansMs, plansCpuMs, routed });
}

const pad = (s, w) => String(s).padStart(w);
console.log(`routing benchmark: ${PLANS.toLocaleString('en-US')} plans per size (random server; 1/3 mailbox, 1/3 partner domain, 1/3 Internet), node ${process.version}`);
console.log('table heap = heap + array buffers added by the table build (trees and rows); plans cpu includes GC threads');
console.log(
  [pad('sites', 6), pad('servers', 8), pad('links', 6), pad('parse', 9), pad('table', 9), pad('routes', 11), pad('table heap', 11), pad('rss before→peak', 16), pad('1 server', 9), pad('plans', 9), pad('plans cpu', 10), pad('µs/plan', 8), pad('routed', 7)].join(' '),
);
for (const r of rows) {
  console.log(
    [
      pad(r.sites, 6),
      pad(r.servers, 8),
      pad(r.links, 6),
      pad(`${r.parseMs.toFixed(0)} ms`, 9),
      pad(`${r.tableMs.toFixed(0)} ms`, 9),
      pad(r.routes.toLocaleString('en-US'), 11),
      pad(mb(r.heap), 11),
      pad(`${mb(r.rssBefore)}→${mb(r.rss)}`, 16),
      pad(`${r.rowsMs.toFixed(1)} ms`, 9),
      pad(`${r.plansMs.toFixed(0)} ms`, 9),
      pad(`${r.plansCpuMs.toFixed(0)} ms`, 10),
      pad(((r.plansMs * 1000) / PLANS).toFixed(1), 8),
      pad(`${((100 * r.routed) / PLANS).toFixed(0)}%`, 7),
    ].join(' '),
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  const f = b.sites / a.sites;
  console.log(
    `${a.sites} → ${b.sites} sites (×${f}): table time ×${(b.tableMs / a.tableMs).toFixed(1)}, table heap ×${(b.heap / Math.max(1, a.heap)).toFixed(1)}, plan time ×${(b.plansMs / a.plansMs).toFixed(1)}`,
  );
}
const last = rows.find((r) => r.sites === 5000);
if (last) {
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets at 5,000 sites: table < 5 s ${verdict(last.tableMs < 5000)}, table memory < 1 GB ${verdict(last.heap < 1024 ** 3)} (peak rss ${mb(last.rss)}), 100,000 plans < 2 s ${verdict(last.plansMs < 2000)}`,
  );
}
