/**
 * Reads `DIR/relay-up.json`, the file `mxt relay up` writes (version 1: the servers it started, each
 * with the loopback address and port offset it listens on), for `mxt send` (where a server listens)
 * and `mxt trace` (which nodes there are). Only the members those two use are checked; others are
 * ignored, as the file's readers are told to. A missing file is `undefined`; a file that is not what
 * version 1 says is a UserError naming it.
 *
 * Security: reads one file of the data folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

export const RELAY_UP_FILE = 'relay-up.json';

export interface RelayUpNode {
  server: string;
  address: string;
  portOffset: number;
  /** The node's relay log, relative to the data folder. */
  log?: string;
}

export interface RelayUp {
  version: 1;
  nodes: RelayUpNode[];
}

export function readRelayUp(dataDir: string): RelayUp | undefined {
  const file = path.join(dataDir, RELAY_UP_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${file}: ${(error as Error).message}`);
  }
  const bad = (why: string) => new UserError(`${file}: ${why}`, 'it is written by mxt relay up; run mxt relay up again, or remove the file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const top = data as { version?: unknown; nodes?: unknown };
  if (top?.version !== 1) throw bad(`version ${JSON.stringify(top?.version)}, not 1`);
  if (!Array.isArray(top.nodes)) throw bad('no nodes list');
  const nodes = top.nodes.map((n: unknown, i): RelayUpNode => {
    const node = n as Partial<Record<keyof RelayUpNode, unknown>>;
    if (typeof node?.server !== 'string' || typeof node.address !== 'string' || !Number.isInteger(node.portOffset)) throw bad(`nodes[${i}] needs server, address and portOffset`);
    return { server: node.server, address: node.address, portOffset: node.portOffset as number, ...(typeof node.log === 'string' ? { log: node.log } : {}) };
  });
  return { version: 1, nodes };
}
