/**
 * Use case: `mxt route diff --base REF|FILE`: the routing table of the base config (a file, or the
 * same config file in a git revision) against the current one.
 * Security: reads git (io/git.ts); for a script config (`mxt.config.ts`/`.js`) the base revision's
 * text is written to a temporary file beside the original (so that its relative imports resolve as
 * they would have at that revision's location), evaluated, and removed again.
 */
import { randomBytes } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, loadConfigText, MAX_CONFIG_BYTES, requireTopology, type LoadedConfig } from '../config/load.js';
import { buildRouteTable, diffTables, type RouteTableDiff } from '../core/route/index.js';
import { gitShow } from '../io/git.js';

export interface RouteDiffResult extends RouteTableDiff {
  base: string;
  head: string;
}

const SCRIPT = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The config as it is at a git revision; a script config is evaluated from a temporary copy beside the original. */
export async function loadAtRevision(ref: string, head: LoadedConfig, label: string): Promise<LoadedConfig> {
  const text = await gitShow(ref, head.file, MAX_CONFIG_BYTES);
  const ext = path.extname(head.file);
  if (!SCRIPT.has(ext.toLowerCase())) return loadConfigText(text, head.file, label);
  const temp = path.join(path.dirname(head.file), `.${path.basename(head.file, ext)}.mxt-base-${randomBytes(6).toString('hex')}${ext}`);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    return await loadConfigText(text, temp, label);
  } finally {
    await rm(temp, { force: true });
  }
}

export async function routeDiff(options: { config?: string; cwd?: string; base: string }): Promise<RouteDiffResult> {
  const cwd = options.cwd ?? process.cwd();
  const head = await loadConfig(options);
  const headTopology = requireTopology(head);
  const baseFile = path.resolve(cwd, options.base);
  let base;
  let label: string;
  if (await isFile(baseFile)) {
    base = await loadConfig({ config: baseFile, cwd });
    label = base.displayFile;
  } else {
    label = `${options.base}:${head.displayFile}`;
    base = await loadAtRevision(options.base, head, label);
  }
  const baseTopology = requireTopology(base);
  const diff = diffTables(buildRouteTable(baseTopology), buildRouteTable(headTopology));
  return { ...diff, base: label, head: head.displayFile };
}
