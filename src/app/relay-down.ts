/**
 * Use case `mxt relay down`: stop every node of the lab in the data folder (SIGTERM, then SIGKILL
 * for a node still there after the grace time) and remove DIR/relay-up.json. With no lab there,
 * nothing to do (`running: false`). Returns what happened; never prints.
 */
import { readLabState, removeLabState, STOP_GRACE_MS, stopNodes, type StopOutcome } from './relay-lab.js';
import { dataDirOf } from '../relay/queue/data-dir.js';

export interface RelayDown {
  dataDir: string;
  /** False: there was no lab (no relay-up.json) in the data folder. */
  running: boolean;
  nodes: StopOutcome[];
  graceMs: number;
}

export async function relayDown(options: { dataDir?: string; cwd?: string }): Promise<RelayDown> {
  const dataDir = dataDirOf({ dataDir: options.dataDir, cwd: options.cwd });
  const state = await readLabState(dataDir);
  if (!state) return { dataDir, running: false, nodes: [], graceMs: STOP_GRACE_MS };
  const nodes = await stopNodes(dataDir, state.nodes, STOP_GRACE_MS);
  await removeLabState(dataDir);
  return { dataDir, running: true, nodes, graceMs: STOP_GRACE_MS };
}
