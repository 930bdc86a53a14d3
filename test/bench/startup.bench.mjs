// Start-up (issue 2, item 10): wall time of `mxt validate` on the multi-site example against bare
// `node -e 0`, run alternately so both see the same machine load; medians and their ratio. Target ≤ 2.5x.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = existsSync(`${root}examples/multi-site.mxt.yaml`) ? 'examples/multi-site.mxt.yaml' : 'examples/contoso.mxt.yaml';
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function time(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = {
  'node -e 0': ['-e', '0'],
  [`mxt validate ${example}`]: ['bin/mxt.js', 'validate', '--config', example, '--format', 'json'],
  'mxt --help': ['bin/mxt.js', '--help'],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 2; i++) for (const args of Object.values(cases)) time(args); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) samples[name].push(time(args));

const base = median(samples['node -e 0']);
console.log(`start-up, median of ${RUNS} runs each (alternating)`);
console.log('command'.padEnd(48), 'median ms'.padStart(10), 'ratio'.padStart(8));
for (const [name, xs] of Object.entries(samples)) {
  console.log(name.padEnd(48), median(xs).toFixed(1).padStart(10), `${(median(xs) / base).toFixed(2)}x`.padStart(8));
}
const ratio = median(samples[`mxt validate ${example}`]) / base;
console.log(`validate/node ratio ${ratio.toFixed(2)}x (target ≤ 2.5x): ${ratio <= 2.5 ? 'met' : 'NOT met'}`);
