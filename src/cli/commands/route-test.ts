import { routeTest } from '../../app/route-test.js';
import { ExitError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderRouteTest } from '../render/route-test.js';

export async function routeTestCommand(file: string, opts: { config?: string; format?: string }, ctx: CliContext): Promise<void> {
  const result = await routeTest({ file, config: opts.config, cwd: ctx.cwd });
  ctx.out(renderRouteTest(defaultFormat(ctx, opts.format), result, ctx.colorLevel));
  if (result.failed > 0) throw new ExitError(1);
}
