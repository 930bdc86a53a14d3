import { routeDiff } from '../../app/route-diff.js';
import { ExitError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { routeDiffChunks } from '../render/route-diff.js';

/** `mxt route diff`: written a chunk of changes at a time (the JSON of a large diff passes V8's longest string). */
export async function routeDiffCommand(
  opts: { config?: string; format?: string; base: string; detailedExitcode?: boolean },
  ctx: CliContext,
): Promise<void> {
  const result = await routeDiff({ config: opts.config, base: opts.base, cwd: ctx.cwd });
  const chunks = routeDiffChunks(defaultFormat(ctx, opts.format), result, ctx.colorLevel);
  if (ctx.write) for (const chunk of chunks) await ctx.write(chunk);
  else ctx.out([...chunks].join('').replace(/\n$/, ''));
  // product.md: --detailed-exitcode exits 3 when routes change.
  if (opts.detailedExitcode && result.changed) throw new ExitError(3);
}
