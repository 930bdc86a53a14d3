/**
 * A server's data folder, as `mxt relay start` lays it out: `--data-dir DIR` (default `.mxt` under
 * the working folder) holds one folder per server, `DIR/<SERVER>`, with the queue database in it.
 */
import { join } from 'node:path';

export const DEFAULT_DATA_DIR = '.mxt';

export function serverDataDir(dataDir: string, server: string): string {
  return join(dataDir, server);
}
