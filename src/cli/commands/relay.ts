/** `mxt relay start|cert|user`: flags → app → printed lines. `start` runs until SIGTERM/SIGINT. */
import { relayCert } from '../../app/relay-cert.js';
import { startRelay } from '../../app/relay-start.js';
import { relayUserAdd, relayUserRemove } from '../../app/relay-user.js';
import { ConfigError, UserError } from '../../errors.js';
import type { CliContext } from '../context.js';

export interface RelayStartFlags {
  config?: string;
  server: string;
  address?: string;
  portOffset?: string;
  dataDir?: string;
  hosts?: string;
  bareLineEndings?: 'reject' | 'normalize';
}

/**
 * The relay's use cases load outside the bundle (src/dev/bundle.ts), so their UserError and
 * ConfigError are other classes than the bundle's: give main.ts the ones it knows.
 */
export async function known<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const e = error as { name?: string; message: string; hint?: string; exitCode?: number; findings?: ConfigError['findings']; sources?: ConfigError['sources'] };
    if (e?.name === 'UserError' && !(error instanceof UserError)) throw new UserError(e.message, e.hint, e.exitCode);
    if (e?.name === 'ConfigError' && !(error instanceof ConfigError)) throw new ConfigError(e.findings ?? [], e.exitCode, e.sources);
    throw error;
  }
}

function reloadError(error: unknown): string {
  if (error instanceof ConfigError) {
    const f = error.findings[0];
    const where = f?.location ? `${f.location.file}:${f.location.line}:${f.location.column}: ` : '';
    return `${where}${error.message}${error.findings.length > 1 ? ` (and ${error.findings.length - 1} more: mxt validate)` : ''}`;
  }
  return error instanceof UserError ? error.message : String((error as Error)?.message ?? error);
}

export async function relayStartCommand(opts: RelayStartFlags, ctx: CliContext): Promise<void> {
  const relay = await known(startRelay({ ...opts, cwd: ctx.cwd, frontDoorThread: true }));
  for (const l of relay.listeners) {
    const host = l.address.includes(':') ? `[${l.address}]` : l.address;
    ctx.out(`listening ${host}:${l.port} ${l.connectors.join(', ')}`);
  }
  if (!relay.tls) ctx.out(`note: no certificate in ${relay.dataDir} for ${relay.server}: STARTTLS is not offered, and hops to the topology's servers cannot authenticate, so their mail waits in its queue (run mxt relay cert)`);
  ctx.out(`ready ${relay.server} (${relay.fqdn}): ${relay.listeners.length} listeners, data in ${relay.serverDir}`);
  // SIGHUP: read the config again; a bad one is reported and the relay runs on as it was.
  const reload = () => {
    known(relay.reload()).then(
      (r) => {
        ctx.out(`reloaded ${relay.server}: ${r.rerouted} queued recipient${r.rerouted === 1 ? '' : 's'} routed again`);
        if (r.listenersChanged) ctx.err(`note: the new config binds other listeners; restart ${relay.server} to apply them`);
      },
      (error: unknown) => ctx.err(`reload of ${relay.server} refused, still running the previous config: ${reloadError(error)}`),
    );
  };
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.off('SIGHUP', reload);
  await relay.close();
  ctx.out(`stopped ${relay.server}`);
}

export async function relayCertCommand(opts: { config?: string; server: string[]; partner: string[]; dataDir?: string }, ctx: CliContext): Promise<void> {
  const result = await known(relayCert({ ...opts, servers: opts.server, partners: opts.partner, cwd: ctx.cwd }));
  ctx.out(`${result.ca.created ? 'created' : 'kept'} CA ${result.ca.cert}`);
  for (const i of result.issued) ctx.out(`issued ${i.kind} ${i.subject}: ${i.cert} (${i.names.join(', ')})`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function relayUserAddCommand(name: string, opts: { address: string[]; passwordEnv?: string; dataDir?: string }, ctx: CliContext): Promise<void> {
  let password: string;
  if (opts.passwordEnv) {
    const value = ctx.env[opts.passwordEnv];
    if (value === undefined) throw new UserError(`environment variable ${opts.passwordEnv} is not set`);
    password = value;
  } else {
    if (ctx.stdinIsTTY) throw new UserError('give the password on stdin or with --password-env VAR', 'printf "%s" "$PW" | mxt relay user add NAME');
    password = await readStdin();
  }
  const result = await known(relayUserAdd({ name, password, addresses: opts.address, dataDir: opts.dataDir, cwd: ctx.cwd }));
  ctx.out(`${result.outcome} user ${name} in ${result.file}`);
}

export async function relayUserRemoveCommand(name: string, opts: { dataDir?: string }, ctx: CliContext): Promise<void> {
  const result = await known(relayUserRemove({ name, dataDir: opts.dataDir, cwd: ctx.cwd }));
  ctx.out(`removed user ${name} from ${result.file}`);
}
