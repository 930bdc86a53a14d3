/**
 * Use case `mxt relay start`: load the topology, open the listeners of one server's receive
 * connectors (src/relay/server) and hand accepted mail to a MessageSink. The sink is chosen in one
 * place, `defaultSinkFactory`: the interim spool until the durable queue (src/relay/queue) replaces it.
 * Returns the running relay; never prints.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, requireTopology } from '../config/load.js';
import { parseIpAddress } from '../core/model/ip-range.js';
import { sameName } from '../core/model/names.js';
import type { Server, Topology } from '../core/model/topology.js';
import { UserError } from '../errors.js';
import { RelayLogs } from '../relay/server/logs.js';
import { RelayServer } from '../relay/server/relay-server.js';
import type { MessageSink } from '../relay/sink.js';
import type { MessageTracker } from '../relay/queue/tracking.js';
import { SpoolSink } from '../relay/spool.js';
import { queueSink } from './queue-sink.js';
import { loadServerTls } from '../relay/tls/context.js';
import { verifyUser } from '../relay/users/users-file.js';
import type { BareLineEndings } from '../relay/protocol/data-reader.js';

export interface RelayStartOptions {
  config?: string;
  cwd?: string;
  server: string;
  address?: string;
  portOffset?: number | string;
  dataDir?: string;
  hosts?: string;
  /** Lab/bench: raise the per-source connection limit of every connector. */
  perSourceLimit?: number;
  /** Tests: let the kernel pick every port. */
  ephemeralPorts?: boolean;
  bareLineEndings?: BareLineEndings;
}

export interface SinkContext {
  topology: Topology;
  server: Server;
  /** `<data dir>/<SERVER>`: this server's own folder. */
  serverDir: string;
  dataDir: string;
  hostsFile?: string;
  /** `--address` / `--port-offset`: where the topology's servers listen (hops between them). */
  address?: string;
  portOffset?: number;
  /** Message tracking past RECEIVE (the server's tracking log). */
  track?: MessageTracker;
}

export type SinkFactory = (context: SinkContext) => MessageSink | Promise<MessageSink>;

/** The interim spool (the front door's own tests use it as their sink). */
export const spoolSinkFactory: SinkFactory = ({ serverDir }) => new SpoolSink(path.join(serverDir, 'spool'));

/** The one place the relay's store is chosen: the durable queue, with the mailbox store behind port 475. */
export const defaultSinkFactory: SinkFactory = (context) => queueSink(context);

export interface RunningListener {
  connectors: string[];
  bindings: string[];
  address: string;
  port: number;
}

export interface RunningRelay {
  server: string;
  fqdn: string;
  dataDir: string;
  serverDir: string;
  tls: boolean;
  listeners: RunningListener[];
  /**
   * Read the configuration again (SIGHUP). A config that does not load or validate, or that no longer
   * has this server, changes nothing (the error is thrown, the relay keeps running as it was); otherwise
   * new sessions use it and queued mail is routed again (R120).
   */
  reload(): Promise<RelayReload>;
  close(): Promise<void>;
}

export interface RelayReload {
  /** Recipients waiting in the queues that were handed back to the categorizer. */
  rerouted: number;
  /** The new config binds other listeners than the running ones: they apply after a restart. */
  listenersChanged: boolean;
}

async function serverTopology(options: RelayStartOptions): Promise<{ topology: Topology; server: Server }> {
  const topology = requireTopology(await loadConfig({ config: options.config, cwd: options.cwd }));
  const server = topology.servers.find((s) => sameName(s.name, options.server));
  if (!server) throw new UserError(`unknown server "${options.server}"`, `servers in this topology: ${topology.servers.map((s) => s.name).join(', ') || 'none'}`);
  return { topology, server };
}

/** The data folder's default: `.mxt` in the working directory. */
export function dataDirOf(options: { dataDir?: string; cwd?: string }): string {
  return path.resolve(options.cwd ?? process.cwd(), options.dataDir ?? '.mxt');
}

export function usersFileOf(dataDir: string): string {
  return path.join(dataDir, 'users.json');
}

export async function startRelay(options: RelayStartOptions, sinkFactory: SinkFactory = defaultSinkFactory): Promise<RunningRelay> {
  if (options.address !== undefined && !parseIpAddress(options.address).ok) throw new UserError(`--address "${options.address}" is not an IP address`, 'e.g. --address 127.0.9.1');
  const portOffset = options.portOffset === undefined ? 0 : Number(options.portOffset);
  if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 65000) throw new UserError(`--port-offset "${options.portOffset}" is not a whole number from 0 to 65000`, 'e.g. --port-offset 10000 (25 → 10025)');
  const { topology, server } = await serverTopology(options);
  const hostsFile = options.hosts === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.hosts);
  if (hostsFile !== undefined && !(await access(hostsFile).then(() => true, () => false))) throw new UserError(`--hosts ${options.hosts}: no such file`);
  const dataDir = dataDirOf(options);
  const serverDir = path.join(dataDir, server.name);
  const tls = await loadServerTls(dataDir, server.name);
  // --hosts is for delivery (the queue's side): it is handed to the sink.
  const logs = new RelayLogs(path.join(serverDir, 'logs'), server.fqdn);
  const track: MessageTracker = (event) => logs.track(event);
  const sink = await sinkFactory({ topology, server, serverDir, dataDir, ...(hostsFile ? { hostsFile } : {}), ...(options.address ? { address: options.address } : {}), portOffset, track });
  const usersFile = usersFileOf(dataDir);
  const relay = new RelayServer({
    topology,
    server,
    mapping: { ...(options.address ? { address: options.address } : {}), portOffset },
    sink,
    ...(tls ? { tls } : {}),
    logs,
    authenticate: async (user, password) => {
      const entry = await verifyUser(usersFile, user, password);
      return entry ? { name: entry.name, ...(entry.addresses.length > 0 ? { addresses: entry.addresses } : {}) } : undefined;
    },
    ...(options.bareLineEndings ? { bareLineEndings: options.bareLineEndings } : {}),
    ...(options.perSourceLimit ? { perSourceLimit: options.perSourceLimit } : {}),
    ...(options.ephemeralPorts ? { ephemeralPorts: true } : {}),
  });
  let bound;
  try {
    bound = await relay.start();
  } catch (error) {
    await sink.close();
    await logs.close();
    const code = (error as Error).message;
    throw new UserError(code, code.includes('EACCES') ? 'ports below 1024 need privileges: try --address 127.0.9.1 --port-offset 10000' : code.includes('EADDRINUSE') ? 'another process listens there: choose another --port-offset' : undefined);
  }
  return {
    server: server.name,
    fqdn: server.fqdn,
    dataDir,
    serverDir,
    tls: tls !== undefined,
    listeners: bound.map((l) => ({ connectors: l.connectors.map((c) => c.name), bindings: l.bindings, address: l.address, port: l.boundPort })),
    reload: async () => {
      const next = await serverTopology(options);
      const { listenersChanged } = relay.useTopology(next.topology, next.server);
      return { rerouted: sink.reload?.(next.topology) ?? 0, listenersChanged };
    },
    close: async () => {
      await relay.close();
      await sink.close();
      await logs.close();
    },
  };
}
