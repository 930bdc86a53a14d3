/**
 * Use case `mxt relay start`: load the topology, open the listeners of one server's receive
 * connectors (the front door, relay-front-door.ts) and hand accepted mail to a MessageSink. The sink is chosen in one
 * place, `defaultSinkFactory`: the interim spool until the durable queue (src/relay/queue) replaces it.
 * Returns the running relay; never prints.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, requireTopology } from '../config/load.js';
import { sameName } from '../core/model/names.js';
import type { Server, Topology } from '../core/model/topology.js';
import { UserError } from '../errors.js';
import { dataDirOf, serverLogsDir } from '../relay/queue/data-dir.js';
import { RelayLogs } from '../relay/server/logs.js';
import type { MessageSink } from '../relay/sink.js';
import type { MessageTracker } from '../relay/queue/tracking.js';
import { SpoolSink } from '../relay/spool.js';
import { labMapping } from './lab-mapping.js';
import { queueSink } from './queue-sink.js';
import type { BareLineEndings } from '../relay/protocol/data-reader.js';
import { openFrontDoor, type FrontDoorParams, type OpenFrontDoor, type RunningListener } from './relay-front-door.js';
import { openFrontDoorThread } from './relay-front-door-thread.js';

export { usersFileOf, type RunningListener } from './relay-front-door.js';

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
  /**
   * Run the SMTP front door in a worker thread of its own (relay-front-door-thread.ts), as the CLI
   * does; it needs the built files (dist/), so the in-process tests leave it off.
   */
  frontDoorThread?: boolean;
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

export async function startRelay(options: RelayStartOptions, sinkFactory: SinkFactory = defaultSinkFactory): Promise<RunningRelay> {
  const { portOffset } = labMapping(options);
  const { topology, server } = await serverTopology(options);
  const hostsFile = options.hosts === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.hosts);
  if (hostsFile !== undefined && !(await access(hostsFile).then(() => true, () => false))) throw new UserError(`--hosts ${options.hosts}: no such file`);
  const dataDir = dataDirOf(options);
  const serverDir = path.join(dataDir, server.name);
  // --hosts is for delivery (the queue's side): it is handed to the sink.
  // The queue's tracking events (SEND, DELIVER, FAIL …) are written from this thread; RECEIVE from the
  // front door's (both append whole lines to one tracking.log).
  const tracking = new RelayLogs(serverLogsDir(serverDir), server.fqdn);
  const track: MessageTracker = (event) => tracking.track(event);
  const sink = await sinkFactory({ topology, server, serverDir, dataDir, ...(hostsFile ? { hostsFile } : {}), ...(options.address ? { address: options.address } : {}), portOffset, track });
  const params: FrontDoorParams = {
    topology,
    server: server.name,
    dataDir,
    serverDir,
    mapping: { ...(options.address ? { address: options.address } : {}), portOffset },
    ...(options.bareLineEndings ? { bareLineEndings: options.bareLineEndings } : {}),
    ...(options.perSourceLimit ? { perSourceLimit: options.perSourceLimit } : {}),
    ...(options.ephemeralPorts ? { ephemeralPorts: true } : {}),
  };
  let door: OpenFrontDoor;
  try {
    door = await (options.frontDoorThread ? openFrontDoorThread(params, sink) : openFrontDoor(params, sink));
  } catch (error) {
    await sink.close();
    await tracking.close();
    throw error;
  }
  return {
    server: server.name,
    fqdn: server.fqdn,
    dataDir,
    serverDir,
    tls: door.tls,
    listeners: door.listeners,
    reload: async () => {
      const next = await serverTopology(options);
      const { listenersChanged } = await door.useTopology(next.topology);
      return { rerouted: sink.reload?.(next.topology) ?? 0, listenersChanged };
    },
    close: async () => {
      await door.close();
      await sink.close();
      await tracking.close();
    },
  };
}
