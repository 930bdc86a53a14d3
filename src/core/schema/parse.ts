/**
 * parseTopology(): the pure half of loading. Takes the value read from the file, checks the written
 * shape (zod), makes defaults explicit (effective) and runs the semantic rules. Returns findings
 * always, and a topology when nothing stopped it from being built.
 */
import type { z } from 'zod';
import type { Finding } from '../findings/finding.js';
import { findingsFromZod } from '../findings/from-zod.js';
import type { Topology } from '../model/topology.js';
import { effective } from './effective.js';
import { topologySchema, type WrittenTopology } from './topology.js';

export interface ParsedTopology {
  written?: WrittenTopology;
  topology?: Topology;
  /** Schema findings only; semantic rules are `validateTopology`'s. */
  findings: Finding[];
}

export function parseTopology(value: unknown): ParsedTopology {
  if (value === null || value === undefined) {
    return { findings: [{ ruleId: 'config-empty', severity: 'error', path: [], message: 'the configuration is empty', hint: 'start from `mxt init` or an example in examples/' }] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      findings: [{ ruleId: 'schema-type', severity: 'error', path: [], message: `the configuration must be a mapping of sections (organization, sites, servers, …), not ${Array.isArray(value) ? 'a list' : typeof value}`, hint: 'start from `mxt init` or an example in examples/' }],
    };
  }
  const result = topologySchema.safeParse(value);
  if (!result.success) return { findings: findingsFromZod(result.error, (path) => keysAt(topologySchema, path, value), value) };
  return { written: result.data, topology: effective(result.data), findings: [] };
}

type AnySchema = z.core.$ZodType;

/** The keys the object schema at `path` accepts (for "did you mean"). */
export function keysAt(schema: AnySchema, path: readonly (string | number)[], _value?: unknown): string[] {
  let node: AnySchema | undefined = schema;
  for (const part of path) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema };
    if (def.type === 'object' && typeof part === 'string') node = def.shape?.[part];
    else if (def.type === 'array' && typeof part === 'number') node = def.element;
    else return [];
  }
  node = unwrap(node);
  const def = node?._zod.def as { type: string; shape?: Record<string, AnySchema> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(node: AnySchema | undefined): AnySchema | undefined {
  let current = node;
  for (let i = 0; i < 10 && current; i++) {
    const def = current._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; options?: AnySchema[] };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.options) current = def.options.find((o) => (o._zod.def as { type: string }).type === 'object') ?? def.options[0];
    else break;
  }
  return current;
}
