/**
 * A server's data folder, as `mxt relay start` lays it out: `--data-dir DIR` (default `.mxt` under
 * the working folder) holds one folder per server, `DIR/<SERVER>`, with the queue database and the
 * logs in it.
 */
import { join, resolve } from 'node:path';

export const DEFAULT_DATA_DIR = '.mxt';

/** `--data-dir` as an absolute path (default `.mxt` in the working folder). */
export function dataDirOf(options: { dataDir?: string; cwd?: string }): string {
  return resolve(options.cwd ?? process.cwd(), options.dataDir ?? DEFAULT_DATA_DIR);
}

export function serverDataDir(dataDir: string, server: string): string {
  return join(dataDir, server);
}

/** `DIR/<SERVER>/logs`: the server's protocol logs and its message-tracking log. */
export function serverLogsDir(serverDir: string): string {
  return join(serverDir, 'logs');
}

/** `DIR/<SERVER>/logs/tracking.log`: written by the relay (server/logs.ts), read by `mxt trace`. */
export function trackingLogFile(serverDir: string): string {
  return join(serverLogsDir(serverDir), 'tracking.log');
}
