/**
 * Use case: `mxt route diff --base REF|FILE`: the routing table of the base config (a file, or the
 * same config file in a git revision) against the current one.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, loadConfigText, requireTopology } from '../config/load.js';
import { buildRouteTable, diffTables, type RouteTableDiff } from '../core/route/table.js';
import { gitShow } from '../io/git.js';

export interface RouteDiffResult extends RouteTableDiff {
  base: string;
  head: string;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
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
    base = await loadConfigText(await gitShow(options.base, head.file), head.file, label);
  }
  const baseTopology = requireTopology(base);
  const diff = diffTables(buildRouteTable(baseTopology), buildRouteTable(headTopology));
  return { ...diff, base: label, head: head.displayFile };
}
