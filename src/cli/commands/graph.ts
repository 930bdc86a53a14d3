import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { topologyGraph } from '../../app/graph.js';
import { UserError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { renderGraph } from '../render/graph.js';

export interface GraphFlags {
  config?: string;
  format?: string;
  routeFrom?: string;
  routeTo?: string;
  output?: string;
}

/** `mxt graph`: flags → app → writer → stdout or --output FILE. */
export async function graphCommand(opts: GraphFlags, ctx: CliContext): Promise<void> {
  const graph = await topologyGraph({ config: opts.config, cwd: ctx.cwd, routeFrom: opts.routeFrom, routeTo: opts.routeTo });
  const text = await renderGraph(opts.format ?? 'mermaid', graph);
  if (opts.output === undefined) {
    ctx.out(text);
    return;
  }
  const file = path.resolve(ctx.cwd, opts.output);
  try {
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  } catch (error) {
    throw new UserError(`cannot write ${opts.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the directory exists and is writable');
  }
  ctx.err(`wrote ${opts.output}`);
}
