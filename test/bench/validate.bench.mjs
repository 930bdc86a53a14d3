// Validate benchmark (issue 7 item 8): `mxt validate` of the synthetic org (npm run gen, seed 1) at
// 100, 1,000 and 5,000 sites. For each size: the CLI end to end (the bundled dist/mxt.cjs, as an admin
// runs it; best of RUNS, wall time, JSON output to a pipe), then the same work in this process split into
// phases: reading the YAML (config/load's readDocument: the plain reader, or yaml's Document for what it
// does not read), schema + effective(), the semantic rules.
// Target: the 5,000-site org validated in under 2 s. Run with --expose-gc (npm run bench).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDocument } from '../../dist/config/load.js';
import { generateOrgYaml } from '../../dist/dev/generate-org.js';
import { parseTopology } from '../../dist/core/schema/parse.js';
import { validateTopology } from '../../dist/core/validate/index.js';

const SIZES = (process.env.BENCH_SITES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = fileURLToPath(new URL('../../', import.meta.url));
const gc = globalThis.gc ?? (() => {});
const now = () => performance.now();
const dir = mkdtempSync(path.join(tmpdir(), 'mxt-validate-bench-'));

/** CPU time (user + system, ms) of this process's finished children, from /proc (Linux); NaN elsewhere. */
function childrenCpuMs() {
  if (!existsSync('/proc/self/stat')) return NaN;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // Fields 16 and 17 of stat(5) (cutime, cstime), counted from field 3 after the command name; clock ticks of 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function cli(file) {
  let best = Infinity;
  let bestCpu = Infinity;
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = now();
    const c = childrenCpuMs();
    const run = spawnSync(process.execPath, [path.join(root, 'bin/mxt.js'), 'validate', '--config', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    best = Math.min(best, now() - t);
    bestCpu = Math.min(bestCpu, childrenCpuMs() - c);
    if (run.status !== 0 && run.status !== 1) throw new Error(`mxt validate exited ${run.status}: ${run.stderr}`);
    findings = JSON.parse(run.stdout).findings.length;
  }
  return { best, bestCpu, findings };
}

function phases(text) {
  gc();
  const cpu0 = process.cpuUsage();
  let t = now();
  const value = readDocument(text, 'org.yaml').data.value;
  const yamlMs = now() - t;
  t = now();
  const parsed = parseTopology(value);
  const schemaMs = now() - t;
  t = now();
  const findings = validateTopology({ written: parsed.written, topology: parsed.topology });
  const rulesMs = now() - t;
  const cpu = process.cpuUsage(cpu0);
  return { yamlMs, schemaMs, rulesMs, cpuMs: (cpu.user + cpu.system) / 1000, findings: parsed.findings.length + findings.length, servers: parsed.topology.servers.length };
}

const rows = [];
try {
  for (const sites of SIZES) {
    const text = generateOrgYaml({ sites, seed: 1 });
    const file = path.join(dir, `org-${sites}.yaml`);
    writeFileSync(file, text);
    const run = cli(file);
    const p = phases(text);
    if (p.findings !== run.findings) throw new Error(`${sites} sites: the CLI reports ${run.findings} findings, the phases ${p.findings}`);
    rows.push({ sites, bytes: text.length, cliMs: run.best, cliCpuMs: run.bestCpu, ...p });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pad = (s, w) => String(s).padStart(w);
const ms = (v) => `${v.toFixed(0)} ms`;
console.log(`validate benchmark: mxt validate --format json of the synthetic org (seed 1), CLI best of ${RUNS}; phases in-process, node ${process.version}`);
console.log('wall times grow with the machine\'s load; "its cpu" (user + system of the CLI, GC threads included) much less so');
console.log([pad('sites', 6), pad('servers', 8), pad('MB', 5), pad('mxt validate', 13), pad('its cpu', 9), pad('yaml', 9), pad('schema+eff', 11), pad('rules', 9), pad('phases cpu', 11), pad('findings', 9)].join(' '));
for (const r of rows) {
  console.log(
    [pad(r.sites, 6), pad(r.servers, 8), pad((r.bytes / 1e6).toFixed(1), 5), pad(ms(r.cliMs), 13), pad(ms(r.cliCpuMs), 9), pad(ms(r.yamlMs), 9), pad(ms(r.schemaMs), 11), pad(ms(r.rulesMs), 9), pad(ms(r.cpuMs), 11), pad(r.findings, 9)].join(' '),
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  console.log(
    `${a.sites} → ${b.sites} sites (×${b.sites / a.sites}): mxt validate ×${(b.cliMs / a.cliMs).toFixed(1)}, yaml ×${(b.yamlMs / a.yamlMs).toFixed(1)}, schema+effective ×${(b.schemaMs / a.schemaMs).toFixed(1)}, rules ×${(b.rulesMs / a.rulesMs).toFixed(1)}`,
  );
}
const last = rows.find((r) => r.sites === 5000);
if (last) console.log(`target at 5,000 sites: mxt validate < 2 s ${last.cliMs < 2000 ? 'met' : 'NOT met'} (${(last.cliMs / 1000).toFixed(2)} s wall, ${(last.cliCpuMs / 1000).toFixed(2)} s cpu)`);
