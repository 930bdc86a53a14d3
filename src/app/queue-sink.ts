/**
 * The relay's store for `mxt relay start`: the durable queue (src/relay/queue) for every receive
 * connector, except the server's Mailbox Transport Delivery connector (port 475, R13), whose mail
 * goes into the lab's mailbox store (a Maildir per database) instead: that is the last hop.
 * Returns the sink; never prints.
 */
import { nameKey, sameName } from '../core/model/names.js';
import type { Server, Topology } from '../core/model/topology.js';
import { CompositeSink, MaildirStore } from '../relay/deliver/maildir.js';
import { readHostsTable } from '../relay/deliver/hosts-file.js';
import { RelayQueue } from '../relay/queue/relay-queue.js';
import type { MessageTracker } from '../relay/queue/tracking.js';
import type { MessageSink } from '../relay/sink.js';
import { loadServerTls } from '../relay/tls/context.js';

export interface QueueSinkContext {
  topology: Topology;
  server: Server;
  /** This server's own folder: the queue database and the mailbox store live there. */
  serverDir: string;
  hostsFile?: string;
  address?: string;
  portOffset?: number;
  track?: MessageTracker;
}

export async function queueSink(ctx: QueueSinkContext & { dataDir: string }): Promise<MessageSink> {
  // Hops to the other nodes authenticate with this node's certificate (mxt relay cert), when it has one.
  const tls = await loadServerTls(ctx.dataDir, ctx.server.name);
  const queue = new RelayQueue({
    ...(tls ? { clientTls: { cert: tls.cert, key: tls.key, ca: tls.ca } } : {}),
    dataDir: ctx.serverDir,
    topology: ctx.topology,
    server: ctx.server.name,
    ...(ctx.hostsFile ? { hosts: readHostsTable(ctx.hostsFile) } : {}),
    ...(ctx.address ? { address: ctx.address } : {}),
    portOffset: ctx.portOffset ?? 0,
    ...(ctx.track ? { track: ctx.track } : {}),
  });
  queue.start();
  const mailboxes = new MaildirStore(ctx.serverDir, () => ctx.topology, ctx.server.name, ctx.track);
  const delivery = ctx.topology.receiveConnectors.filter((c) => c.transportRole === 'MailboxDelivery' && sameName(c.server, ctx.server.name));
  return new CompositeSink(queue, new Map(delivery.map((c) => [nameKey(c.name), mailboxes])));
}
