/**
 * What bin/mxt.js runs: the bundled CLI (dist/mxt.cjs) compiled with its V8 code cache when there is
 * one, else the unbundled modules. A rejected cache (another Node version) only costs time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';

interface CliModule {
  run(): void;
}

export function launch(): void {
  const file = fileURLToPath(new URL('../mxt.cjs', import.meta.url));
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    void import('./main.js').then((cli) => cli.run());
    return;
  }
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as CliModule };
  const init = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  init(module.exports, createRequire(file), module, file, fileURLToPath(new URL('..', import.meta.url)));
  if (process.env.MXT_WRITE_CODE_CACHE === '1') {
    process.once('beforeExit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  module.exports.run();
}
