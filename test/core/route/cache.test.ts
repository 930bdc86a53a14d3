/**
 * The routing cache (issue 7): one typed cache per routing index, read-only results, and size-aware
 * connector selection (R104 step 1) served from the same ranked candidates as a selection without a size.
 */
import { describe, expect, it } from 'vitest';
import { frozenRoutingIndex, nextHop, uncachedRoutingIndex } from '../../../src/core/route/index.js';
import { MB, twoSites } from './fixtures.js';

const t = () =>
  twoSites({
    sendConnectors: [
      { name: 'Exact-small', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['MBX-LYO'], maxMessageSize: '10MB' },
      { name: 'Any-big', addressSpaces: ['*'], sourceTransportServers: ['MBX-LYO'], maxMessageSize: '50MB' },
    ] as never,
    // R131 first: without this the organization's default limits refuse the larger messages before routing.
    organization: { maxSendSize: 'unlimited', maxReceiveSize: 'unlimited' } as never,
  });

describe('routing cache', () => {
  it('a frozen index shares its results read-only: writing into a cached next hop throws', () => {
    const index = frozenRoutingIndex(t());
    nextHop(index, { server: 'MBX-PAR', recipient: 'x@fabrikam.com' });
    const again = nextHop(index, { server: 'MBX-PAR', recipient: 'x@fabrikam.com' });
    if (!again.ok) throw new Error('expected a decision');
    const hop = again.decision.nextHop!;
    expect(hop.domain).toBe('Exact-small');
    expect(Object.isFrozen(hop)).toBe(true);
    expect(() => (hop.targets as string[]).push('MBX-X')).toThrow(TypeError);
  });

  it('R104 step 1 sizes filter the cached ranking: sized and unsized requests on one index answer as on an uncached one, in any order', () => {
    const topology = t();
    const cached = frozenRoutingIndex(topology);
    const fresh = uncachedRoutingIndex(topology);
    const decide = (index: typeof cached, size?: number) => {
      const r = nextHop(index, { server: 'MBX-PAR', recipient: 'x@fabrikam.com', ...(size === undefined ? {} : { size }) });
      return r.ok ? JSON.parse(JSON.stringify(r.decision)) : r;
    };
    const sizes = [undefined, 5 * MB, 20 * MB, 60 * MB, undefined, 20 * MB, 5 * MB];
    const connectors = sizes.map((size) => {
      const a = decide(cached, size);
      expect(a).toEqual(decide(fresh, size));
      return a.connector ?? a.status;
    });
    // 60 MB fits no connector: R104 step 5, rejected.
    expect(connectors).toEqual(['Exact-small', 'Exact-small', 'Any-big', 'rejected', 'Exact-small', 'Any-big', 'Exact-small']);
  });
});
