import { routeTable } from '../../app/route-table.js';
import { defaultFormat, type CliContext } from '../context.js';
import { routeTableChunks } from '../render/route-table.js';

/** `mxt route table`: rows are written server by server as they are computed (a large org's table is never one string). */
export async function routeTableCommand(opts: { config?: string; format?: string; server?: string }, ctx: CliContext): Promise<void> {
  const result = await routeTable({ config: opts.config, server: opts.server, cwd: ctx.cwd });
  const chunks = routeTableChunks(defaultFormat(ctx, opts.format), result, ctx.colorLevel);
  if (ctx.write) {
    for (const chunk of chunks) await ctx.write(chunk);
    return;
  }
  ctx.out([...chunks].join(''));
}
