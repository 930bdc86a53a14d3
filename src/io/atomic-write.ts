/**
 * Replace a file atomically: write a temp file in the target's folder (same file system, so rename
 * is atomic), fsync it, give it the old file's mode, owner and group, rename it over the target,
 * fsync the folder. A reader sees the old content or the new, never half of it; a crash leaves at
 * most a stray temp.
 *
 * A symbolic link is written through: the file it points to (its real path) is replaced, the link
 * stays. The caller must be allowed to write the file itself, not only its folder: rename would
 * happily replace a read-only or someone else's file in a folder of ours, so write access is checked
 * first. When the owner or group cannot be given to the temp file (not root, file of another user
 * the caller may write through its group), the file is rewritten in place instead: the edit lock
 * keeps other mxt processes out, and its owner, group and mode stay as they are.
 *
 * Security: writes only beside the real target; the temp name is unguessable and created with O_EXCL.
 * Errors the user can act on come back as WriteError (io/write-error.ts).
 */
import { constants, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from './lock.js';
import { writeError } from './write-error.js';

export interface WriteOptions {
  /** Refuse (EEXIST) when the file exists. */
  exclusive?: boolean;
  /** The file as the user wrote it, for messages. */
  display?: string;
  /** Mode of a file that does not exist yet (an existing file keeps its own); default 0644. */
  mode?: number;
}

/** The file a write to `file` lands in: the end of its symbolic links, or the path itself when it does not exist yet. */
export async function resolveTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const dir = await realpath(path.dirname(file)).catch(() => path.dirname(file));
    return path.join(dir, path.basename(file));
  }
}

/** atomicWrite under the edit lock of the file's real path (a link and its target share one lock). */
export async function writeLocked(file: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const display = options.display ?? file;
  const target = await resolveTarget(file).catch((error: unknown) => {
    throw writeError(error, display, 'file');
  });
  await withFileLock(target, () => atomicWrite(target, content, { ...options, display }), { display });
}

export async function atomicWrite(file: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const display = options.display ?? file;
  let target: string;
  let existing: Stats | undefined;
  try {
    target = await resolveTarget(file);
    existing = await stat(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (options.exclusive && (existing || (await lstat(file).then(() => true, () => false)))) {
      throw Object.assign(new Error(`${display} exists`), { code: 'EEXIST' });
    }
    if (existing?.isDirectory()) throw Object.assign(new Error(`${display} is a folder`), { code: 'EISDIR' });
    if (existing) await access(target, constants.W_OK);
  } catch (error) {
    throw writeError(error, display, 'file');
  }
  if (existing && !canGiveOwner(existing)) {
    await rewriteInPlace(target, content, display);
    return;
  }
  await replace(target, content, existing, display, options.mode ?? 0o644);
}

/** Root may give any owner; others only their own uid, and a group they are in (the file's own group when it is theirs). */
function canGiveOwner(info: Stats): boolean {
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0) return true;
  if (info.uid !== uid) return false;
  const groups = new Set([process.getegid?.(), ...(process.getgroups?.() ?? [])]);
  return groups.has(info.gid);
}

async function replace(target: string, content: string | Uint8Array, existing: Stats | undefined, display: string, newMode: number): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = existing ? existing.mode & 0o7777 : newMode;
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
  } catch (error) {
    throw writeError(error, display, 'folder');
  }
  try {
    await handle.writeFile(content, typeof content === 'string' ? 'utf8' : undefined);
    if (existing) await handle.chown(existing.uid, existing.gid);
    // After chown: changing the owner clears set-id bits, and the umask narrowed the mode at open.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw writeError(error, display, 'file');
  }
  await syncDir(dir);
}

/** Same inode, new content: keeps owner, group, mode, links and ACLs, at the cost of atomicity. */
async function rewriteInPlace(target: string, content: string | Uint8Array, display: string): Promise<void> {
  try {
    const handle = await open(target, 'r+');
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      await handle.write(bytes, 0, bytes.length, 0);
      await handle.truncate(bytes.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw writeError(error, display, 'file');
  }
}

/** Persist the rename itself; not every platform lets a folder be opened for this. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse: the rename is still atomic, only its durability is weaker.
  }
}
