/**
 * Read a file as it is in a git revision (`git show REF:./path`), for `mxt route diff --base REF`.
 * Security: runs the `git` binary (no shell) in the file's own directory; nothing is written.
 * Diagnostics: an unknown ref, a path absent from that revision or a directory outside a work tree
 * are the user's (UserError, exit 2); a missing git binary is the environment's (same exit code).
 */
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';

export async function gitShow(ref: string, file: string): Promise<string> {
  const dir = path.dirname(file);
  if (ref.startsWith('-')) throw new UserError(`--base ${ref}: not a git revision`, 'give a branch, tag or commit, e.g. --base origin/main');
  const result = await execa('git', ['show', `${ref}:./${path.basename(file)}`], { cwd: dir, reject: false, stripFinalNewline: false });
  if (result.exitCode === 0) return result.stdout;
  const why = (result.stderr || (result as { shortMessage?: string }).shortMessage || '').trim().split('\n')[0];
  if ((result as { code?: string }).code === 'ENOENT') throw new UserError('git is not installed or not on PATH', 'install git, or give --base the path of a config file');
  throw new UserError(`--base ${ref}: git cannot show ${path.basename(file)} at that revision: ${why}`, 'give a revision of the repository holding the config (e.g. HEAD~1, origin/main) or a file path');
}
