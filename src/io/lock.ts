/**
 * An advisory lock beside a file (`<file>.lock`) so that two mxt processes never edit it at once.
 *
 * The lock file is born complete: its record (pid, host, the process's start time, since) is written
 * to a temp file that is then hard-linked to the lock name, which fails if the lock exists. So a lock
 * file is never empty or half-written while its holder lives, and one that is (left by a killed
 * older mxt, or garbage) is broken at once. A lock whose holder is gone is broken at once too: on
 * this host the pid is checked (and its start time, so a reused pid does not count as the holder);
 * a lock of another host (a shared folder) is broken only when older than STALE_AFTER_MS.
 * A live holder blocks; waiting is bounded, then the caller gets a LockHeldError naming the holder.
 *
 * Security: writes only `<file>.lock` and a temp file beside it, both created exclusively.
 * A lock that cannot be created (no such folder, no write permission) is a WriteError.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { writeError } from './write-error.js';

/** A lock of another host older than this is stale: edits take milliseconds. */
export const STALE_AFTER_MS = 30_000;

/** What the lock file records about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The holder's start time as the kernel counts it (Linux /proc), to tell a reused pid apart. */
  started?: string;
  since: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(`${lockFile} is held by ${holder ? `mxt process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another mxt process'}`);
    this.name = 'LockHeldError';
  }
}

/**
 * Run `action` holding the lock of `file` (pass its real path: io/atomic-write resolveTarget, so that
 * a link and its target share one lock). `display` names the file in errors.
 */
export async function withFileLock<T>(file: string, action: () => Promise<T>, options: { timeoutMs?: number; display?: string } = {}): Promise<T> {
  const lockFile = `${file}.lock`;
  try {
    await acquire(lockFile, options.timeoutMs ?? 15_000);
  } catch (error) {
    throw error instanceof LockHeldError ? error : writeError(error, options.display ?? file, 'folder');
  }
  try {
    return await action();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

async function acquire(lockFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const record = JSON.stringify(ownRecord());
  for (let attempt = 0; ; attempt++) {
    if (await create(lockFile, record)) return;
    const state = await inspect(lockFile);
    if (state.stale) {
      await breakLock(lockFile, state.text);
      continue;
    }
    if (Date.now() > deadline) throw new LockHeldError(lockFile, state.holder);
    // Short, jittered waits: edits hold the lock for a few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** Math.min(attempt, 4)) + Math.random() * 20));
  }
}

function ownRecord(): LockHolder {
  const started = startTimeOf(process.pid);
  return { pid: process.pid, host: hostname(), ...(started ? { started } : {}), since: new Date().toISOString() };
}

/** True when the lock was taken; false when it exists. */
async function create(lockFile: string, record: string): Promise<boolean> {
  const temp = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, record, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await link(temp, lockFile);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive create, then write (a short window where it is empty).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createDirectly(lockFile, record);
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function createDirectly(lockFile: string, record: string): Promise<boolean> {
  try {
    const handle = await open(lockFile, 'wx', 0o644);
    try {
      await handle.writeFile(record);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface LockState {
  stale: boolean;
  text: string;
  holder?: LockHolder;
}

async function inspect(lockFile: string): Promise<LockState> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile).then((s) => s.mtimeMs)]);
  } catch {
    // Vanished: free now, look again.
    return { stale: false, text: '' };
  }
  const holder = parseHolder(text);
  // Empty or unreadable: never a live holder's lock (those are born complete), so nobody holds it.
  if (!holder) return { stale: true, text };
  if (holder.host !== hostname()) return { stale: Date.now() - mtimeMs > STALE_AFTER_MS, text, holder };
  return { stale: !holderAlive(holder, mtimeMs), text, holder };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (!value || !Number.isSafeInteger(value.pid) || value.pid! <= 0 || typeof value.host !== 'string') return undefined;
    return { pid: value.pid!, host: value.host, since: String(value.since ?? '?'), ...(typeof value.started === 'string' ? { started: value.started } : {}) };
  } catch {
    return undefined;
  }
}

/** On this host: is the process that wrote the lock still running? */
function holderAlive(holder: LockHolder, mtimeMs: number): boolean {
  if (!isAlive(holder.pid)) return false;
  const started = startTimeOf(holder.pid);
  // Same pid, other start time: the holder died and its pid went to another process.
  if (holder.started !== undefined && started !== undefined) return started === holder.started;
  // Nothing to tell a reused pid by (no /proc): only a recent lock counts as held.
  return Date.now() - mtimeMs <= STALE_AFTER_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks after boot); undefined off Linux. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
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
