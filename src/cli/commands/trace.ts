/** `mxt trace MESSAGE-ID`: flags in, app/relay-trace.ts, rendered out; exit 1 when no node logged the message. */
import { UserError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { known } from './relay.js';

export interface TraceFlags {
  server: string[];
  dataDir?: string;
  format?: string;
}

export async function traceCommand(id: string, opts: TraceFlags, ctx: CliContext): Promise<void> {
  // app/relay-trace.js loads outside the bundle, like the relay's other use cases: known() maps its errors.
  const { traceMessage } = await import('../../app/relay-trace.js');
  const { renderTrace, traceNotes } = await import('../render/trace.js');
  const result = await known(traceMessage({ id, servers: opts.server, ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}), cwd: ctx.cwd }));
  const format = defaultFormat(ctx, opts.format);
  for (const note of traceNotes(result)) ctx.err(note);
  if (result.events.length === 0) {
    if (format === 'json') ctx.out(renderTrace(format, result));
    throw new UserError(`no tracking events for <${result.messageId}> in ${result.searched.map((s) => s.log).join(', ')}`, 'the Message-ID is the one mxt send printed, or the message header\'s (angle brackets optional); --data-dir and --server choose the logs', 1);
  }
  ctx.out(renderTrace(format, result));
}
