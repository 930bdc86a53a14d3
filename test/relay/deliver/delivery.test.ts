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
import { loopback } from '../../helpers/loopback.js';
import type { Topology } from '../../../src/core/model/topology.js';
import type { MessageTracker, TrackingEvent } from '../../../src/relay/queue/tracking.js';

// This file's loopback addresses (test/helpers/loopback.ts); dnsmasq takes the sixth (dnsmasq.ts).
const [SINK, MX1, MX2, SENDERS, FIXED_PORT] = [0, 1, 2, 3, 4].map((n) => loopback('delivery', n)) as [string, string, string, string, string];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sink(host = SINK, args: string[] = []): Promise<Sink> {
  const s = await startSmtpSink(host, args);
  cleanups.push(() => s.stop());
  return s;
}

function relay(topology: Topology, hosts: HostsTable, track?: MessageTracker): RelayQueue {
  const dir = tempDir();
  const q = new RelayQueue({ dataDir: dir, topology, server: 'EX01', hosts, random: () => 0.5, ...(track ? { track } : {}), log: process.env.MXT_TEST_LOG ? (e, f) => console.log(e, JSON.stringify(f)) : undefined });
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

  it('R120: after a configuration change the next message goes where the new config says, not over a connection kept from before', async () => {
    const before = await sink();
    const after = await startSmtpSinkAt(SINK, await freePort(SINK));
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: SINK });
    const q = relay(labTopology({ smartHostPort: before.port }), hosts);
    await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'old port' }));
    await waitFor(() => drained(q), 10_000, 'the first message');
    // Its connection now waits (IDLE_CONNECTION_MS) for more mail to the same queue; the connector moves to another port.
    q.reload(labTopology({ smartHostPort: after.port }));
    await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'new port' }));
    await waitFor(() => drained(q), 10_000, 'the second message');
    expect(before.messages().map((m) => /Subject: (.*)\n/.exec(m)?.[1])).toEqual(['old port']);
    expect(after.messages().map((m) => /Subject: (.*)\n/.exec(m)?.[1])).toEqual(['new port']);
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
      const mx = await sink(MX1);
      const backup = await sink(MX2);
      const senderSink = await sink(SENDERS);
      const dnsPort = await freePort(DNS_ADDRESS);
      d = await startDnsmasq(
        [
          '--mx-host=example.org,mx1.example.org,10',
          '--mx-host=example.org,mx2.example.org,20',
          `--host-record=mx1.example.org,${MX1}`,
          `--host-record=mx2.example.org,${MX2}`,
          '--local=/aonly.test/', // answer for the zone (NODATA for MX) instead of refusing
          `--host-record=aonly.test,${MX1}`,
          '--dns-rr=nullmx.test,15,0000:00',
          '--mx-host=senders.test,mx.senders.test,5',
          `--host-record=mx.senders.test,${SENDERS}`,
        ],
        dnsPort,
      );
      // One port for every MX sink: the connector's Port (R107) applies to all its MX hosts.
      const topology = labTopology({ dns: d.server });
      const port = mx.port;
      await Promise.all([backup.stop(), senderSink.stop()]);
      const backup2 = await startSmtpSinkAt(MX2, port);
      const sender2 = await startSmtpSinkAt(SENDERS, port);
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

    it('R107: a smart host FQDN is resolved as MX first (its MX host gets the mail, not its own A record), then A when it has no MX', async () => {
      const viaMx = await sink(MX1);
      const ownA = await startSmtpSinkAt(MX2, viaMx.port);
      cleanups.push(() => ownA.stop());
      const dnsPort = await freePort(DNS_ADDRESS);
      d = await startDnsmasq(
        [
          '--mx-host=relay.fabrikam.test,mx.relay.fabrikam.test,10',
          `--host-record=mx.relay.fabrikam.test,${MX1}`,
          `--host-record=relay.fabrikam.test,${MX2}`,
          '--local=/aonly-relay.test/',
          `--host-record=aonly-relay.test,${MX2}`,
        ],
        dnsPort,
      );
      const withMx = relay(labTopology({ dns: d.server, smartHost: 'relay.fabrikam.test', smartHostPort: viaMx.port }), emptyHostsTable());
      await withMx.accept(message({ to: ['partner@fabrikam.com'], subject: 'smart host by MX' }));
      await waitFor(() => drained(withMx), 15_000, 'delivery through the smart host MX');
      expect(viaMx.messages()).toHaveLength(1);
      expect(viaMx.messages()[0]).toContain('Subject: smart host by MX\n');
      expect(ownA.messages()).toHaveLength(0);
      const aOnly = relay(labTopology({ dns: d.server, smartHost: 'aonly-relay.test', smartHostPort: viaMx.port }), emptyHostsTable());
      await aOnly.accept(message({ to: ['partner@fabrikam.com'], subject: 'smart host by A' }));
      await waitFor(() => drained(aOnly), 15_000, 'delivery to the smart host A record');
      expect(ownA.messages()).toHaveLength(1);
      expect(ownA.messages()[0]).toContain('Subject: smart host by A\n');
    });
  });

  it('R160: a hop that is down keeps its messages in Retry; they flow on ETRN once it is back', async () => {
    const port = await freePort(FIXED_PORT);
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: FIXED_PORT, port });
    const q = relay(labTopology(), hosts);
    await q.accept(message({ to: ['partner@fabrikam.com'], subject: 'waits' }));
    await waitFor(() => queueOf(q, 'sink.test')?.status === 'Retry', 10_000, 'queue in Retry');
    const retry = queueOf(q, 'sink.test')!;
    expect(retry.last_error).toMatch(/^451 4\.4\.1 /);
    // labTopology: one glitch retry 1 s later, then transient retries 2 s apart (R160).
    expect(retry.next_retry_time! - retry.last_retry_time!).toBe(retry.retry_count <= 1 ? 1000 : 2000);
    const s = await startSmtpSinkAt(FIXED_PORT, port);
    expect(await q.startDelivery('sink.test')).toBe(true);
    await waitFor(() => drained(q), 10_000, 'delivery after ETRN');
    expect(s.messages()[0]).toContain('Subject: waits');
  });

  it('R165: a 5xx reply bounces at once; R163/R164: a delay DSN, then the expiry NDR', async () => {
    const senders = await sink(SENDERS);
    const rejecting = await sink(SINK, ['-f', 'RCPT']);
    const hosts = emptyHostsTable();
    hosts.hosts.set('sink.test', { address: rejecting.host, port: rejecting.port });
    hosts.mx.set('senders.test', [{ priority: 10, exchange: 'mx.senders.test' }]);
    hosts.hosts.set('mx.senders.test', { address: senders.host, port: senders.port });
    hosts.mx.set('slow.test', [{ priority: 10, exchange: 'mx.slow.test' }]);
    hosts.hosts.set('mx.slow.test', { address: FIXED_PORT, port: await freePort(FIXED_PORT) });
    const topology = labTopology();
    topology.transportService.delayNotificationTimeout = 1500;
    topology.transportService.messageExpirationTimeout = 4000;
    for (const s of topology.servers) s.transportService = topology.transportService;
    const events: TrackingEvent[] = [];
    const q = relay(topology, hosts, (e) => events.push(e));
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
    // Message tracking: each outcome is an event, so a bounce is never silent.
    const of = (id: string) => events.filter((e) => e.eventId === id);
    const refused = of('FAIL').find((e) => e.source === 'SMTP')!;
    expect(refused).toMatchObject({ recipients: ['partner@fabrikam.com'], sender: 'a@senders.test', nextHopDomain: 'sink.test', connectorId: 'To Fabrikam' });
    expect(refused.recipientStatus![0]).toMatch(/^5\d\d 5\.\d\.\d/);
    expect(of('FAIL').find((e) => e.source === 'QUEUE')).toMatchObject({ recipients: ['late@slow.test'] });
    expect(of('FAIL').find((e) => e.source === 'QUEUE')!.recipientStatus![0]).toContain('QUEUE.Expired');
    expect(of('DSN')).toHaveLength(3);
    expect(of('DSN').map((e) => e.recipientStatus![0]!.split(' ')[0]).sort()).toEqual(['delayed', 'failed', 'failed']);
    for (const dsn of of('DSN')) expect(dsn).toMatchObject({ recipients: ['a@senders.test'], reference: expect.stringMatching(/@ex01\./) });
    // The three reports went out to the sender's MX: three SEND events from the null sender.
    expect(of('SEND').filter((e) => e.sender === '' && e.recipients[0] === 'a@senders.test')).toHaveLength(3);
  });
});

async function startSmtpSinkAt(host: string, port: number): Promise<Sink> {
  const s = await startSmtpSink(host, [], port);
  cleanups.push(() => s.stop());
  return s;
}
