/** `mxt send`: flags in, app/relay-send.ts, rendered out; exit 1 when the relay refused the message or a recipient. */
import { ExitError, UserError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { known } from './relay.js';

export interface SendFlags {
  config?: string;
  server: string;
  connector?: string;
  from: string;
  to: string[];
  subject?: string;
  body?: string;
  bodyFile?: string;
  header: string[];
  size?: string;
  auth?: string;
  passwordEnv?: string;
  tls?: 'auto' | 'require' | 'none';
  ehlo?: string;
  messageId?: string;
  dataDir?: string;
  address?: string;
  portOffset?: string;
  format?: string;
}

function credentials(opts: SendFlags, ctx: CliContext): { user: string; password: string } | undefined {
  if (opts.auth === undefined) {
    if (opts.passwordEnv !== undefined) throw new UserError('--password-env goes with --auth USER', 'e.g. --auth app --password-env APP_PW');
    return undefined;
  }
  if (opts.passwordEnv === undefined) throw new UserError('--auth needs --password-env VAR (the variable that holds the password)', 'e.g. --auth app --password-env APP_PW');
  const password = ctx.env[opts.passwordEnv];
  if (password === undefined) throw new UserError(`environment variable ${opts.passwordEnv} is not set`);
  return { user: opts.auth, password };
}

export async function sendCommand(opts: SendFlags, ctx: CliContext): Promise<void> {
  const auth = credentials(opts, ctx);
  const { sendTestMessage } = await import('../../app/relay-send.js');
  const { renderSend } = await import('../render/send.js');
  const { header, auth: _user, passwordEnv: _env, format: _format, ...rest } = opts;
  const result = await known(sendTestMessage({ ...rest, headers: header, ...(auth ? { auth } : {}), cwd: ctx.cwd }));
  ctx.out(renderSend(defaultFormat(ctx, opts.format), result));
  if (result.rejected.length > 0 || result.reply === null || result.reply.code !== 250) throw new ExitError(1);
}
