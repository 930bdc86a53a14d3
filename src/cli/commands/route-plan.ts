import { planRoutes } from '../../app/route-plan.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderRoutePlan } from '../render/route-plan.js';

export interface RoutePlanOptions {
  config?: string;
  format?: string;
  from: string;
  to: string[];
  sender?: string;
  size?: string;
  down?: string[];
}

export async function routePlanCommand(opts: RoutePlanOptions, ctx: CliContext): Promise<void> {
  const plan = await planRoutes({ ...opts, cwd: ctx.cwd });
  ctx.out(renderRoutePlan(defaultFormat(ctx, opts.format), plan, ctx.colorLevel));
}
