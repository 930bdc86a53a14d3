/** `mxt queue list|show|retry|suspend|resume|remove`: flags in, app/queue.ts, rendered out. */
import { defaultFormat, type CliContext } from '../context.js';
import { known } from './relay.js';

export interface QueueOptions {
  server?: string;
  dataDir?: string;
  format?: string;
  resubmit?: boolean;
  ndr?: boolean;
}

export async function queueCommand(verb: 'list' | 'show' | 'retry' | 'suspend' | 'resume' | 'remove', identity: string | undefined, opts: QueueOptions, ctx: CliContext): Promise<void> {
  // app/queue.js loads outside the bundle (like the relay's use cases): known() maps its errors.
  const queueApp = await import('../../app/queue.js');
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): Promise<R> =>
      known(Promise.resolve().then(() => fn(...a)));
  const app = {
    listQueues: wrap(queueApp.listQueues),
    showQueueOrMessage: wrap(queueApp.showQueueOrMessage),
    retryQueue: wrap(queueApp.retryQueue),
    setSuspended: wrap(queueApp.setSuspended),
    removeMessage: wrap(queueApp.removeMessage),
  };
  const render = await import('../render/queue.js');
  const target = { server: opts.server, dataDir: opts.dataDir, cwd: ctx.cwd };
  const format = defaultFormat(ctx, opts.format);
  const id = identity ?? '';
  switch (verb) {
    case 'list':
      return ctx.out(render.renderQueueList(format, await app.listQueues(target)));
    case 'show':
      return ctx.out(render.renderQueueShow(format, await app.showQueueOrMessage(target, id)));
    case 'retry': {
      const r = await app.retryQueue(target, id, Boolean(opts.resubmit));
      return ctx.out(format === 'json' ? JSON.stringify(r) : `${r.identity}: ${r.messages} recipient(s) ${opts.resubmit ? 'resubmitted to the categorizer' : 'retried now'}`);
    }
    case 'suspend':
    case 'resume': {
      const r = await app.setSuspended(target, id, verb === 'suspend');
      return ctx.out(format === 'json' ? JSON.stringify({ ...r, status: verb === 'suspend' ? 'Suspended' : 'Resumed' }) : `${r.identity}: ${verb === 'suspend' ? 'suspended' : 'resumed'}`);
    }
    case 'remove': {
      const r = await app.removeMessage(target, id, opts.ndr !== false);
      return ctx.out(format === 'json' ? JSON.stringify(r) : `${r.identity}: removed for ${r.recipients} recipient(s)${opts.ndr === false ? ', without NDR' : ', NDR queued to the sender'}`);
    }
  }
}
