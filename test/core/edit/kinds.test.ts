import { describe, expect, it } from 'vitest';
import { kebab } from '../../../src/core/edit/fields.js';
import * as K from '../../../src/core/edit/kinds.js';
import { keysAt } from '../../../src/core/schema/parse.js';
import { topologySchema } from '../../../src/core/schema/topology.js';
import { receiveConnectorSchema, permissionGroups, authMechanisms, receiveConnectorUsages } from '../../../src/core/schema/receive-connector.js';
import { sendConnectorSchema, sendConnectorUsages } from '../../../src/core/schema/send-connector.js';

function enumOf(schema: { shape: Record<string, unknown> }, key: string): string[] {
  let node = schema.shape[key] as { _zod: { def: Record<string, unknown> } };
  for (let i = 0; i < 5; i++) {
    const def = node._zod.def;
    if (def.type === 'enum') return Object.values(def.entries as Record<string, string>);
    node = (def.innerType ?? def.element) as typeof node;
  }
  throw new Error(`no enum at ${key}`);
}

describe('edit tables (one table per object kind)', () => {
  it('flags are the kebab-case of the config keys', () => {
    expect(kebab('remoteIPRanges')).toBe('remote-ip-ranges');
    expect(kebab('dnsRoutingEnabled')).toBe('dns-routing-enabled');
    expect(kebab('forceHELO')).toBe('force-helo');
    expect(kebab('ignoreSTARTTLS')).toBe('ignore-starttls');
    expect(kebab('sourceTransportServers')).toBe('source-transport-servers');
    for (const kind of K.ALL_KINDS) for (const f of kind.fields) expect(f.flag).toBe(kebab(f.key));
  });

  it('every field is a key the schema of its section accepts, once', () => {
    for (const kind of K.ALL_KINDS) {
      const keys = keysAt(topologySchema, [kind.section, 0]);
      expect(keys.length).toBeGreaterThan(0);
      for (const f of kind.fields) expect(keys, `${kind.id}.${f.key}`).toContain(f.key);
      const flags = kind.fields.map((f) => f.flag);
      expect(new Set(flags).size).toBe(flags.length);
      for (const key of kind.identity) expect(kind.fields.map((f) => f.key)).toContain(key);
    }
  });

  it('R35/R110 enum choices equal the schema enums', () => {
    expect([...K.SEND_USAGES]).toEqual([...sendConnectorUsages]);
    expect([...K.RECEIVE_USAGES]).toEqual([...receiveConnectorUsages]);
    expect([...K.PERMISSION_GROUPS]).toEqual([...permissionGroups]);
    expect([...K.AUTH_MECHANISMS]).toEqual([...authMechanisms]);
    for (const [kind, schema] of [
      [K.SEND_CONNECTOR, sendConnectorSchema],
      [K.RECEIVE_CONNECTOR, receiveConnectorSchema],
    ] as const) {
      for (const f of kind.fields.filter((x) => x.parse === 'enum' || x.parse === 'enums')) {
        expect([...(f.choices ?? [])], `${kind.id}.${f.key}`).toEqual(enumOf(schema as unknown as { shape: Record<string, unknown> }, f.key));
      }
    }
  });

  it('R35: a receive connector needs bindings and remote ranges, except Internet ranges', () => {
    expect(K.RECEIVE_CONNECTOR.required({ name: 'x', server: 'EX01', usage: 'Custom' })).toEqual(['bindings', 'remoteIPRanges']);
    expect(K.RECEIVE_CONNECTOR.required({ name: 'x', server: 'EX01', usage: 'Internet' })).toEqual(['bindings']);
  });

  it('R180/V33: a send connector needs address spaces, sources, and smart hosts without DNS routing', () => {
    expect(K.SEND_CONNECTOR.required({ name: 'x' })).toEqual(['addressSpaces', 'sourceTransportServers']);
    expect(K.SEND_CONNECTOR.required({ name: 'x', addressSpaces: ['*'], sourceTransportServers: ['EX01'], dnsRoutingEnabled: false })).toEqual(['smartHosts']);
  });
});
