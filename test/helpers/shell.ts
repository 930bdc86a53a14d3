/**
 * Run documented command lines (--help examples, README blocks) the way an admin types them: through
 * bash (pipes, redirects, `||`), with the built bin on PATH as `mxt`, and the documented conventions:
 * a note `exits N` is the expected exit code, `runs until stopped` marks a server, which must still
 * be running once it has printed something and is then stopped with its whole process group.
 */
import { execa } from 'execa';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN } from './cli.js';

export interface DocumentedCommand {
  command: string;
  /** The note after `#` (the help's line above the command, or the README's end of line). */
  note: string;
}

export const expectedExit = (note: string): number => Number(/\bexits (\d)\b/.exec(note)?.[1] ?? 0);
export const isLongRunning = (note: string): boolean => /runs until stopped/.test(note);

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

export async function runDocumented(entry: DocumentedCommand, cwd: string, binDir: string): Promise<Outcome> {
  const env = { PATH: `${binDir}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true', HOME: cwd, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
  const longRunning = isLongRunning(entry.note);
  const child = execa('bash', ['-o', 'pipefail', '-c', entry.command], { cwd, env, extendEnv: false, reject: false, all: true, timeout: 120_000, detached: longRunning, input: longRunning ? undefined : '' });
  if (!longRunning) {
    const result = await child;
    return { exitCode: result.exitCode ?? -1, output: result.all ?? '', endedEarly: false };
  }
  let output = '';
  child.all?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  for (let i = 0; i < 300 && output === '' && child.exitCode === null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
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
}
