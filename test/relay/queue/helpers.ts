/** Shared by the queue and delivery tests: a lab topology, messages, a real smtp-sink, bounded waits. */
import { execa, type ResultPromise } from 'execa';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
const { createServer } = net;
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology as build } from '../../helpers/topology.js';
import type { Topology } from '../../../src/core/model/topology.js';
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';
import type { AcceptedMessage } from '../../../src/relay/sink.js';

export function tempDir(prefix = 'mxt-queue-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let counter = 0;
export function message(over: Partial<AcceptedMessage> & { to?: string[]; subject?: string } = {}): AcceptedMessage {
  const n = ++counter;
  const subject = over.subject ?? `test ${n}`;
  const content = over.content ?? Buffer.from(`Received: from client\r\nFrom: <sender@fabrikam.com>\r\nSubject: ${subject}\r\nMessage-ID: <m${n}@test>\r\n\r\nbody ${n}\r\n`);
  return {
    id: `front-${n}`,
    receivedAt: new Date(),
    receiveConnector: 'Default EX01',
    remoteAddress: '127.0.0.1',
    heloName: 'client.test',
    sender: 'sender@fabrikam.com',
    recipients: (over.to ?? ['alice@contoso.com']).map((address) => ({ address })),
    bodyType: '8BITMIME',
    smtpUtf8: false,
    ...over,
    content,
  };
}

/** One Mailbox server EX01 in site HQ; smart host and DNS connectors; short retry settings. */
export function labTopology(extra: Partial<WrittenTopologyInput> & { smartHost?: string; smartHostPort?: number; dns?: string } = {}): Topology {
  const { smartHost = 'sink.test', smartHostPort = 25, dns, ...rest } = extra;
  return build({
    organization: { name: 'Contoso' },
    transportService: {
      transientFailureRetryCount: 2,
      transientFailureRetryInterval: '2s',
      outboundConnectionFailureRetryInterval: '4s',
      queueGlitchRetryCount: 1,
      queueGlitchRetryInterval: '1s',
      messageRetryInterval: '1s',
      ...(dns ? { externalDNSServers: [dns], internalDNSServers: [dns] } : {}),
    },
    sites: [{ name: 'HQ' }],
    servers: [
      { name: 'EX01', role: 'Mailbox', site: 'HQ', fqdn: 'ex01.contoso.com', addresses: ['127.0.10.1'] },
      { name: 'EX02', role: 'Mailbox', site: 'HQ', fqdn: 'ex02.contoso.com', addresses: ['127.0.10.2'] },
    ],
    mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'EX01' }, { name: 'DB02', masterServerOrAvailabilityGroup: 'EX02' }],
    acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }],
    recipients: {
      mailboxes: [
        { address: 'alice@contoso.com', database: 'DB01' },
        { address: 'bob@contoso.com', database: 'DB02' },
      ],
      distributionGroups: [
        { address: 'all@contoso.com', members: ['alice@contoso.com', 'bob@contoso.com', 'partner@fabrikam.com'] },
        { address: 'remote@contoso.com', members: ['alice@contoso.com'], expansionServer: 'EX02' },
      ],
    },
    sendConnectors: [
      { name: 'To Fabrikam', addressSpaces: ['SMTP:fabrikam.com;1'], sourceTransportServers: ['EX01'], dnsRoutingEnabled: false, smartHosts: [smartHost], port: smartHostPort },
      { name: 'To Internet', addressSpaces: ['SMTP:*;10'], sourceTransportServers: ['EX01'], dnsRoutingEnabled: true, useExternalDNSServersEnabled: true },
    ],
    ...rest,
  } as WrittenTopologyInput);
}

/** A free TCP port on a loopback address (the kernel picks it; smtp-sink then binds it). */
export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Sink {
  host: string;
  port: number;
  dir: string;
  /** Messages written so far (smtp-sink's dump: its X- headers, then the message). */
  messages(): string[];
  stop(): Promise<void>;
}

/** Postfix's smtp-sink on `host` (an address of test/helpers/loopback.ts), dumping each transaction to a file (-d). */
export async function startSmtpSink(host: string, args: string[] = [], fixedPort?: number): Promise<Sink> {
  const dir = tempDir('mxt-sink-');
  chmodSync(dir, 0o777);
  const port = fixedPort ?? (await freePort(host));
  const proc: ResultPromise = execa('smtp-sink', ['-u', 'nobody', '-d', `${dir}/%M.`, ...args, `${host}:${port}`, '64'], { reject: false });
  await waitFor(async () => {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, host, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    return ok;
  }, 5000);
  return {
    host,
    port,
    dir,
    messages: () => files(dir).map((f) => readFileSync(f, 'utf8')),
    stop: async () => {
      proc.kill('SIGTERM');
      await proc;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

/** Polls `cond` until it holds or `ms` passes (then throws). Bounded. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
