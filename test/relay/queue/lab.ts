/** A one-server lab for the crash test and the benchmark: config file, hosts table, relay node process. */
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';
import { waitFor } from './helpers.js';
import { RELAY_CONNECTOR } from '../../bench/relay-lab.mjs';

export const RELAY_NODE = fileURLToPath(new URL('../../bench/relay-node.mjs', import.meta.url));

export { writeLab } from '../../bench/relay-lab.mjs';

export interface RelayProcess {
  proc: ResultPromise;
  exited: Promise<unknown>;
}

export async function startRelayNode(lab: { config: string; hosts: string }, listen: string, dataDir: string): Promise<RelayProcess> {
  const proc = execa(process.execPath, [RELAY_NODE, lab.config, 'EX01', RELAY_CONNECTOR, listen, dataDir, lab.hosts], { reject: false, buffer: { stdout: false } });
  let ready = false;
  proc.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('ready')) ready = true;
  });
  const exited = proc.then((r) => r);
  await waitFor(() => ready || proc.exitCode !== null, 20_000, 'relay node ready');
  if (!ready) throw new Error(`relay node did not start: ${(await proc).stderr}`);
  return { proc, exited };
}
