/** A real relay for the tests: certificates, a user, and `startRelay` on 127.0.0.1 with kernel-chosen ports. */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { relayCert } from '../../../src/app/relay-cert.js';
import { spoolSinkFactory, startRelay, type RelayStartOptions, type RunningRelay, type SinkFactory } from '../../../src/app/relay-start.js';
import { relayUserAdd } from '../../../src/app/relay-user.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURE = path.join(ROOT, 'test/relay/fixtures/relay.mxt.yaml');
export const CLIENT = path.join(ROOT, 'test/relay/clients/smtp_client.py');

export interface TestRelay {
  relay: RunningRelay;
  dir: string;
  port(connector: string): number;
  close(): Promise<void>;
}

export async function testRelay(options: Partial<RelayStartOptions> = {}, sink?: SinkFactory): Promise<TestRelay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mxt-relay-'));
  const config = options.config ?? FIXTURE;
  const server = options.server ?? 'MBX-PAR';
  await relayCert({ config, dataDir: dir, cwd: ROOT, servers: [server], partners: ['fabrikam.com', 'tailspin.example'] });
  await relayUserAdd({ name: 'bob', password: 'secret', addresses: [], dataDir: dir });
  // The front door's tests read what it accepted from the spool; the queue has tests of its own.
  const relay = await startRelay({ config, server, address: '127.0.0.1', dataDir: dir, ephemeralPorts: true, cwd: ROOT, ...options }, sink ?? spoolSinkFactory);
  return {
    relay,
    dir,
    port(connector) {
      const l = relay.listeners.find((x) => x.connectors.includes(connector));
      if (!l) throw new Error(`no listener for ${connector}`);
      return l.port;
    },
    async close() {
      await relay.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SmtplibResult {
  banner?: number;
  ehlo?: string[];
  ehloTls?: string[];
  starttls?: number;
  tlsVersion?: string;
  auth?: number;
  sent?: boolean;
  refused?: Record<string, [number, string]>;
  error?: [number, string];
  exception?: string;
}

export async function smtplib(args: string[]): Promise<SmtplibResult> {
  const r = await execa('python3', [CLIENT, ...args], { reject: false, timeout: 60_000 });
  if (!r.stdout) throw new Error(`smtp_client.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as SmtplibResult;
}

/** A raw socket conversation: writes each chunk after the previous reply arrived (or a pause), returns all that came back. */
export async function rawSession(port: number, chunks: (string | Buffer)[], options: { source?: string; waitMs?: number; host?: string; early?: boolean } = {}): Promise<string> {
  const socket = net.connect({ host: options.host ?? '127.0.0.1', port, ...(options.source ? { localAddress: options.source } : {}) });
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const wait = async (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Wait for the banner first, unless the test is the early talker.
  for (let i = 0; i < 200 && !options.early && received.length === 0 && !socket.destroyed; i += 1) await wait(10);
  for (const chunk of chunks) {
    const before = received.length;
    socket.write(chunk);
    for (let i = 0; i < 100 && received.length === before && !socket.destroyed; i += 1) await wait(options.waitMs ?? 20);
  }
  await wait(options.waitMs ?? 50);
  socket.end();
  await Promise.race([closed, wait(3000)]);
  return received;
}
