import { routeTable } from '../../app/route-table.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderRouteTable } from '../render/route-table.js';

export async function routeTableCommand(opts: { config?: string; format?: string; server?: string }, ctx: CliContext): Promise<void> {
  const result = await routeTable({ config: opts.config, server: opts.server, cwd: ctx.cwd });
  ctx.out(renderRouteTable(defaultFormat(ctx, opts.format), result, ctx.colorLevel));
}
