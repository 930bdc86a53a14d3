/**
 * The front door of `mxt relay start`: the listeners of one server's receive connectors
 * (src/relay/server) with their protocol and tracking logs, TLS material and users file, handing
 * accepted mail to a MessageSink. The relay opens it in a worker thread of its own
 * (relay-front-door-thread.ts) so that the SMTP sessions and the queue each have a core; the
 * front door's tests open it in their own thread. Returns what it bound; never prints.
 */
import path from 'node:path';
import type { ListenerMapping } from '../core/policy/listeners.js';
import { sameName } from '../core/model/names.js';
import type { Topology } from '../core/model/topology.js';
import { UserError } from '../errors.js';
import type { BareLineEndings } from '../relay/protocol/data-reader.js';
import { serverLogsDir } from '../relay/queue/data-dir.js';
import { RelayLogs } from '../relay/server/logs.js';
import { RelayServer } from '../relay/server/relay-server.js';
import type { MessageSink } from '../relay/sink.js';
import { loadServerTls } from '../relay/tls/context.js';
import { verifyUser } from '../relay/users/users-file.js';

/** Everything the front door needs, as plain data (it crosses into a worker thread). */
export interface FrontDoorParams {
  topology: Topology;
  server: string;
  dataDir: string;
  /** `<data dir>/<SERVER>`: the logs go to its `logs` folder. */
  serverDir: string;
  mapping: ListenerMapping;
  bareLineEndings?: BareLineEndings;
  perSourceLimit?: number;
  ephemeralPorts?: boolean;
}

export interface RunningListener {
  connectors: string[];
  bindings: string[];
  address: string;
  port: number;
}

export interface OpenFrontDoor {
  listeners: RunningListener[];
  /** A certificate is loaded: STARTTLS is offered. */
  tls: boolean;
  /** SIGHUP: sessions from now on are decided on this topology (RelayServer.useTopology). */
  useTopology(topology: Topology): Promise<{ listenersChanged: boolean }>;
  /** 421 to every session, wait for the sockets, close the logs. */
  close(): Promise<void>;
}

export function usersFileOf(dataDir: string): string {
  return path.join(dataDir, 'users.json');
}

export async function openFrontDoor(p: FrontDoorParams, sink: MessageSink): Promise<OpenFrontDoor> {
  const server = p.topology.servers.find((s) => sameName(s.name, p.server));
  if (!server) throw new UserError(`unknown server "${p.server}"`);
  const tls = await loadServerTls(p.dataDir, server.name);
  const logs = new RelayLogs(serverLogsDir(p.serverDir), server.fqdn);
  const usersFile = usersFileOf(p.dataDir);
  const relay = new RelayServer({
    topology: p.topology,
    server,
    mapping: p.mapping,
    sink,
    ...(tls ? { tls } : {}),
    logs,
    authenticate: async (user, password) => {
      const entry = await verifyUser(usersFile, user, password);
      return entry ? { name: entry.name, ...(entry.addresses.length > 0 ? { addresses: entry.addresses } : {}) } : undefined;
    },
    ...(p.bareLineEndings ? { bareLineEndings: p.bareLineEndings } : {}),
    ...(p.perSourceLimit ? { perSourceLimit: p.perSourceLimit } : {}),
    ...(p.ephemeralPorts ? { ephemeralPorts: true } : {}),
  });
  let bound;
  try {
    bound = await relay.start();
  } catch (error) {
    await logs.close();
    const code = (error as Error).message;
    throw new UserError(code, code.includes('EACCES') ? 'ports below 1024 need privileges: try --address 127.0.9.1 --port-offset 10000' : code.includes('EADDRINUSE') ? 'another process listens there: choose another --port-offset' : undefined);
  }
  return {
    listeners: bound.map((l) => ({ connectors: l.connectors.map((c) => c.name), bindings: l.bindings, address: l.address, port: l.boundPort })),
    tls: tls !== undefined,
    useTopology: async (topology) => {
      const next = topology.servers.find((s) => sameName(s.name, p.server));
      if (!next) throw new UserError(`unknown server "${p.server}"`);
      return relay.useTopology(topology, next);
    },
    close: async () => {
      await relay.close();
      await logs.close();
    },
  };
}
