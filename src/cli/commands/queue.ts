/** `mxt queue list|show|retry|suspend|resume|remove`: flags in, app/queue.ts, rendered out. */
import { defaultFormat, type CliContext } from '../context.js';

export interface QueueOptions {
  server?: string;
  dataDir?: string;
  format?: string;
  resubmit?: boolean;
  ndr?: boolean;
}

export async function queueCommand(verb: 'list' | 'show' | 'retry' | 'suspend' | 'resume' | 'remove', identity: string | undefined, opts: QueueOptions, ctx: CliContext): Promise<void> {
  const app = await import('../../app/queue.js');
  const render = await import('../render/queue.js');
  const target = { server: opts.server, dataDir: opts.dataDir, cwd: ctx.cwd };
  const format = defaultFormat(ctx, opts.format);
  const id = identity ?? '';
  switch (verb) {
    case 'list':
      return ctx.out(render.renderQueueList(format, app.listQueues(target)));
    case 'show':
      return ctx.out(render.renderQueueShow(format, app.showQueueOrMessage(target, id)));
    case 'retry': {
      const r = app.retryQueue(target, id, Boolean(opts.resubmit));
      return ctx.out(format === 'json' ? JSON.stringify(r) : `${r.identity}: ${r.messages} recipient(s) ${opts.resubmit ? 'resubmitted to the categorizer' : 'retried now'}`);
    }
    case 'suspend':
    case 'resume': {
      const r = app.setSuspended(target, id, verb === 'suspend');
      return ctx.out(format === 'json' ? JSON.stringify({ ...r, status: verb === 'suspend' ? 'Suspended' : 'Resumed' }) : `${r.identity}: ${verb === 'suspend' ? 'suspended' : 'resumed'}`);
    }
    case 'remove': {
      const r = app.removeMessage(target, id, opts.ndr !== false);
      return ctx.out(format === 'json' ? JSON.stringify(r) : `${r.identity}: removed for ${r.recipients} recipient(s)${opts.ndr === false ? ', without NDR' : ', NDR queued to the sender'}`);
    }
  }
}
