/** The JSON Schema of the config file, generated from the zod schema (what the user may write). */
import { z } from 'zod';
import { topologySchema } from './topology.js';

export function topologyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(topologySchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'https://mxt.dev/schemas/mxt.schema.json', ...schema };
}
