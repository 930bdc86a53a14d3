import { validateConfig } from '../../app/validate.js';
import { ExitError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderValidation } from '../render/validation.js';

export async function validateCommand(opts: { config?: string; format?: string; strict?: boolean }, ctx: CliContext): Promise<void> {
  const result = await validateConfig({ config: opts.config, cwd: ctx.cwd, strict: opts.strict });
  const format = defaultFormat(ctx, opts.format);
  ctx.out(renderValidation(format, result, ctx.colorLevel));
  if (!result.valid) throw new ExitError(1);
}
