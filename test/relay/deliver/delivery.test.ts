/**
 * Outbound delivery for real: the queue engine delivers to Postfix's smtp-sink through a smart
 * host (R107), by DNS MX from a dnsmasq on loopback (MX preference, implicit MX to A, null MX →
 * permanent failure, RFC 7505), and to the Mailbox Transport Delivery port of a server (R13, R15);
 * a hop that is down keeps its messages queued (R160) until ETRN; permanent replies bounce at once
 * (R165); the delay DSN and expiry NDR come on time (R163, R164).
 */
import { rmSync } from 'node:fs';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayQueue } from '../../../src/relay/queue/relay-queue.js';
import { emptyHostsTable, type HostsTable } from '../../../src/relay/deliver/hosts-file.js';
import { freePort, labTopology, message, startSmtpSink, tempDir, waitFor, type Sink } from '../queue/helpers.js';
import { startDnsmasq, DNS_ADDRESS, type Dnsmasq } from './dnsmasq.js';
import type { Topology } from '../../../src/core/model/topology.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sink(host = '127.0.10.5', args: string[] = []): Promise<Sink> {
  const s = await startSmtpSink(host, args);
  cleanups.push(() => s.stop());
  return s;
}

function relay(topology: Topology, hosts: HostsTable): RelayQueue {
  const dir = tempDir();
  const q = new RelayQueue({ dataDir: dir, topology, server: 'EX01', hosts, random: () => 0.5, log: process.env.MXT_TEST_LOG ? (e, f) => console.log(e, JSON.stringify(f)) : undefined });
  q.start();
  cleanups.push(async () => {
    await q.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return q;
}

/** Everything accepted was delivered or bounced (the sink wrote each file before its 250). */
function drained(q: RelayQueue): boolean {
  return q.store.db.prepare('SELECT count(*) FROM messages').pluck().get() === 0;
}

function queueOf(q: RelayQueue, domain: string) {
  return q.store.queues().find((x) => x.next_hop_domain === domain);
}

describe('delivery', () => {
  it('R107 smart host: every message reaches the sink once, over reused connections; the queue ends Ready', async () => {
    const s = await sink();
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: s.host, port: s.port });
    const q = relay(labTopology(), hosts);
    const accepted = await Promise.all(Array.from({ length: 30 }, (_, i) => q.accept(message({ to: ['partner@fabrikam.com'], subject: `smart ${i}` }))));
    expect(accepted).toHaveLength(30);
    await waitFor(() => drained(q), 20_000, '30 messages at the sink');
    const got = s.messages();
    expect(got).toHaveLength(30);
    for (let i = 0; i < 30; i++) expect(got.filter((m) => m.includes(`Subject: smart ${i}\n`)).length).toBe(1);
    expect(got[0]).toMatch(/X-Rcpt-Args: <partner@fabrikam.com>/);
    await waitFor(() => queueOf(q, 'sink.test')?.status === 'Ready', 5000, 'queue Ready');
    expect(q.store.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
  });

  it('messages that trickle in reuse the idle connection to their hop (IDLE_CONNECTION_MS); close() ends it at once', async () => {
    const s = await sink();
    // A TCP relay in front of the sink counts the connections the queue opens and sees them close.
    const open = new Set<net.Socket>();
    let connections = 0;
    const counter = net.createServer((client) => {
      connections++;
      open.add(client);
      const upstream = net.connect(s.port, s.host);
      client.pipe(upstream).pipe(client);
      const done = () => {
        open.delete(client);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', done).on('error', done);
      upstream.on('close', done).on('error', done);
    });
    await new Promise<void>((resolve) => counter.listen(0, '127.0.10.5', resolve));
    cleanups.push(() => new Promise<void>((resolve) => counter.close(() => resolve())));
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: '127.0.10.5', port: (counter.address() as net.AddressInfo).port });
    const q = relay(labTopology(), hosts);
    for (let i = 0; i < 3; i++) {
      await q.accept(message({ to: ['partner@fabrikam.com'], subject: `trickle ${i}` }));
      await waitFor(() => drained(q), 10_000, `message ${i} at the sink`);
    }
    expect(s.messages()).toHaveLength(3);
    expect(connections).toBe(1);
    expect(open.size).toBe(1);
    await q.close();
    await waitFor(() => open.size === 0, 5000, 'the idle connection closed');
  });

  it('R13/R15: a mailbox recipient goes to its server\'s Mailbox Transport Delivery port (475, mapped)', async () => {
    const s = await sink();
    const hosts = emptyHostsTable();
    hosts.servers.set('ex01', { address: s.host, portOffset: s.port - 475 });
    const q = relay(labTopology(), hosts);
    await q.accept(message({ to: ['alice@contoso.com'], subject: 'local' }));
    await waitFor(() => drained(q), 10_000, 'mailbox delivery');
    expect(s.messages()[0]).toContain('X-Rcpt-Args: <alice@contoso.com>');
    expect(queueOf(q, 'DB01')!.delivery_type).toBe('SmtpDeliveryToMailbox');
  });

  describe('DNS routing against dnsmasq', () => {
    let d: Dnsmasq;
    afterEach(async () => d?.stop());

    it('MX by preference, implicit MX to A, null MX bounces (RFC 7505) with an NDR to the sender', async () => {
      const mx = await sink('127.0.10.6');
      const backup = await sink('127.0.10.7');
      const senderSink = await sink('127.0.10.8');
      const dnsPort = await freePort(DNS_ADDRESS);
      d = await startDnsmasq(
        [
          '--mx-host=example.org,mx1.example.org,10',
          '--mx-host=example.org,mx2.example.org,20',
          '--host-record=mx1.example.org,127.0.10.6',
          '--host-record=mx2.example.org,127.0.10.7',
          '--local=/aonly.test/', // answer for the zone (NODATA for MX) instead of refusing
          '--host-record=aonly.test,127.0.10.6',
          '--dns-rr=nullmx.test,15,0000:00',
          '--mx-host=senders.test,mx.senders.test,5',
          '--host-record=mx.senders.test,127.0.10.8',
        ],
        dnsPort,
      );
      // One port for every MX sink: the connector's Port (R107) applies to all its MX hosts.
      const topology = labTopology({ dns: d.server });
      const port = mx.port;
      await Promise.all([backup.stop(), senderSink.stop()]);
      const backup2 = await startSmtpSinkAt('127.0.10.7', port);
      const sender2 = await startSmtpSinkAt('127.0.10.8', port);
      topology.sendConnectors.find((c) => c.name === 'To Internet')!.port = port;
      const q = relay(topology, emptyHostsTable());
      await q.accept(message({ sender: 'someone@senders.test', to: ['x@example.org'], subject: 'mx' }));
      await q.accept(message({ sender: 'someone@senders.test', to: ['y@aonly.test'], subject: 'implicit' }));
      await q.accept(message({ sender: 'someone@senders.test', to: ['z@nullmx.test'], subject: 'nullmx' }));
      await waitFor(() => drained(q), 15_000, 'MX deliveries and the NDR');
      expect(mx.messages()).toHaveLength(2);
      expect(sender2.messages()).toHaveLength(1);
      expect(mx.messages().some((m) => m.includes('Subject: mx\n'))).toBe(true);
      expect(mx.messages().some((m) => m.includes('Subject: implicit\n'))).toBe(true);
      expect(backup2.messages()).toHaveLength(0);
      const ndr = sender2.messages()[0]!;
      expect(ndr).toContain('X-Mail-Args: <>');
      expect(ndr).toContain('Final-Recipient: rfc822; z@nullmx.test');
      expect(ndr).toContain('Status: 5.1.10');
      expect(ndr).toContain('Subject: nullmx');
    });
  });

  it('R160: a hop that is down keeps its messages in Retry; they flow on ETRN once it is back', async () => {
    const port = await freePort('127.0.10.9');
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: '127.0.10.9', port });
    const q = relay(labTopology(), hosts);
    await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'waits' }));
    await waitFor(() => queueOf(q, 'sink.test')?.status === 'Retry', 10_000, 'queue in Retry');
    const retry = queueOf(q, 'sink.test')!;
    expect(retry.last_error).toMatch(/^451 4\.4\.1 /);
    // labTopology: one glitch retry 1 s later, then transient retries 2 s apart (R160).
    expect(retry.next_retry_time! - retry.last_retry_time!).toBe(retry.retry_count <= 1 ? 1000 : 2000);
    const s = await startSmtpSinkAt('127.0.10.9', port);
    expect(await q.startDelivery('sink.test')).toBe(true);
    await waitFor(() => drained(q), 10_000, 'delivery after ETRN');
    expect(s.messages()[0]).toContain('Subject: waits');
  });

  it('R165: a 5xx reply bounces at once; R163/R164: a delay DSN, then the expiry NDR', async () => {
    const senders = await sink('127.0.10.8');
    const rejecting = await sink('127.0.10.5', ['-f', 'RCPT']);
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: rejecting.host, port: rejecting.port });
    hosts.mx.set('senders.test', [{ priority: 10, exchange: 'mx.senders.test' }]);
    hosts.hosts.set('mx.senders.test', { address: senders.host, port: senders.port });
    hosts.mx.set('slow.test', [{ priority: 10, exchange: 'mx.slow.test' }]);
    hosts.hosts.set('mx.slow.test', { address: '127.0.10.9', port: await freePort('127.0.10.9') });
    const topology = labTopology();
    topology.transportService.delayNotificationTimeout = 1500;
    topology.transportService.messageExpirationTimeout = 4000;
    for (const s of topology.servers) s.transportService = topology.transportService;
    const q = relay(topology, hosts);
    await q.accept(message({ sender: 'a@senders.test', to: ['partner@fabrikam.com'], subject: 'refused' }));
    await q.accept(message({ sender: 'a@senders.test', to: [{ address: 'late@slow.test', notify: ['FAILURE', 'DELAY'] }].map((r) => r.address), subject: 'late' }));
    await waitFor(() => drained(q), 20_000, 'bounce, delay DSN and expiry NDR');
    expect(senders.messages()).toHaveLength(3);
    const reports = senders.messages();
    const bounce = reports.find((m) => m.includes('Final-Recipient: rfc822; partner@fabrikam.com'))!;
    expect(bounce).toMatch(/Action: failed\nStatus: 5\.\d\.\d/);
    const delay = reports.find((m) => m.includes('Action: delayed'))!;
    expect(delay).toContain('Final-Recipient: rfc822; late@slow.test');
    const expired = reports.find((m) => m.includes('Final-Recipient: rfc822; late@slow.test') && m.includes('Action: failed'))!;
    expect(expired).toContain('Status: 4.4.7');
    expect(expired).toContain('QUEUE.Expired; message expired');
  });
});

async function startSmtpSinkAt(host: string, port: number): Promise<Sink> {
  const s = await startSmtpSink(host, [], port);
  cleanups.push(() => s.stop());
  return s;
}
