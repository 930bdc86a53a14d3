/**
 * The categorizer (R89, R99, R120, R121, R150): takes messages from the Submission queue, routes
 * each recipient with the routing core (resolve.ts), and places it in the delivery queue of its
 * NextHopSolutionKey, which bifurcates a message into one copy per next hop (the copies share the
 * message integer, R141). Groups expanded on this server are replaced by their members; a group
 * whose expansion server is another server is relayed there (SmtpRelayToServers). Rejected
 * recipients are NDR'd at once; unroutable ones wait in the Unreachable queue (R120).
 *
 * Before each batch it records "processing started" (store.markInProcess), so a message that
 * crashes the relay twice ends in the Poison queue (R140) instead of crashing it forever.
 */
import type { Topology } from '../../core/model/topology.js';
import { queueReport } from '../queue/reports.js';
import { trackedMessage } from '../queue/tracking.js';
import { SUBMISSION, UNREACHABLE } from '../queue/keys.js';
import type { Placement, QueueStore } from '../queue/store.js';
import { resolveRecipients } from './resolve.js';

/** Messages categorized per transaction. */
export const CATEGORIZER_BATCH = 200;

export interface CategorizerOptions {
  store: QueueStore;
  server: string;
  reportingMta: string;
  topology: () => Topology;
  now: () => number;
}

export class Categorizer {
  constructor(private readonly o: CategorizerOptions) {}

  /** Categorizes up to `limit` messages; returns how many it handled. */
  run(limit = CATEGORIZER_BATCH): number {
    const { store } = this.o;
    const batch = store.submissionBatch(limit);
    if (batch.length === 0) return 0;
    store.markInProcess(batch.map((m) => m.id));
    const submission = store.queueId(SUBMISSION)!;
    const topology = this.o.topology();
    const now = this.o.now();
    store.transaction(() => {
      for (const message of batch) {
        const recipients = store.recipientsOf(message.id).filter((r) => r.state === 'pending' && r.queue_id === submission);
        const routes = resolveRecipients(topology, { server: this.o.server, recipients: recipients.map((r) => r.address), sender: message.sender, size: message.size });
        const rejected: Parameters<typeof queueReport>[4][number][] = [];
        const placedHere = new Set<string>();
        let finished = false;
        recipients.forEach((r, i) => {
          const placements: Placement[] = [];
          for (const route of routes[i] ?? []) {
            const inherit = { notify: r.notify, orcpt: route.address.toLowerCase() === r.address.toLowerCase() ? r.orcpt : null };
            if (route.kind === 'reject') {
              rejected.push({ address: route.address, notify: r.notify, orcpt: r.orcpt, status: route.reason.enhancedCode, diagnostic: `${route.reason.code} ${route.reason.enhancedCode} ${route.reason.text}` });
              continue;
            }
            const queue =
              route.kind === 'unreachable'
                ? { ...UNREACHABLE }
                : { kind: 'delivery' as const, deliveryType: route.hop.deliveryType, domain: route.hop.domain, connector: route.hop.connector ?? '', hop: route.hop };
            // One copy per queue: a member reached twice (two groups) is delivered once.
            const dedupe = `${queue.deliveryType}\u0000${queue.domain.toLowerCase()}\u0000${route.address.toLowerCase()}`;
            if (placedHere.has(dedupe)) continue;
            placedHere.add(dedupe);
            placements.push({ address: route.address, ...inherit, queue, lastError: route.kind === 'unreachable' ? route.reason.text : undefined, connector: route.kind === 'queue' ? route.hop.connector : null });
          }
          if (placements.length === 0) {
            store.recipientDone(r, rejected.length ? 'failed' : 'expanded', null);
            finished = true;
          } else store.place(r, placements, now);
          // R99: a group expanded here was replaced by its members (they carry on as recipients).
          const members = (routes[i] ?? []).filter((route) => route.expanded).map((route) => route.address);
          if (members.length) store.track({ eventId: 'EXPAND', source: 'ROUTING', ...trackedMessage(message), recipients: [...new Set(members)], relatedRecipientAddress: r.address });
        });
        if (rejected.length) store.track({ eventId: 'FAIL', source: 'ROUTING', ...trackedMessage(message), recipients: rejected.map((x) => x.address), recipientStatus: rejected.map((x) => x.diagnostic ?? x.status) });
        if (rejected.length) queueReport(store, this.o.reportingMta, message, 'failed', rejected, now);
        store.stepDone(message.id);
        // A message with every recipient placed in a queue is still pending: only a finished recipient can end it.
        if (finished) store.finishIfDone(message.id);
      }
    });
    return batch.length;
  }

  /**
   * The configuration changed (R120, R162): recipients waiting in the Unreachable queue and in
   * delivery queues go back through the categorizer (suspended queues stay as they are).
   */
  resubmitAll(): number {
    const { store } = this.o;
    const submission = store.queueId(SUBMISSION)!;
    return store.db
      .prepare(
        `UPDATE recipients SET queue_id = ?, next_attempt = 0 WHERE state = 'pending' AND queue_id IN (SELECT id FROM queues WHERE kind IN ('delivery', 'unreachable') AND suspended = 0)`,
      )
      .run(submission).changes;
  }
}
