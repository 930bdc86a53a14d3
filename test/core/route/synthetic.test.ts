import { describe, expect, it } from 'vitest';
import { syntheticOrg } from '../../../src/core/synthetic/org.js';
import { buildRouteTable } from '../../../src/core/route/table.js';
import { planRoute } from '../../../src/core/route/index.js';
import { findingsOf, topology } from '../../helpers/topology.js';

describe('synthetic organizations (benchmarks, npm run gen)', () => {
  it('the same sites and seed give the same config; another seed another one', () => {
    expect(JSON.stringify(syntheticOrg({ sites: 30, seed: 1 }))).toBe(JSON.stringify(syntheticOrg({ sites: 30, seed: 1 })));
    expect(JSON.stringify(syntheticOrg({ sites: 30, seed: 2 }))).not.toBe(JSON.stringify(syntheticOrg({ sites: 30, seed: 1 })));
  });
  it('R80 a 200-site org is connected, has no validation errors, and every site reaches every DAG', () => {
    const config = syntheticOrg({ sites: 200, seed: 42 });
    expect(findingsOf(config).filter((f) => f.severity === 'error')).toEqual([]);
    const t = topology(config);
    expect(t.servers).toHaveLength(1000);
    const table = buildRouteTable(t, {});
    const mailboxClasses = buildRouteTable(t, { classes: table.classes.filter((c) => c.kind === 'mailbox') });
    expect(mailboxClasses.classes).toHaveLength(100);
    // One server per site (servers of a site share their paths).
    for (const server of table.servers.filter((s, i) => i % 5 === 0)) {
      for (const row of mailboxClasses.rowsFor(server)) expect(row.status).toBe('routed');
    }
    const d = planRoute(t, { from: t.servers[0]!.name, recipients: [t.recipients.mailboxes.at(-1)!.address, 'x@partner-s198.example'] }).decisions;
    expect(d.map((x) => x.status)).toEqual(['routed', 'routed']);
  });
});
