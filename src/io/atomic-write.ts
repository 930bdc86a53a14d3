/**
 * Replace a file atomically: write a temp file in the same folder (same file system, so rename is
 * atomic), fsync it, give it the old file's mode, rename it over the target, fsync the folder.
 * A reader sees the old content or the new, never half of it; a crash leaves at most a stray temp.
 *
 * Security: writes only beside the target; the temp name is unguessable and created with O_EXCL.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export async function atomicWrite(file: string, content: string | Uint8Array, options: { exclusive?: boolean; mode?: number } = {}): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = options.mode ?? 0o644;
  try {
    mode = (await stat(file)).mode & 0o7777;
    if (options.exclusive) throw Object.assign(new Error(`${file} exists`), { code: 'EEXIST' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content, typeof content === 'string' ? 'utf8' : undefined);
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
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
