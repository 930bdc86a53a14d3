/** `mxt relay start …` as a child process of a test: started through the built bin, waited for until its `ready SERVER` line (or its end). */
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { waitFor } from '../relay/queue/helpers.js';
import { BIN } from './cli.js';

export interface RelayProcess {
  relay: ResultPromise;
  /** stdout and stderr so far. */
  output: () => string;
}

export async function startRelayProcess(server: string, args: readonly string[], cwd: string): Promise<RelayProcess> {
  const relay = execa(process.execPath, [BIN, 'relay', 'start', '--server', server, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' },
    extendEnv: false,
    reject: false,
  });
  let out = '';
  relay.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  relay.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes(`ready ${server}`) || relay.exitCode !== null, 60_000, `the relay of ${server}`);
  expect(out).toContain(`ready ${server}`);
  return { relay, output: () => out };
}
