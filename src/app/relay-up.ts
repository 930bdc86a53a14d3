/**
 * Use case `mxt relay up`: every Mailbox and Edge server of the topology (or the `--server` ones) as
 * one detached `mxt relay start` process each on this machine, on loopback with mapped ports
 * (core/policy/lab-nodes.ts), the nodes told where the others listen through one hosts table.
 * Nothing starts unless the config validates; if a node does not come up, the others are stopped
 * again, so a lab is all there or not there. Returns what happened; never prints.
 *
 * Security: runs this mxt's own CLI (the node binary and bin/mxt.js) with fixed arguments; writes
 * only under the data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadConfig, requireTopology } from '../config/load.js';
import { planLabNodes, type LabNode } from '../core/policy/lab-nodes.js';
import { UserError } from '../errors.js';
import { parseHostsTable } from '../relay/deliver/hosts-file.js';
import { caPaths, serverTlsPaths } from '../relay/tls/certificates.js';
import { relayCert, type RelayCertResult } from './relay-cert.js';
import { HOSTS_FILE, listenersInLog, logPathOf, LOG_FILE, nodeRunning, readLabState, readLog, removeLabState, STOP_GRACE_MS, stopNodes, writeLabState, type LabListener, type LabNodeState } from './relay-lab.js';
import { dataDirOf } from '../relay/queue/data-dir.js';
import { parsePortOffset } from './lab-mapping.js';

export const DEFAULT_LAB_ADDRESS = '127.0.10.1';
export const DEFAULT_LAB_PORT_OFFSET = 10000;
/** How long a node may take to print its `ready` line. */
const READY_TIMEOUT_MS = 30_000;

const BIN = fileURLToPath(new URL('../../bin/mxt.js', import.meta.url));

export interface RelayUpOptions {
  config?: string;
  cwd?: string;
  dataDir?: string;
  address?: string;
  portOffset?: string | number;
  hosts?: string;
  servers?: string[];
}

export interface UpNode extends LabNodeState {
  ready: boolean;
  listeners: LabListener[];
  /** Why a node that is not ready failed: its last error line (or last line). */
  failure?: string;
  /** The whole log of a node that failed. */
  logText?: string;
}

export interface RelayUpResult {
  ok: boolean;
  dataDir: string;
  nodes: UpNode[];
  /** The servers of an earlier lab recorded in the data folder whose processes had all ended (its state is replaced). */
  stale: string[];
  /** Certificates `relay up` created because they were missing (undefined: all were there). */
  certificates?: RelayCertResult;
}

export async function relayUp(options: RelayUpOptions): Promise<RelayUpResult> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadConfig({ config: options.config, cwd });
  const topology = requireTopology(loaded);
  const configFile = path.resolve(cwd, loaded.file);
  const portOffset = parsePortOffset(options.portOffset ?? DEFAULT_LAB_PORT_OFFSET);
  const plan = planLabNodes(topology, options.address ?? DEFAULT_LAB_ADDRESS, portOffset, options.servers ?? []);
  if (!plan.ok) throw new UserError(plan.error, plan.hint);
  const userHosts = options.hosts === undefined ? undefined : await readUserHosts(path.resolve(cwd, options.hosts), options.hosts);
  const dataDir = dataDirOf({ dataDir: options.dataDir, cwd });
  const stale = await refuseRunningLab(dataDir);

  const started = plan.nodes.filter((n) => n.started);
  await mkdir(dataDir, { recursive: true });
  const certificates = await missingCertificates(dataDir, plan.nodes, configFile, cwd);
  const hostsFile = path.join(dataDir, HOSTS_FILE);
  await writeFile(hostsFile, labHostsTable(userHosts, plan.nodes));

  const children = await Promise.all(started.map((node) => spawnNode(node, { configFile, dataDir, hostsFile, cwd })));
  const states: LabNodeState[] = children.map(({ node, child }) => ({
    server: node.server.name,
    role: node.server.role,
    site: node.server.site ?? null,
    pid: child.pid ?? -1,
    address: node.address,
    portOffset: node.portOffset,
    log: path.join(node.server.name, LOG_FILE),
  }));
  // Written before the wait, so that `relay down` finds the nodes even if this process is killed meanwhile.
  await writeLabState(dataDir, { version: 1, config: configFile, startedAt: new Date().toISOString(), nodes: states });
  const nodes = await Promise.all(children.map(({ ended }, i) => waitReady(dataDir, states[i]!, ended)));
  for (const { child } of children) child.unref();
  const ok = nodes.every((n) => n.ready);
  if (!ok) {
    await stopNodes(dataDir, states, STOP_GRACE_MS);
    await removeLabState(dataDir);
  }
  return { ok, dataDir, nodes, stale, ...(certificates ? { certificates } : {}) };
}

async function readUserHosts(file: string, given: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`--hosts ${given}: ${(error as Error).message}`);
  }
  parseHostsTable(text, given);
  return (parse(text) as Record<string, unknown> | null) ?? {};
}

/** The user's table with a `servers:` entry for every node; a server left out of the lab keeps the user's entry, if any. */
function labHostsTable(userHosts: Record<string, unknown> | undefined, nodes: readonly LabNode[]): string {
  const userServers = (userHosts?.servers ?? {}) as Record<string, unknown>;
  const servers: Record<string, unknown> = { ...userServers };
  for (const n of nodes) {
    const mine = Object.keys(userServers).find((k) => k.toLowerCase() === n.server.name.toLowerCase());
    if (n.started || mine === undefined) {
      if (mine !== undefined) delete servers[mine];
      servers[n.server.name] = { address: n.address, portOffset: n.portOffset };
    }
  }
  return `# Written by mxt relay up: where every server of the lab listens (and the --hosts table given to it).\n${stringify({ ...userHosts, servers })}`;
}

/** Refuses a data folder whose lab still runs; returns the servers of a lab recorded there that no longer does. */
async function refuseRunningLab(dataDir: string): Promise<string[]> {
  const state = await readLabState(dataDir);
  const running = state?.nodes.filter((n) => nodeRunning(dataDir, n)) ?? [];
  if (running.length > 0) {
    throw new UserError(`a lab is already running in ${dataDir}: ${running.map((n) => `${n.server} (pid ${n.pid})`).join(', ')}`, `stop it first: mxt relay down --data-dir ${dataDir}`);
  }
  return state?.nodes.map((n) => n.server) ?? [];
}

/**
 * Hops between the organization's own servers authenticate with the org CA's certificates (without,
 * they get 530 and mail waits): the missing ones are issued, by `relay cert`'s use case. A new CA
 * makes every older server certificate useless, so then every server of the lab gets one.
 */
async function missingCertificates(dataDir: string, nodes: readonly LabNode[], config: string, cwd: string): Promise<RelayCertResult | undefined> {
  const hasCa = existsSync(caPaths(dataDir).caCert) && existsSync(caPaths(dataDir).caKey);
  const missing = nodes.filter((n) => {
    const tls = serverTlsPaths(dataDir, n.server.name);
    return !hasCa || (n.started && !(existsSync(tls.cert) && existsSync(tls.key)));
  });
  if (missing.length === 0) return undefined;
  return relayCert({ config, cwd, dataDir, servers: missing.map((n) => n.server.name) });
}

interface SpawnedNode {
  node: LabNode;
  child: ChildProcess;
  /** How the process ended, once it has (watched from the start: a node may end before the wait begins). */
  ended: { how?: string };
}

async function spawnNode(node: LabNode, at: { configFile: string; dataDir: string; hostsFile: string; cwd: string }): Promise<SpawnedNode> {
  const log = logPathOf(at.dataDir, node.server.name);
  await mkdir(path.dirname(log), { recursive: true });
  const fd = openSync(log, 'w');
  try {
    const args = ['relay', 'start', '--config', at.configFile, '--server', node.server.name, '--address', node.address, '--port-offset', String(node.portOffset), '--data-dir', at.dataDir, '--hosts', at.hostsFile];
    // A process group of its own: the node outlives this command and a Ctrl-C in its terminal.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: at.cwd, detached: true, stdio: ['ignore', fd, fd] });
    const ended: SpawnedNode['ended'] = {};
    child.once('exit', (code, signal) => (ended.how = signal ? `ended by ${signal}` : `exited with code ${code}`));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    return { node, child, ended };
  } finally {
    closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the node's `ready` line is in its log, it has ended, or READY_TIMEOUT_MS has passed. */
async function waitReady(dataDir: string, state: LabNodeState, ended: SpawnedNode['ended']): Promise<UpNode> {
  const end = Date.now() + READY_TIMEOUT_MS;
  let log = await readLog(dataDir, state.server);
  while (!/^ready /m.test(log) && ended.how === undefined && Date.now() < end) {
    await sleep(100);
    log = await readLog(dataDir, state.server);
  }
  // Its log once more: a node that ended wrote its last lines before it did.
  if (ended.how !== undefined) log = await readLog(dataDir, state.server);
  const listeners = listenersInLog(log);
  if (/^ready /m.test(log) && ended.how === undefined) return { ...state, ready: true, listeners };
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  const failure = [...lines].reverse().find((l) => l.startsWith('mxt: ') && !l.startsWith('mxt: config ')) ?? lines.at(-1) ?? ended.how ?? 'no output';
  const reason = ended.how === undefined ? `no ready line within ${READY_TIMEOUT_MS / 1000} s; last: ${failure}` : failure;
  return { ...state, ready: false, listeners, failure: reason, logText: log };
}
