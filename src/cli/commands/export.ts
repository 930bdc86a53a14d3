import { exportPowerShellScript } from '../../app/export-powershell.js';
import { atomicWrite } from '../../io/atomic-write.js';
import { displayPath } from '../../config/load.js';
import type { CliContext } from '../context.js';
import path from 'node:path';

export async function exportPowerShellCommand(opts: { config?: string; output?: string }, ctx: CliContext, version: string): Promise<void> {
  const script = await exportPowerShellScript({ config: opts.config, cwd: ctx.cwd, version });
  if (opts.output === undefined) {
    ctx.out(script.replace(/\n$/, ''));
    return;
  }
  const file = path.resolve(ctx.cwd, opts.output);
  await atomicWrite(file, script, { display: opts.output });
  ctx.err(`mxt: wrote ${displayPath(file, ctx.cwd)}`);
}
