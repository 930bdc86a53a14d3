/**
 * Run documented command lines (--help examples, README blocks) the way an admin types them: through
 * bash (pipes, redirects, `||`), with the built bin on PATH as `mxt`, and the documented conventions
 * (see `examples()` in src/cli/options.ts and the README's opening comment):
 * - a note `exits N` is the expected exit code;
 * - `runs until stopped` marks a server: it must still be running once it has printed its `ready`
 *   line (or, for a command without one, anything), and is then stopped with its whole process
 *   group: at once (`runDocumented`), or when its README block ends (`startDocumented`);
 * - `with a relay running` makes the runner start `mxt relay start --server <the example's --server>`
 *   (with the example's --config and --port-offset, if any) in the same folder, default data folder, wait for its
 *   `ready` line, run the example, then stop the relay with SIGTERM and wait for it;
 * - `with a relay holding message 1` does the same, and before the example sends that relay one real
 *   message with swaks (its first: message 1) that waits in a delivery queue: its recipient is one of
 *   a server the relay is told is down (`--hosts`: that server listens where nothing does), as the
 *   README's queue walkthrough does by hand; the example runs once the message has left Submission;
 * - the example variables of EXAMPLE_ENV (e.g. `APP_PW` for `--password-env APP_PW`) are set.
 * Every wait is bounded in time.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN } from './cli.js';

export interface DocumentedCommand {
  command: string;
  /** The note after `#` (the help's line above the command, or the README's end of line). */
  note: string;
}

/** Variables the documentation names as the admin's own (a password in the environment). */
export const EXAMPLE_ENV: Readonly<Record<string, string>> = { APP_PW: 'example-app-password' };

export const expectedExit = (note: string): number => Number(/\bexits (\d{1,3})\b/.exec(note)?.[1] ?? 0);
export const isLongRunning = (note: string): boolean => /runs until stopped/.test(note);
export const needsRelay = (note: string): boolean => /with a relay (running|holding message 1)\b/.test(note);
const holdsMessage = (note: string): boolean => /with a relay holding message 1\b/.test(note);

/**
 * Where the runner's own relay (`with a relay running`) listens: a loopback address and port offset
 * no other test uses (test/helpers/loopback.ts). The documentation's own lab addresses (127.0.9.1 in
 * the README, 127.0.9.2 in the help) are moved to the slot's address too, so that a relay someone
 * started by hand from the documentation, or another test run, does not hold their ports; the port
 * offsets stay as written, and differ from the slot's.
 */
export interface RelaySlot {
  address: string;
  portOffset: number;
  /** For `with a relay holding message 1`: the message's recipient, and the down server whose queue it waits in. */
  message?: { to: string; waitsFor: string };
}

/** Where the down server of a relay holding a message "listens": the slot's address, at an offset no relay uses. */
const DOWN_PORT_OFFSET = 40000;

const DOCUMENTED_ADDRESS = /\b127\.0\.9\.[12]\b/g;

/** The command as run in `slot`: the documentation's lab addresses replaced by the slot's. */
export function inSlot(entry: DocumentedCommand, slot: RelaySlot | undefined): DocumentedCommand {
  return slot ? { ...entry, command: entry.command.replace(DOCUMENTED_ADDRESS, slot.address) } : entry;
}

/** Writes `dir/mxt`, a shell script running the built bin; returns `dir` for PATH. */
export async function mxtOnPath(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'mxt'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  await chmod(path.join(dir, 'mxt'), 0o755);
  return dir;
}

export interface Outcome {
  exitCode: number;
  output: string;
  /** A `runs until stopped` command that ended by itself (its exitCode is then its own). */
  endedEarly: boolean;
}

const environment = (cwd: string, binDir: string) => ({ ...EXAMPLE_ENV, PATH: `${binDir}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true', HOME: cwd, npm_config_update_notifier: 'false', npm_config_fund: 'false' });

/** A server started in the background, up (ready) or already ended; `stop()` ends it and tells how it went. */
export interface Running {
  output: () => string;
  stop: () => Promise<Outcome>;
}

/** Starts a `runs until stopped` command and waits (at most 60 s) for its `ready` line, any output if it never prints one in that form, or its end. */
export async function startDocumented(written: DocumentedCommand, cwd: string, binDir: string, slot?: RelaySlot): Promise<Running> {
  const entry = inSlot(written, slot);
  const child: ResultPromise = execa('bash', ['-o', 'pipefail', '-c', entry.command], { cwd, env: environment(cwd, binDir), extendEnv: false, reject: false, all: true, timeout: 180_000, detached: true });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const isMxt = /^mxt relay start\b/.test(entry.command);
  const up = () => (isMxt ? /^ready /m.test(output) : output !== '');
  for (let i = 0; i < 600 && !up() && child.exitCode === null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    output: () => output,
    stop: async () => {
      const stillRunning = child.exitCode === null;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await child;
      return { exitCode: stillRunning ? 0 : (child.exitCode ?? -1), output, endedEarly: !stillRunning };
    },
  };
}

async function runOnce(entry: DocumentedCommand, cwd: string, binDir: string): Promise<Outcome> {
  if (isLongRunning(entry.note)) return (await startDocumented(entry, cwd, binDir)).stop();
  const result = await execa('bash', ['-o', 'pipefail', '-c', entry.command], { cwd, env: environment(cwd, binDir), extendEnv: false, reject: false, all: true, timeout: 120_000, input: '' });
  return { exitCode: result.exitCode ?? -1, output: result.all ?? '', endedEarly: false };
}

/**
 * The relay an example `with a relay running` needs: the server (and config) it names itself; `hosts`,
 * a --hosts file. An example that says where the relay listens (`mxt send … --port-offset N`) gets
 * its relay there, on the slot's address (which its own --address was moved to).
 */
function relayFor(entry: DocumentedCommand, slot: RelaySlot, hosts?: string): DocumentedCommand {
  const config = /--config\s+(\S+)/.exec(entry.command)?.[1];
  const portOffset = /--port-offset\s+(\d+)/.exec(entry.command)?.[1] ?? slot.portOffset;
  const options = `${config ? ` --config ${config}` : ''} --address ${slot.address} --port-offset ${portOffset}${hosts ? ` --hosts ${hosts}` : ''}`;
  return { command: `mxt relay start --server ${serverOf(entry)}${options}`, note: 'runs until stopped' };
}

function serverOf(entry: DocumentedCommand): string {
  const server = /--server\s+(\S+)/.exec(entry.command)?.[1];
  if (!server) throw new Error(`"${entry.note}" but no --server in: ${entry.command}`);
  return server;
}

/**
 * Message 1 of a relay holding one: sent with swaks to the relay's Default Frontend (from its
 * `listening` lines), then waited for (at most 20 s) until `mxt queue show` finds it out of
 * Submission. Undefined when it is there; else what went wrong.
 */
async function sendMessageOne(relayOutput: string, server: string, slot: RelaySlot, cwd: string, binDir: string): Promise<string | undefined> {
  const listener = /^listening (\S+):(\d+) [^\n]*Default Frontend/m.exec(relayOutput);
  if (!listener) return `no Default Frontend listener in the relay's output:\n${relayOutput}`;
  const sent = await execa('swaks', ['--server', `${listener[1]}:${listener[2]}`, '--from', 'someone@example.net', '--to', slot.message!.to, '--timeout', '20'], { reject: false, all: true, timeout: 60_000 });
  if (sent.exitCode !== 0) return `swaks could not send message 1:\n${sent.all}`;
  let last = '';
  for (let i = 0; i < 200; i++) {
    const shown = await execa('bash', ['-c', `mxt queue show '${server}\\*\\1' --server ${server} --format json`], { cwd, env: environment(cwd, binDir), extendEnv: false, reject: false, all: true });
    last = shown.all ?? '';
    if (shown.exitCode === 0 && (JSON.parse(shown.stdout) as { Queue: string }).Queue !== `${server}\\Submission`) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `message 1 did not leave Submission:\n${last}`;
}

/**
 * Runs one documented command; `with a relay running` needs `slot`. A relay that did not come up
 * (or did not stop cleanly) is reported as the outcome, with its output.
 */
export async function runDocumented(written: DocumentedCommand, cwd: string, binDir: string, slot?: RelaySlot): Promise<Outcome> {
  const entry = inSlot(written, slot);
  if (!needsRelay(entry.note)) return runOnce(entry, cwd, binDir);
  if (!slot) throw new Error(`"${entry.note}" needs a relay slot: ${entry.command}`);
  const held = holdsMessage(entry.note);
  if (held && !slot.message) throw new Error(`"with a relay holding message 1" needs the slot's message: ${entry.command}`);
  let hosts: string | undefined;
  if (held) {
    hosts = 'down-servers.yaml';
    await writeFile(path.join(cwd, hosts), `servers:\n  ${slot.message!.waitsFor}: { address: ${slot.address}, portOffset: ${DOWN_PORT_OFFSET} }\n`);
  }
  const relay = await startDocumented(relayFor(entry, slot, hosts), cwd, binDir);
  const ready = /^ready /m.test(relay.output());
  const unsent = ready && held ? await sendMessageOne(relay.output(), serverOf(entry), slot, cwd, binDir) : undefined;
  const outcome = ready && !unsent ? await runOnce(entry, cwd, binDir) : undefined;
  const stopped = await relay.stop();
  if (unsent) return { exitCode: -1, output: `${unsent}\n${stopped.output}`, endedEarly: false };
  if (!outcome) return { exitCode: -1, output: `the relay did not start:\n${stopped.output}`, endedEarly: false };
  if (stopped.endedEarly || !/^stopped /m.test(stopped.output)) return { exitCode: -1, output: `the relay did not run until stopped:\n${stopped.output}\n${outcome.output}`, endedEarly: false };
  return outcome;
}

/**
 * A lab that a documented `mxt relay up` left running in `cwd` (its block or example failed before
 * its `mxt relay down`) is taken down, so that no node outlives the test.
 */
export async function downLeftLab(cwd: string, binDir: string): Promise<void> {
  if (!existsSync(path.join(cwd, '.mxt', 'relay-up.json'))) return;
  await execa('bash', ['-c', 'mxt relay down'], { cwd, env: environment(cwd, binDir), extendEnv: false, reject: false, timeout: 60_000 });
}
