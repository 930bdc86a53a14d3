/** Run the built CLI (bin/mxt.js) as a subprocess, with NO_COLOR and a minimal environment. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/mxt.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function mxt(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string; timeout?: number } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true', ...options.env },
    extendEnv: false,
    reject: false,
    input: options.input ?? '',
    timeout: options.timeout ?? 30_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** True when the output holds a Node stack trace (never allowed). */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)|\n\s+at (file|node):/.test(text);
}
