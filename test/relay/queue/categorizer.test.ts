/**
 * The categorizer on a real queue database: recipients land in the queues `route plan` groups them
 * in (R89, R150), groups expand here or go to their expansion server (R99), unknown recipients get
 * an NDR at once (R121), and a configuration change re-routes what waits (R120).
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { planRoute } from '../../../src/core/route/index.js';
import { Categorizer } from '../../../src/relay/categorizer/categorizer.js';
import { QueueStore } from '../../../src/relay/queue/store.js';
import { labTopology, message, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(topology = labTopology()) {
  const dir = tempDir();
  dirs.push(dir);
  const store = QueueStore.open(dir);
  let current = topology;
  const cat = new Categorizer({ store, server: 'EX01', reportingMta: 'ex01.contoso.com', topology: () => current, now: () => Date.UTC(2026, 0, 5) });
  return { store, cat, setTopology: (t: typeof topology) => (current = t) };
}

function placed(store: QueueStore, messageId: number): string[] {
  return store
    .recipientsOf(messageId)
    .filter((r) => r.state === 'pending')
    .map((r) => {
      const q = store.queue(r.queue_id)!;
      return `${q.delivery_type}|${q.next_hop_domain}|${r.address}`;
    })
    .sort();
}

describe('categorizer', () => {
  it('R150: one delivery queue per NextHopSolutionKey, the same queues route plan groups', async () => {
    const { store, cat } = setup();
    const to = ['alice@contoso.com', 'bob@contoso.com', 'partner@fabrikam.com', 'x@example.org', 'y@example.org', 'remote@contoso.com'];
    const id = await store.accept(message({ to }));
    expect(cat.run()).toBe(1);
    const plan = planRoute(labTopology(), { from: 'EX01', recipients: to });
    const expected = plan.queues.flatMap((q) => q.recipients.map((r) => `${q.deliveryType}|${q.domain}|${r}`)).sort();
    expect(placed(store, id)).toEqual(expected);
    expect(placed(store, id)).toEqual([
      'DnsConnectorDelivery|example.org|x@example.org',
      'DnsConnectorDelivery|example.org|y@example.org',
      'SmartHostConnectorDelivery|sink.test|partner@fabrikam.com',
      'SmtpDeliveryToMailbox|DB01|alice@contoso.com',
      'SmtpDeliveryToMailbox|DB02|bob@contoso.com',
      'SmtpRelayToServers|ex02.contoso.com|remote@contoso.com',
    ].sort());
    // The copies share the message integer (R141): one messages row.
    expect(store.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
  });

  it('R99: a group expanded on this server is replaced by its members, each once', async () => {
    const { store, cat } = setup();
    const id = await store.accept(message({ to: ['all@contoso.com', 'alice@contoso.com'] }));
    cat.run();
    expect(placed(store, id)).toEqual(['SmartHostConnectorDelivery|sink.test|partner@fabrikam.com', 'SmtpDeliveryToMailbox|DB01|alice@contoso.com', 'SmtpDeliveryToMailbox|DB02|bob@contoso.com']);
  });

  it('R121: an unknown recipient of an authoritative domain is NDR\'d at once, to the sender, from <>', async () => {
    const { store, cat } = setup();
    const id = await store.accept(message({ to: ['nobody@contoso.com', 'alice@contoso.com'] }));
    cat.run();
    expect(placed(store, id)).toEqual(['SmtpDeliveryToMailbox|DB01|alice@contoso.com']);
    const ndr = store.db.prepare("SELECT id FROM messages WHERE sender = ''").pluck().get() as number;
    expect(ndr).toBeGreaterThan(id);
    const text = store.content(ndr).toString();
    expect(text).toContain('Action: failed\r\nStatus: 5.1.1');
    expect(text).toContain('Final-Recipient: rfc822; nobody@contoso.com');
    expect(store.recipientsOf(ndr).map((r) => r.address)).toEqual(['sender@fabrikam.com']);
    // The NDR itself is categorized like any message; nothing answers a report that fails.
    cat.run();
    expect(placed(store, ndr)).toEqual(['SmartHostConnectorDelivery|sink.test|sender@fabrikam.com']);
  });

  it('R120: no connector → Unreachable; a configuration change re-routes it', async () => {
    const noInternet = labTopology();
    noInternet.sendConnectors = noInternet.sendConnectors.filter((c) => c.name !== 'To Internet');
    const { store, cat, setTopology } = setup(noInternet);
    const id = await store.accept(message({ to: ['x@example.org'] }));
    cat.run();
    expect(placed(store, id)).toEqual(['Unreachable|Unreachable Domain|x@example.org']);
    expect(store.recipientsOf(id)[0]!.last_error).toBe('A matching connector cannot be found to route the external recipient');
    setTopology(labTopology());
    expect(cat.resubmitAll()).toBe(1);
    cat.run();
    expect(placed(store, id)).toEqual(['DnsConnectorDelivery|example.org|x@example.org']);
  });
});
