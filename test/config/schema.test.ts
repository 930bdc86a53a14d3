/**
 * schemas/mxt.schema.json is generated (npm run schema) and committed; these tests keep the file, the
 * `mxt schema` command and the examples in step with the zod schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaFileText } from '../../src/dev/write-schema.js';
import { mxt, ROOT } from '../helpers/cli.js';

const committed = () => readFileSync(path.join(ROOT, 'schemas/mxt.schema.json'), 'utf8');
const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mxt.yaml'));

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/**
 * Keys the schema does not declare, walking objects and arrays. A value matching any branch of an
 * anyOf/oneOf without unknown keys is fine. Enough to catch a misspelt or stale key in an example
 * (the zod schema, which `mxt validate` runs, checks everything else).
 */
function unknownKeys(schema: JsonSchema | boolean | undefined, value: unknown, at: string): string[] {
  if (schema === undefined || typeof schema === 'boolean') return [];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const results = branches.map((b) => unknownKeys(b, value, at));
    return results.find((r) => r.length === 0) ?? results.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownKeys(schema.items, item, `${at}[${i}]`));
  if (value !== null && typeof value === 'object' && schema.properties) {
    return Object.entries(value).flatMap(([key, child]) => {
      const inner = schema.properties![key];
      if (inner) return unknownKeys(inner, child, at ? `${at}.${key}` : key);
      return schema.additionalProperties === false ? [at ? `${at}.${key}` : key] : [];
    });
  }
  return [];
}

describe('JSON Schema (schemas/mxt.schema.json)', () => {
  it('the committed file is exactly what `npm run schema` generates (run it after a schema change)', () => {
    expect(committed()).toBe(schemaFileText());
  });

  it('is a closed draft 2020-12 object schema with every top-level section', () => {
    const schema = JSON.parse(committed()) as { $schema: string; additionalProperties: boolean; properties: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['organization', 'sites', 'siteLinks', 'servers', 'sendConnectors', 'receiveConnectors', 'edgeSubscriptions']));
  });

  it('`mxt schema` prints the same JSON as the committed file', async () => {
    const result = await mxt(['schema']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(committed()));
  });

  it('the walker notices an unknown key (so the example check below can fail)', () => {
    const schema = JSON.parse(committed()) as JsonSchema;
    expect(unknownKeys(schema, { sites: [{ name: 'A', hubSiteEnabld: true }], sendConectors: [] }, '')).toEqual(['sites[0].hubSiteEnabld', 'sendConectors']);
  });

  it.each(examples)('examples/%s uses only keys the schema declares and points at the schema', (file) => {
    const text = readFileSync(path.join(ROOT, 'examples', file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/mxt.schema.json');
    const schema = JSON.parse(committed()) as JsonSchema;
    expect(unknownKeys(schema, parse(text), '')).toEqual([]);
  });
});
