/**
 * Get-TransportService, one object per server, as the config has it: org-wide values under
 * `transportService` and per-server overrides (R166). For each setting the org-wide value is the
 * one that leaves the fewest servers needing an override of it, none when writing none does as well
 * (each role then keeps its own default: 5m/10m on Mailbox, 10m/30m on Edge).
 */
import { nameKey } from '../model/names.js';
import type { Server } from '../model/topology.js';
import { transportServiceDefaults } from '../schema/effective.js';
import { field, type DumpItem, type Field, type ImportRun } from './fields.js';
import * as v from './values.js';

type Entry = Record<string, unknown>;

const FIELDS: readonly Field[] = [
  field.duration('messageExpirationTimeout'),
  field.duration('delayNotificationTimeout'),
  field.integer('transientFailureRetryCount'),
  field.duration('transientFailureRetryInterval'),
  field.duration('outboundConnectionFailureRetryInterval'),
  field.duration('messageRetryInterval'),
  field.duration('queueMaxIdleTime'),
  field.integer('queueGlitchRetryCount'),
  field.duration('queueGlitchRetryInterval'),
  field.duration('mailboxDeliveryQueueRetryInterval'),
  field.duration('maxIdleTimeBeforeResubmit'),
  field.limit('maxOutboundConnections'),
  field.limit('maxPerDomainOutboundConnections'),
  field.integer('maxConnectionRatePerMinute'),
  field.texts('externalDNSServers'),
  field.texts('internalDNSServers'),
];

export function transportServiceSettings(
  run: ImportRun,
  items: readonly DumpItem[],
  servers: ReadonlyMap<string, { name: string; role: Server['role'] }>,
): { organization: Entry; servers: Map<string, Entry> } {
  const dumped = items.flatMap((item) => {
    const name = run.read(item, 'Name', v.objectName);
    const server = name ? servers.get(nameKey(name)) : undefined;
    if (!server) return [];
    const values = new Map<string, unknown>();
    for (const f of FIELDS) {
      const value = run.read(item, f.key, f.read);
      if (value !== undefined) values.set(f.key, value);
    }
    const defaults = transportServiceDefaults(server.role) as unknown as Entry;
    return [{ server, values, defaults }];
  });
  const organization: Entry = {};
  const overrides = new Map<string, Entry>();
  for (const f of FIELDS) {
    const implied = (d: Entry) => (f.norm ? f.norm(d[f.key]) : d[f.key]);
    const has = dumped.filter((d) => d.values.has(f.key));
    const misses = (org: unknown) => has.filter((d) => !v.sameValue(d.values.get(f.key), org === undefined ? implied(d.defaults) : org));
    let best: { org: unknown; missed: typeof has } = { org: undefined, missed: misses(undefined) };
    for (const d of has) {
      const candidate = d.values.get(f.key);
      const missed = misses(candidate);
      if (missed.length < best.missed.length) best = { org: candidate, missed };
    }
    if (best.org !== undefined) organization[f.key] = best.org;
    for (const d of best.missed) {
      const key = nameKey(d.server.name);
      overrides.set(key, { ...(overrides.get(key) ?? {}), [f.key]: d.values.get(f.key) });
    }
  }
  return { organization, servers: overrides };
}
