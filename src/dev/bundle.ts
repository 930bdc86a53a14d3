/**
 * Build step after tsc: bundle the CLI into one CommonJS file (dist/mxt.cjs) and warm a V8 code
 * cache for it (dist/mxt.cjs.cache). Node 20 has no module compile cache, and resolving, reading and
 * compiling ~200 small ES modules (zod, yaml, commander…) was most of mxt's start-up time.
 * Packages that are large and rarely needed stay outside the bundle and load lazily.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

await build({
  entryPoints: [`${root}dist/cli/main.js`],
  outfile: `${root}dist/mxt.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // typescript: only for mxt.config.ts (cosmiconfig); viz: SVG only; better-sqlite3: native;
  // external-editor (with iconv-lite and chardet, 0.5 MB): only for an editor prompt, which mxt never
  // shows, and js-yaml: cosmiconfig's own YAML loader, which mxt does not use (it parses with yaml).
  // Every byte in the bundle is read and deserialised at each start.
  external: ['typescript', '@viz-js/viz', 'better-sqlite3', 'nodemailer', '@inquirer/external-editor', 'js-yaml'],
  // import() of those externals becomes require(): code compiled from a V8 code cache in a vm.Script
  // loses the dynamic-import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). All three ship CommonJS.
  supported: { 'dynamic-import': false },
  plugins: [
    {
      // yaml's parser reads process.env.LOG_TOKENS once per token (a debugging switch): an environment
      // lookup through a C++ interceptor, ~2 million times for a 5 MB config, a quarter of the parse.
      name: 'yaml-no-token-log',
      setup(bundle) {
        bundle.onLoad({ filter: /[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, async (args) => {
          const source = await readFile(args.path, 'utf8');
          const patched = source.replace('node_process.env.LOG_TOKENS', 'false');
          if (patched === source) throw new Error('yaml parser.js changed: the LOG_TOKENS patch no longer applies');
          return { contents: patched, loader: 'js' };
        });
      },
    },
    {
      // The relay (sockets, TLS, pino, openssl) stays out of the bundle that every start reads: its use
      // cases are required from dist/app/ only when a `relay` command runs (require of ESM, Node ≥ 20.19).
      name: 'relay-outside',
      setup(b) {
        b.onResolve({ filter: /(^|\/)app\/(relay|queue)[^/]*\.js$/ }, (args) => ({ path: `./app/${args.path.split('/').pop()}`, external: true }));
      },
    },
  ],
  logLevel: 'warning',
});

rmSync(`${root}dist/mxt.cjs.cache`, { force: true });
// Run the commands that matter most for start-up once, so their functions are in the cache.
for (const args of [['validate', '--config', `${root}examples/contoso.mxt.yaml`, '--format', 'json'], ['--help']]) {
  spawnSync(process.execPath, [`${root}bin/mxt.js`, ...args], { env: { ...process.env, MXT_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
}
