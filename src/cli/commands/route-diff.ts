import { routeDiff } from '../../app/route-diff.js';
import { ExitError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderRouteDiff } from '../render/route-diff.js';

export async function routeDiffCommand(
  opts: { config?: string; format?: string; base: string; detailedExitcode?: boolean },
  ctx: CliContext,
): Promise<void> {
  const result = await routeDiff({ config: opts.config, base: opts.base, cwd: ctx.cwd });
  ctx.out(renderRouteDiff(defaultFormat(ctx, opts.format), result, ctx.colorLevel));
  // product.md: --detailed-exitcode exits 3 when routes change.
  if (opts.detailedExitcode && result.changed) throw new ExitError(3);
}
