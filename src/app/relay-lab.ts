/**
 * The lab of `mxt relay up|status|down` on disk and in the process table (the shared contract with
 * `mxt send`/`mxt trace`): `DIR/relay-up.json` names the nodes and their process ids, each node's
 * output goes to `DIR/<SERVER>/relay.log`. One place reads and writes that state, tells whether a
 * node still runs, and stops nodes.
 *
 * Security: signals only processes whose command line is this data folder's `relay start` of that
 * server, so a process id reused by another program after a crash is never signalled.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

export const STATE_FILE = 'relay-up.json';
export const HOSTS_FILE = 'relay-up.hosts.yaml';
export const LOG_FILE = 'relay.log';
/** How long nodes get to stop cleanly (SIGTERM) before SIGKILL. */
export const STOP_GRACE_MS = 20_000;

export interface LabNodeState {
  server: string;
  role: string;
  site: string | null;
  pid: number;
  address: string;
  portOffset: number;
  /** Relative to the data folder. */
  log: string;
}

export interface LabState {
  version: 1;
  config: string;
  startedAt: string;
  nodes: LabNodeState[];
}

export interface LabListener {
  address: string;
  port: number;
  connectors: string;
}

export const logPathOf = (dataDir: string, server: string): string => path.join(dataDir, server, LOG_FILE);

/** Written to a temporary name, then renamed: a reader sees the old state or the new one, whole. */
export async function writeLabState(dataDir: string, state: LabState): Promise<void> {
  const file = path.join(dataDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
}

export async function removeLabState(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, STATE_FILE), { force: true });
}

/** The lab's state, or undefined when there is none. */
export async function readLabState(dataDir: string): Promise<LabState | undefined> {
  const file = path.join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${file}: ${(error as Error).message}`);
  }
  try {
    const state = JSON.parse(text) as LabState;
    if (state.version !== 1 || !Array.isArray(state.nodes)) throw new Error(`version ${String(state.version)} is not 1`);
    state.nodes.forEach((n, i) => {
      if (typeof n?.server !== 'string' || typeof n.address !== 'string' || !Number.isInteger(n.portOffset) || !Number.isInteger(n.pid)) throw new Error(`nodes[${i}] needs server, address, portOffset and pid`);
    });
    return state;
  } catch (error) {
    throw new UserError(`${file} is not a lab state mxt wrote: ${(error as Error).message}`, `stop its processes by hand, then delete ${file}`);
  }
}

/**
 * The node's process is alive and is this node (`relay start --server S … --data-dir DIR`). Where
 * the system has no /proc, a live process id is taken as the node's.
 */
export function nodeRunning(dataDir: string, node: Pick<LabNodeState, 'pid' | 'server'>): boolean {
  try {
    process.kill(node.pid, 0);
  } catch {
    // ESRCH: gone; EPERM: alive, but another user's, so not a node this user started.
    return false;
  }
  let args: string[];
  try {
    args = readFileSync(`/proc/${node.pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return !existsProc();
  }
  // A zombie (killed, not yet reaped) has an empty command line: not running.
  const flag = (name: string) => args[args.indexOf(name) + 1];
  return args.includes('relay') && args.includes('start') && flag('--server') === node.server && sameFolder(flag('--data-dir'), dataDir);
}

/** One folder, whichever way its path is written (a symbolic link on the way, say). */
function sameFolder(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return a === b || real(a) === real(b);
}

function existsProc(): boolean {
  try {
    readFileSync('/proc/self/cmdline');
    return true;
  } catch {
    return false;
  }
}

/** The node's `listening ADDRESS:PORT CONNECTORS` lines (relay start prints one per listener). */
export function listenersInLog(log: string): LabListener[] {
  const found: LabListener[] = [];
  for (const m of log.matchAll(/^listening (\[[^\]]+\]|[^\s:]+):(\d+) (.*)$/gm)) found.push({ address: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]), connectors: m[3]! });
  return found;
}

export async function readLog(dataDir: string, server: string): Promise<string> {
  return readFile(logPathOf(dataDir, server), 'utf8').catch(() => '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StopOutcome {
  server: string;
  pid: number;
  outcome: 'stopped' | 'killed' | 'not running';
}

/**
 * SIGTERM to every running node (its process group: `relay up` starts each as a group of its own),
 * at most `graceMs` for them to stop cleanly, then SIGKILL for the ones still there.
 */
export async function stopNodes(dataDir: string, nodes: readonly Pick<LabNodeState, 'pid' | 'server'>[], graceMs: number): Promise<StopOutcome[]> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        // gone meanwhile
      }
    }
  };
  const running = nodes.filter((n) => nodeRunning(dataDir, n));
  for (const n of running) signal(n.pid, 'SIGTERM');
  const end = Date.now() + graceMs;
  while (running.some((n) => nodeRunning(dataDir, n)) && Date.now() < end) await sleep(100);
  const stragglers = new Set(running.filter((n) => nodeRunning(dataDir, n)));
  for (const n of stragglers) signal(n.pid, 'SIGKILL');
  const killedBy = Date.now() + 5_000;
  while ([...stragglers].some((n) => nodeRunning(dataDir, n)) && Date.now() < killedBy) await sleep(50);
  return nodes.map((n) => ({ server: n.server, pid: n.pid, outcome: stragglers.has(n) ? 'killed' : running.includes(n) ? 'stopped' : 'not running' }));
}
