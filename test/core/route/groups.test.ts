import { describe, expect, it } from 'vitest';
import type { RouteDecision } from '../../../src/core/route/types.js';
import { planRoute } from '../../../src/core/route/index.js';
import { contosoDomain, mailbox, topology } from './fixtures.js';

const org = (groups: { address: string; members: string[] }[]) =>
  topology({
    sites: [{ name: 'A' }],
    servers: [mailbox('EX1', 'A')],
    mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'EX1' }],
    acceptedDomains: [contosoDomain],
    recipients: { mailboxes: [{ address: 'm@contoso.com', database: 'DB' }], distributionGroups: groups },
  });

function all(decisions: readonly RouteDecision[]): RouteDecision[] {
  const out: RouteDecision[] = [];
  const stack = [...decisions];
  while (stack.length) {
    const d = stack.pop()!;
    out.push(d);
    stack.push(...(d.members ?? []));
  }
  return out;
}

describe('distribution group expansion (R64, R99): each group at most once per message', () => {
  it('R99 groups that all contain one another: every group is expanded once, whatever the cycles', () => {
    const n = 12;
    const groups = Array.from({ length: n }, (_, i) => ({ address: `g${i}@contoso.com`, members: ['m@contoso.com', ...Array.from({ length: n }, (_, j) => `g${j}@contoso.com`).filter((_, j) => j !== i)] }));
    const plan = planRoute(org(groups), { from: 'EX1', recipients: ['g0@contoso.com'] });
    const seen = all(plan.decisions).filter((d) => d.recipientType === 'DistributionGroup').map((d) => d.recipient.toLowerCase());
    expect(seen.sort()).toEqual(groups.map((g) => g.address).sort());
  });
  it('R99 a chain of 1,000 nested groups is expanded iteratively (no stack overflow), each group once', () => {
    const groups = Array.from({ length: 1000 }, (_, i) => ({ address: `c${i}@contoso.com`, members: i < 999 ? [`c${i + 1}@contoso.com`, 'm@contoso.com'] : ['m@contoso.com'] }));
    const plan = planRoute(org(groups), { from: 'EX1', recipients: ['c0@contoso.com'] });
    expect(all(plan.decisions).filter((d) => d.recipientType === 'DistributionGroup')).toHaveLength(1000);
  });
  it('R99 a group given twice in one message is expanded once', () => {
    const plan = planRoute(org([{ address: 'g@contoso.com', members: ['m@contoso.com'] }]), { from: 'EX1', recipients: ['g@contoso.com', 'g@contoso.com'] });
    expect(plan.decisions.map((d) => d.members?.length)).toEqual([1, 0]);
  });
});
