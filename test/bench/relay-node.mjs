// A relay node for the crash test and the Postfix benchmark: the front door's session engine
// (src/relay/protocol) on a plain TCP listener, handing accepted mail to the queue engine
// (src/relay/queue). Stands in for `mxt relay start` where that is not built yet; both run the same
// session engine and the same MessageSink.
// Usage: node relay-node.mjs CONFIG SERVER CONNECTOR HOST:PORT DATA_DIR [HOSTS_FILE]
// Prints "ready" when listening. SIGTERM drains (sessions finish, deliveries finish their message).
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadConfig, requireTopology } from '../../dist/config/load.js';
import { SmtpSession } from '../../dist/relay/protocol/session.js';
import { RelayQueue } from '../../dist/relay/queue/relay-queue.js';
import { readHostsTable } from '../../dist/relay/deliver/hosts-file.js';

const [config, serverName, connectorName, listen, dataDir, hostsFile] = process.argv.slice(2);
const topology = requireTopology(await loadConfig({ config }));
const server = topology.servers.find((s) => s.name === serverName);
const connector = topology.receiveConnectors.find((c) => c.name === connectorName);
if (!server || !connector) throw new Error(`no server ${serverName} or connector ${connectorName}`);
const queue = new RelayQueue({ dataDir, topology, server: serverName, hosts: hostsFile ? readHostsTable(hostsFile) : undefined });
queue.start();

const sessions = new Set();
let n = 0;
const prefix = randomBytes(3).toString('hex');
const listener = createServer((socket) => {
  socket.setNoDelay(true);
  const session = new SmtpSession(
    {
      topology,
      server,
      connector,
      sessionId: `${prefix}${++n}`,
      clientIp: socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      tlsAvailable: false,
      sink: queue,
      now: () => new Date(),
      newId: () => `${prefix}${Date.now().toString(36)}${(++n).toString(36)}`,
      delay: (ms) => new Promise((r) => setTimeout(r, ms)),
      authenticate: async () => undefined,
    },
    {
      write: (text) => socket.write(text),
      close: () => socket.end(),
      upgradeTls: async () => {
        throw new Error('no TLS in the lab node');
      },
    },
  );
  sessions.add(session);
  // Replies to one read (pipelined commands) leave in one write.
  socket.on('data', (chunk) => {
    socket.cork();
    session.feed(chunk);
    process.nextTick(() => socket.uncork());
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => sessions.delete(session));
  session.start();
});
const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
listener.listen({ host, port, backlog: 511 }, () => process.stdout.write('ready\n'));

process.on('SIGTERM', async () => {
  listener.close();
  // Sessions in the middle of a message get to finish it (bounded), then the queue drains.
  const end = Date.now() + 3000;
  while (sessions.size && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  for (const s of sessions) s.shutdown();
  await queue.close();
  process.exit(0);
});
