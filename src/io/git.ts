/**
 * Read a file as it is in a git revision (`git show REF:./path`), for `mxt route diff --base REF`.
 * Security: runs the `git` binary (no shell) in the file's own directory; nothing is written.
 * Diagnostics: an unknown ref, a path absent from that revision or a directory outside a work tree
 * are the user's (UserError, exit 2); a missing git binary is the environment's (same exit code).
 */
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';

/**
 * The file's text at `ref`, read no further than `maxBytes`: git's output is buffered up to that
 * limit (the one the caller enforces on a config's size) and the read stops there, rather than
 * holding a huge blob in memory only to refuse it afterwards.
 */
export async function gitShow(ref: string, file: string, maxBytes: number): Promise<string> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  if (ref.startsWith('-')) throw new UserError(`--base ${ref}: not a git revision`, 'give a branch, tag or commit, e.g. --base origin/main');
  const result = await execa('git', ['show', `${ref}:./${name}`], { cwd: dir, reject: false, stripFinalNewline: false, encoding: 'buffer', maxBuffer: { stdout: maxBytes } });
  if (result.isMaxBuffer) {
    throw new UserError(`--base ${ref}: ${name} at that revision is more than ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(0)} MB), the most mxt reads`, 'is this really an mxt config at that revision? Give --base another revision or a file path');
  }
  if (result.exitCode === 0) return Buffer.from(result.stdout).toString('utf8');
  const why = (Buffer.from(result.stderr).toString('utf8') || (result as { shortMessage?: string }).shortMessage || '').trim().split('\n')[0];
  if ((result as { code?: string }).code === 'ENOENT') throw new UserError('git is not installed or not on PATH', 'install git, or give --base the path of a config file');
  throw new UserError(`--base ${ref}: git cannot show ${name} at that revision: ${why}`, 'give a revision of the repository holding the config (e.g. HEAD~1, origin/main) or a file path');
}
