/**
 * Use case `mxt relay status`: each node of the lab in the data folder (DIR/relay-up.json), whether
 * its process still runs, where it listens (its log's `listening` lines) and how much mail waits in
 * its queues (`mxt queue list`'s use case, read from its queue database). Returns data; never prints.
 */
import { UserError } from '../errors.js';
import { listQueues } from './queue.js';
import { listenersInLog, nodeRunning, readLabState, readLog, STATE_FILE, type LabListener, type LabNodeState } from './relay-lab.js';
import { dataDirOf } from '../relay/queue/data-dir.js';

export interface StatusNode extends LabNodeState {
  running: boolean;
  listeners: LabListener[];
  /** Messages waiting in the node's queues (every copy counted), undefined when its queue database cannot be read. */
  queued?: number;
}

export interface RelayStatus {
  dataDir: string;
  config: string;
  startedAt: string;
  nodes: StatusNode[];
}

export async function relayStatus(options: { dataDir?: string; cwd?: string }): Promise<RelayStatus> {
  const cwd = options.cwd ?? process.cwd();
  const dataDir = dataDirOf({ dataDir: options.dataDir, cwd });
  const state = await readLabState(dataDir);
  if (!state) throw new UserError(`no lab is running in ${dataDir} (no ${STATE_FILE})`, 'start one: mxt relay up (--data-dir DIR if it is elsewhere)');
  const nodes = await Promise.all(
    state.nodes.map(async (node): Promise<StatusNode> => {
      const queued = queuedMessages(dataDir, node.server, cwd);
      return { ...node, running: nodeRunning(dataDir, node), listeners: listenersInLog(await readLog(dataDir, node.server)), ...(queued === undefined ? {} : { queued }) };
    }),
  );
  return { dataDir, config: state.config, startedAt: state.startedAt, nodes };
}

function queuedMessages(dataDir: string, server: string, cwd: string): number | undefined {
  try {
    return listQueues({ dataDir, server, cwd }).queues.reduce((sum, q) => sum + q.MessageCount, 0);
  } catch {
    // A node that never got as far as its queue database: status shows no count.
    return undefined;
  }
}
