import { topologyJsonSchema } from '../../core/schema/json-schema.js';
import type { CliContext } from '../context.js';

export async function schemaCommand(ctx: CliContext): Promise<void> {
  ctx.out(JSON.stringify(topologyJsonSchema(), null, 2));
}
