// R23 MaxLocalHopCount: the organization's own Received fields, counted by their `by` host.
import { describe, expect, it } from 'vitest';
import { exceedsLocalHopCount, localHopCount } from '../../../src/core/policy/local-hops.js';
import { headerFacts } from '../../../src/relay/protocol/headers.js';
import { relayTopology } from '../../relay/fixture.js';

const topology = relayTopology();
const received = (by: string) => `Received: from x ([10.0.0.1])\r\n\tby ${by} (mxt) with ESMTP id 1;\r\n\tThu, 3 Dec 2026 10:00:00 +0000\r\n`;

describe('local hops', () => {
  it('headerFacts reads the `by` host of folded Received fields, and none from other fields', () => {
    const facts = headerFacts(Buffer.from(`${received('MBX-PAR.contoso.com')}Received: from y by mx.example.org; Thu, 3 Dec 2026\r\nX-Note: by mbx-par.contoso.com\r\nReceived: from z\r\n\r\nbody by mbx-par.contoso.com\r\n`));
    expect(facts.received).toBe(3);
    expect(facts.receivedBy).toEqual(['mbx-par.contoso.com', 'mx.example.org', '']);
  });

  it('counts the topology\'s server and connector FQDNs (any case, a trailing dot) and nothing else', () => {
    expect(localHopCount(topology, ['mbx-par.contoso.com', 'MBX-PAR.CONTOSO.COM.', 'mx.example.org', ''])).toBe(2);
  });

  it('more than MaxLocalHopCount local hops exceeds it; 0 means no limit', () => {
    const hops = Array.from({ length: 9 }, () => 'mbx-par.contoso.com');
    expect(exceedsLocalHopCount(topology, { maxLocalHopCount: 8 }, hops)).toBe(true);
    expect(exceedsLocalHopCount(topology, { maxLocalHopCount: 8 }, hops.slice(1))).toBe(false);
    expect(exceedsLocalHopCount(topology, { maxLocalHopCount: 0 }, [...hops, ...hops, ...hops])).toBe(false);
  });
});
