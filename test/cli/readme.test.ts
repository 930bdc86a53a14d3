/**
 * A README a newcomer can follow (issue 8, item 14): every command of every ```sh block of README.md
 * runs as written, in a fresh temporary folder per block holding a copy of the repository's examples/
 * (and, for `npm run …`, package.json, a copy of dist/ and the installed node_modules), with `mxt` on
 * PATH pointing to the built bin. Commands of one block run in order in the same folder (the
 * "new topology" block builds on what its `mxt init` wrote). A command exits 0 unless it ends with
 * `# exits N`; one ending with `# runs until stopped` (the relay) must be up with its ready line, and
 * stays up in the background while the rest of its block runs (the swaks and `mxt queue` lines talk
 * to it), then is stopped with SIGTERM and must have run until then and stopped cleanly. A command
 * noted `# with a relay running` gets the relay of its --server started for it (test/helpers/shell.ts).
 *
 * Exempt, each for a reason:
 * - the install part of the quick start (`npm install && npm link && …`): it would install mxt into
 *   this machine's global npm folder and needs the registry; what it runs afterwards is tested;
 * - `npm test`: it is the suite this test belongs to;
 * - `npm run bench`, `npm run bench:relay`, `npm run bench:relay-sessions`: benchmarks of minutes,
 *   with figures and no pass/fail (run by hand, in the clone: they need its tsconfig and sources).
 */
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { downLeftLab, expectedExit, isLongRunning, mxtOnPath, runDocumented, startDocumented, type DocumentedCommand, type Running, type RelaySlot } from '../helpers/shell.js';


const INSTALL = /^npm install && npm link && /;
const EXEMPT = new Set(['npm test', 'npm run bench', 'npm run bench:relay', 'npm run bench:relay-sessions']);
/**
 * The relay of commands noted `with a relay running`: an address of its own (test/helpers/loopback.ts),
 * as vitest runs test files in parallel, and an offset the README's walkthrough (+10000, moved to
 * this address by the runner) does not use.
 */
const RELAY_SLOT: RelaySlot = { address: loopback('readme'), portOffset: 30000 };

/** The ```sh blocks of the README, each a list of commands (`\` continuations joined, comment lines dropped). */
export function shellBlocks(markdown: string): DocumentedCommand[][] {
  const blocks: DocumentedCommand[][] = [];
  for (const match of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const commands: DocumentedCommand[] = [];
    const lines = match[1]!.split('\n');
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
      line = line.trim();
      if (line === '' || line.startsWith('#')) continue;
      commands.push({ command: line, note: /\s#\s(.*)$/.exec(line)?.[1] ?? '' });
    }
    blocks.push(commands);
  }
  return blocks;
}

const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
const blocks = shellBlocks(readme);

let temp: string;
let binDir: string;

beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'mxt-readme-'));
  binDir = await mxtOnPath(path.join(temp, 'bin'));
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** A fresh folder: examples/, and what `npm run` needs (package.json, dist/ copied so scripts write here, node_modules linked). */
async function workspace(n: number, npm: boolean): Promise<string> {
  const dir = path.join(temp, `block-${n}`);
  await cp(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  if (npm) {
    await cp(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    await cp(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  }
  // A project of its own, so config discovery stops here whatever lies above in the temp folder.
  await execa('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('README.md', () => {
  it('has the quick start of exactly two commands: install-and-run, then npm test; no npx (mxt is not published)', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'));
    const first = shellBlocks(quick)[0]!;
    expect(first.map((c) => c.command)).toHaveLength(2);
    expect(first[0]!.command).toMatch(INSTALL);
    expect(first[0]!.command).toMatch(/mxt route plan --config examples\/contoso\.mxt\.yaml/);
    expect(first[1]!.command).toBe('npm test');
    expect(readme).not.toMatch(/^\s*npx mxt/m);
    expect(readme).toMatch(/npm link/);
    expect(readme).toMatch(/npm pack/);
  });

  it('documents gen --output (a redirect would catch npm\'s banner) and init\'s first mailbox', () => {
    expect(readme).toMatch(/npm run gen -- --sites \d+ .*--output /);
    expect(readme).not.toMatch(/npm run gen[^\n]*>/);
    expect(readme).toMatch(/--mailbox ADDRESS\[:DATABASE\]/);
    expect(readme).toMatch(/refused as an\s+unknown recipient/);
  });

  it('R62 what it says of init holds: without a mailbox every internal address is refused, and init says so; --mailbox fixes it', async () => {
    const dir = await workspace(100, false);
    let r = await mxt(['init', '--org', 'C', '--domain', 'c.com', '--sites', 'Paris', '--output', 'bare.yaml'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no recipients yet, so mail to every @c\.com address is refused as an unknown recipient/);
    const plan = async (file: string) => JSON.parse((await mxt(['route', 'plan', '--config', file, '--from', 'EX01', '--to', 'admin@c.com', '--format', 'json'], { cwd: dir })).stdout)[0].status;
    expect(await plan('bare.yaml')).toBe('rejected');
    r = await mxt(['init', '--org', 'C', '--domain', 'c.com', '--sites', 'Paris', '--mailbox', 'admin@c.com', '--output', 'with-mailbox.yaml'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/no recipients/);
    expect(await plan('with-mailbox.yaml')).toBe('routed');
  });

  it.each(blocks.map((block, n) => [n, block.map((c) => c.command).join(' ; ').slice(0, 120), block] as const))('block %i runs as written: %s', async (n, _, block) => {
    const dir = await workspace(n, block.some((c) => c.command.startsWith('npm ')));
    // Servers of this block (`runs until stopped`), up until the block ends.
    const servers: { command: string; running: Running }[] = [];
    const check = (command: string, { exitCode, output, endedEarly }: { exitCode: number; output: string; endedEarly: boolean }, expected: number) => {
      expect(hasStackTrace(output), `${command}\n${output}`).toBe(false);
      expect(endedEarly, `marked "runs until stopped" but ended by itself: ${command}\n${output}`).toBe(false);
      expect(exitCode, `${command}\n${output}`).toBe(expected);
    };
    try {
      for (const entry of block) {
        const command = entry.command.replace(INSTALL, '');
        if (EXEMPT.has(command.replace(/\s+#.*$/, ''))) continue;
        if (isLongRunning(entry.note)) {
          servers.push({ command, running: await startDocumented({ ...entry, command }, dir, binDir, RELAY_SLOT) });
          continue;
        }
        check(command, await runDocumented({ ...entry, command }, dir, binDir, RELAY_SLOT), expectedExit(entry.note));
      }
    } finally {
      await downLeftLab(dir, binDir);
      const stopped = await Promise.all(servers.map(async ({ command, running }) => ({ command, outcome: await running.stop() })));
      for (const { command, outcome } of stopped) {
        check(command, outcome, 0);
        // A relay was up (ready) and stopped cleanly on SIGTERM.
        if (command.startsWith('mxt relay start')) expect(outcome.output, command).toMatch(/^ready [\s\S]*^stopped /m);
      }
    }
  });
});
