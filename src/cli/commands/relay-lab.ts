/** `mxt relay up|status|down`: flags → app → printed lines and the exit code. */
import { relayDown } from '../../app/relay-down.js';
import type { LabListener } from '../../app/relay-lab.js';
import { relayStatus } from '../../app/relay-status.js';
import { relayUp, type RelayUpResult } from '../../app/relay-up.js';
import { ExitError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { known } from './relay.js';
import { columns } from '../render/route-format.js';
import path from 'node:path';

export interface RelayUpFlags {
  config?: string;
  dataDir?: string;
  address?: string;
  portOffset?: string;
  hosts?: string;
  server: string[];
}

/** Rows of cells as aligned columns (two spaces between them). */
const aligned = (rows: readonly string[][]): string[] => columns(rows[0]!, rows.slice(1), undefined, '');

/** A --config other than the one the lab runs is noted: status and down act on the recorded lab. */
function noteConfig(ctx: CliContext, given: string | undefined, recorded: string, dataDir: string): void {
  if (given !== undefined && path.resolve(ctx.cwd, given) !== recorded) ctx.err(`note: the lab in ${dataDir} runs ${recorded}, not ${given}`);
}

const ports = (listeners: readonly LabListener[]) => listeners.map((l) => l.port).join(' ');

function certificateLine(result: RelayUpResult): string | undefined {
  const c = result.certificates;
  if (!c) return undefined;
  const servers = c.issued.map((i) => i.subject).join(', ');
  return `certificates: ${c.ca.created ? `created the CA ${c.ca.cert}; ` : ''}issued ${servers} (hops between the lab's servers authenticate with them)`;
}

export async function relayUpCommand(opts: RelayUpFlags, ctx: CliContext): Promise<void> {
  const result = await known(relayUp({ ...opts, servers: opts.server, cwd: ctx.cwd }));
  if (result.stale.length) ctx.err(`note: the lab recorded in ${result.dataDir} (${result.stale.join(', ')}) was no longer running: its state is replaced`);
  const certificates = certificateLine(result);
  if (certificates) ctx.out(certificates);
  const failed = result.nodes.filter((n) => !n.ready);
  const rows = result.nodes.map((n) => [
    n.server,
    n.role,
    n.address,
    `pid ${n.pid}`,
    n.ready ? (failed.length ? 'was ready, stopped again' : `listening ${ports(n.listeners)}`) : `failed: ${n.failure ?? ''}`,
  ]);
  for (const line of aligned(rows)) ctx.out(line);
  if (failed.length === 0) {
    ctx.out(`lab up: ${result.nodes.length} server${result.nodes.length === 1 ? '' : 's'}, data in ${result.dataDir} (mxt relay status, mxt relay down)`);
    return;
  }
  for (const n of failed) {
    ctx.err(`--- ${n.server}: ${n.log} ---`);
    ctx.err((n.logText ?? '').trimEnd() || '(empty)');
  }
  ctx.err(`mxt: ${failed.map((n) => n.server).join(', ')} did not start, so the lab was stopped again: nothing runs`);
  ctx.err('hint: fix what the log says (a port in use: choose another --port-offset or --address), then mxt relay up again');
  throw new ExitError(1);
}

export async function relayStatusCommand(opts: { dataDir?: string; format?: string; config?: string }, ctx: CliContext): Promise<void> {
  const status = await known(relayStatus({ ...opts, cwd: ctx.cwd }));
  noteConfig(ctx, opts.config, status.config, status.dataDir);
  const down = status.nodes.filter((n) => !n.running);
  if (defaultFormat(ctx, opts.format) === 'json') ctx.out(JSON.stringify(status, null, 2));
  else {
    const header = ['SERVER', 'ROLE', 'SITE', 'PID', 'STATE', 'ADDRESS', 'OFFSET', 'QUEUED', 'LISTENING'];
    const rows = status.nodes.map((n) => [n.server, n.role, n.site ?? '-', String(n.pid), n.running ? 'running' : 'NOT RUNNING', n.address, String(n.portOffset), n.queued === undefined ? '-' : String(n.queued), ports(n.listeners)]);
    for (const line of aligned([header, ...rows])) ctx.out(line);
    ctx.out(`${status.nodes.length - down.length} of ${status.nodes.length} running, data in ${status.dataDir}, started ${status.startedAt}`);
  }
  if (down.length > 0) {
    ctx.err(`mxt: not running: ${down.map((n) => n.server).join(', ')} (see ${down.map((n) => n.log).join(', ')} in ${status.dataDir})`);
    ctx.err('hint: mxt relay down, then mxt relay up, starts the lab again');
    throw new ExitError(1);
  }
}

export async function relayDownCommand(opts: { dataDir?: string; config?: string }, ctx: CliContext): Promise<void> {
  const result = await known(relayDown({ ...opts, cwd: ctx.cwd }));
  if (!result.running) {
    ctx.out(`nothing running: no lab in ${result.dataDir}`);
    return;
  }
  for (const n of result.nodes) {
    if (n.outcome === 'stopped') ctx.out(`stopped ${n.server} (pid ${n.pid})`);
    else if (n.outcome === 'killed') ctx.out(`killed ${n.server} (pid ${n.pid}): still running ${result.graceMs / 1000} s after SIGTERM`);
    else ctx.out(`${n.server} (pid ${n.pid}) was not running`);
  }
  ctx.out(`lab down: ${result.dataDir}`);
}
