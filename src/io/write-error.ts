/**
 * Why a config file could not be written, in words: the errno codes that writing a file beside
 * another (temp file, lock file, rename) meets, each with what to do. Anything else is not the
 * user's to fix and is passed on as it is.
 */
import { UserError } from '../errors.js';

export class WriteError extends UserError {
  constructor(
    message: string,
    hint: string,
    readonly code: string,
  ) {
    super(message, hint, 2);
    this.name = 'WriteError';
  }
}

/** `part`: what was being written when it failed, the file itself or a file in its folder (temp, lock). */
export function writeError(error: unknown, display: string, part: 'file' | 'folder'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const folder = part === 'folder' ? `the folder of ${display}` : display;
  switch (code) {
    case 'EACCES':
      return new WriteError(
        `cannot write ${display}: permission denied on ${folder}`,
        part === 'file' ? `you may not write this file: edit it as a user who may (ls -l ${display})` : 'mxt writes a temp file and a lock file beside the config: you need write permission on its folder',
        code,
      );
    case 'EPERM':
      return new WriteError(
        `cannot write ${display}: the system refuses to change ${folder} (immutable or append-only, or not yours to change)`,
        `lsattr shows the i (immutable) and a (append-only) flags; \`chattr -i\` / \`chattr -a\` as root if the change is intended`,
        code,
      );
    case 'EROFS':
      return new WriteError(`cannot write ${display}: it is on a read-only file system`, 'copy the config to a writable place, or remount it read-write', code);
    case 'EEXIST':
      return new WriteError(`cannot write ${display}: it exists (created meanwhile?)`, 'look at it, then run the command again', code);
    case 'ENOENT':
      return new WriteError(`cannot write ${display}: its folder does not exist`, 'create the folder first (mkdir -p), or give another path', code);
    case 'ENOTDIR':
      return new WriteError(`cannot write ${display}: a part of its path is a file, not a folder`, 'check the path', code);
    case 'EISDIR':
      return new WriteError(`cannot write ${display}: it is a folder`, 'give the path of a file', code);
    case 'ENOSPC':
    case 'EDQUOT':
      return new WriteError(`cannot write ${display}: no space left (disk full or quota reached)`, 'free some space and run the command again; the file was left as it was', code);
    case 'ELOOP':
      return new WriteError(`cannot write ${display}: too many symbolic links (a loop?)`, `check where it points (ls -l ${display})`, code);
    case 'ETXTBSY':
    case 'EBUSY':
      return new WriteError(`cannot write ${display}: it is busy`, 'run the command again when the other program is done', code);
    default:
      return error;
  }
}
