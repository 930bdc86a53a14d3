/**
 * An advisory lock beside a file (`<file>.lock`), taken with O_CREAT|O_EXCL so that two processes
 * never both hold it. The lock file names its holder (pid, host, time); a lock whose process is gone,
 * or older than STALE_AFTER_MS, is stale and broken. Waiting is bounded: after `timeoutMs` the
 * caller gets an error, never a hang.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';

/** A holder that keeps the lock longer than this has died or hung: edits take milliseconds. */
export const STALE_AFTER_MS = 30_000;

export class LockTimeoutError extends Error {
  constructor(readonly lockFile: string) {
    super(`${lockFile} is held by another mxt process`);
    this.name = 'LockTimeoutError';
  }
}

export async function withFileLock<T>(file: string, action: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const lockFile = `${file}.lock`;
  await acquire(lockFile, options.timeoutMs ?? 15_000);
  try {
    return await action();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

async function acquire(lockFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o644);
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stale = await staleContent(lockFile);
    if (stale !== undefined) {
      await breakLock(lockFile, stale);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockFile);
    // Short, jittered waits: edits hold the lock for a few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** Math.min(attempt, 4)) + Math.random() * 20));
  }
}

/** The lock's content when it is stale, else undefined. */
async function staleContent(lockFile: string): Promise<string | undefined> {
  try {
    const [info, text] = await Promise.all([stat(lockFile), readFile(lockFile, 'utf8')]);
    if (Date.now() - info.mtimeMs > STALE_AFTER_MS) return text;
    const holder = JSON.parse(text) as { pid?: number; host?: string };
    if (holder.host === hostname() && typeof holder.pid === 'number' && !isAlive(holder.pid)) return text;
    return undefined;
  } catch {
    // Vanished (free now) or half-written by a holder that is still writing: look again.
    return undefined;
  }
}

/**
 * Move the stale lock aside (rename is atomic), then check that what was moved is the stale lock:
 * when two waiters break the same stale lock, the slower one may have moved the faster one's fresh
 * lock instead, and puts it back (link fails if a third process took the lock meanwhile).
 */
async function breakLock(lockFile: string, staleText: string): Promise<void> {
  const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockFile, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, lockFile).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
