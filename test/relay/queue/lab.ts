/** The one-server lab of the crash test and the benchmark, run by `mxt relay start` (the built CLI). */
import { execa, type ResultPromise } from 'execa';
import { waitFor } from './helpers.js';
import { relayStartArgs } from '../../bench/relay-lab.mjs';

export { writeLab } from '../../bench/relay-lab.mjs';

export interface RelayProcess {
  proc: ResultPromise;
  exited: Promise<unknown>;
}

export async function startRelayNode(lab: { config: string; hosts: string }, address: string, dataDir: string): Promise<RelayProcess> {
  const proc = execa(process.execPath, relayStartArgs(lab, address, dataDir), { reject: false, buffer: { stdout: false }, env: { NO_COLOR: '1', CI: 'true' } });
  let ready = false;
  proc.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('ready ')) ready = true;
  });
  const exited = proc.then((r) => r);
  await waitFor(() => ready || proc.exitCode !== null, 30_000, 'relay ready');
  if (!ready) throw new Error(`relay did not start: ${(await proc).stderr}`);
  return { proc, exited };
}
