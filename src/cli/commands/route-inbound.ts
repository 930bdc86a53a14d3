import { routeInbound } from '../../app/route-inbound.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderInbound } from '../render/inbound.js';

export interface RouteInboundFlags {
  config?: string;
  format?: string;
  server: string;
  remoteIp: string;
  localIp?: string;
  port?: string;
  auth?: string;
  sender?: string;
  size?: string;
  to: string[];
}

/** `mxt route inbound`: flags → app → render. A refused recipient is an answer, not a failure: exit 0. */
export async function routeInboundCommand(opts: RouteInboundFlags, ctx: CliContext): Promise<void> {
  const result = await routeInbound({ ...opts, cwd: ctx.cwd });
  ctx.out(renderInbound(defaultFormat(ctx, opts.format), result, ctx.colorLevel));
}
