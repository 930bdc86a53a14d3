import { showConfig } from '../../app/show.js';
import { UserError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { toPlainData } from '../render/plain-data.js';

export async function showCommand(view: string, opts: { config?: string; format?: string }, ctx: CliContext): Promise<void> {
  if (view !== 'written' && view !== 'effective') throw new UserError(`unknown view "${view}"`, 'use `mxt show` or `mxt show effective`');
  const result = await showConfig({ config: opts.config, cwd: ctx.cwd, view });
  const format = opts.format ?? (ctx.stdoutIsTTY ? 'yaml' : defaultFormat(ctx, undefined));
  const data = toPlainData(result);
  if (format === 'json') ctx.out(JSON.stringify(data, null, 2));
  else {
    const { renderYaml } = await import('../render/yaml-text.js');
    ctx.out(renderYaml(data));
  }
}
