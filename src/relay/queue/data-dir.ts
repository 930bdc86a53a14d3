/**
 * A server's data folder: `--data-dir DIR`, or `.mxt/data/<SERVER>` under the working folder. The
 * relay writes its identity into the database so `mxt queue` can name queues `<Server>\…` (R141).
 */
import { join } from 'node:path';

export function defaultDataDir(cwd: string, server: string): string {
  return join(cwd, '.mxt', 'data', server);
}

export const DATA_ROOT = ['.mxt', 'data'] as const;
