/**
 * Help that works (issue 8, item 12): every command's `--help` is read (the command tree is walked at
 * run time, so commands added later are covered too), and
 * - every example it prints runs as written, through the built bin on PATH as `mxt`, in a fresh copy
 *   of a workspace made of the bundled examples (mxt.config.yaml = examples/contoso.mxt.yaml, the
 *   examples/ folder, a git repository with an `origin/main`), and exits 0, or the code its note
 *   announces (`# exits 1: …`); a note saying `runs until stopped` marks a server: it must still be
 *   running once it has printed its ready line, and is then stopped; `with a relay running` runs the
 *   example while the relay of the server it names runs in the same folder (test/helpers/shell.ts);
 * - the text speaks the admin's words: no spec rule ids, every option described by what it does,
 *   no line wider than the one help width, examples on every command, exit code 3 where it applies.
 */
import { execa } from 'execa';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { HELP_WIDTH } from '../../src/cli/options.js';
import { buildProgram } from '../../src/cli/program.js';
import { hasStackTrace, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';
import { downLeftLab, expectedExit, mxtOnPath, runDocumented, type Outcome, type RelaySlot } from '../helpers/shell.js';

/**
 * The relay of examples noted `with a relay running`: an address of its own on 127.0.9.0/24
 * (test/helpers/loopback.ts) and an offset the help's own `relay start` examples (+20000, moved to
 * this address by the runner) do not use.
 */
const RELAY_SLOT: RelaySlot = {
  address: loopback('help'),
  portOffset: 30000,
  // The examples run on examples/contoso.mxt.yaml, where all@contoso.com is expanded on EX02.
  message: { to: 'all@contoso.com', waitsFor: 'EX02' },
};

function captureContext(): CliContext & { text: () => string } {
  const chunks: string[] = [];
  const push = (s: string) => void chunks.push(s.endsWith('\n') ? s : `${s}\n`);
  return { out: push, err: push, colorLevel: 0, stdoutIsTTY: false, stdinIsTTY: false, cwd: ROOT, env: {}, text: () => chunks.join('') };
}

/** Every command path of the program, e.g. ['connector', 'add', 'send'], the program itself first. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.filter((c) => c.name() !== 'help').flatMap((c) => commandPaths(c, [...prefix, c.name()]))];
}

interface Example {
  command: string;
  note: string;
  help: string;
}

/** `  # note` lines, then `  $ command` with ` \` continuations. */
function examplesOf(help: string, where: string): Example[] {
  const found: Example[] = [];
  const lines = help.split('\n');
  let note: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^ {2}# /.test(line)) note.push(line.slice(4));
    else if (line.startsWith('  $ ')) {
      let command = line.slice(4);
      while (command.endsWith(' \\') && i + 1 < lines.length) command = `${command.slice(0, -2)} ${lines[++i]!.trim()}`;
      found.push({ command, note: note.join(' '), help: where });
      note = [];
    } else note = [];
  }
  return found;
}

const program = buildProgram(captureContext());
const helps = new Map<string, string>();
for (const commandPath of commandPaths(program)) {
  const ctx = captureContext();
  const code = await main([...commandPath, '--help'], ctx);
  if (code !== 0) throw new Error(`mxt ${commandPath.join(' ')} --help exited ${code}`);
  helps.set(['mxt', ...commandPath].join(' '), ctx.text());
}
const allExamples = [...helps].flatMap(([where, help]) => examplesOf(help, where));

let template: string;
let binDir: string;
let counter = 0;

beforeAll(async () => {
  template = await mkdtemp(path.join(tmpdir(), 'mxt-help-'));
  const workspace = path.join(template, 'workspace');
  await cp(path.join(ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  await cp(path.join(ROOT, 'examples/contoso.mxt.yaml'), path.join(workspace, 'mxt.config.yaml'));
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=mxt', '-c', 'user.email=mxt@example.com', ...args], { cwd: workspace });
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-q', '-m', 'bundled examples');
  await git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  binDir = await mxtOnPath(path.join(template, 'bin'));
});

afterAll(async () => {
  await rm(template, { recursive: true, force: true });
});

async function runExample(example: Example): Promise<Outcome> {
  const dir = path.join(template, `run-${++counter}`);
  await cp(path.join(template, 'workspace'), dir, { recursive: true });
  const result = await runDocumented(example, dir, binDir, RELAY_SLOT);
  await downLeftLab(dir, binDir);
  await rm(dir, { recursive: true, force: true });
  return result;
}

describe('every --help', () => {
  it('the command tree was walked: groups and their subcommands are all there', () => {
    for (const name of ['mxt', 'mxt validate', 'mxt route plan', 'mxt route diff', 'mxt connector add send', 'mxt connector list', 'mxt site list']) expect(helps.has(name), name).toBe(true);
    expect(allExamples.length).toBeGreaterThan(50);
  });

  it.each([...helps.keys()])('%s --help: examples, no rule ids, one line width', (where) => {
    const help = helps.get(where)!;
    expect(examplesOf(help, where).length, `${where} has no example`).toBeGreaterThan(0);
    // Spec rule ids (R110, V7, A2, W3) belong in findings, not in what an admin reads first.
    expect(help).not.toMatch(/\b[RVWA]\d{1,3}\b/);
    for (const line of help.split('\n')) expect(line.length, `${where}: ${line}`).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it('every option says what it does (no bare repetition of its own name)', () => {
    const walk = (command: Command, where: string): void => {
      for (const option of command.options) {
        const description = option.description.trim();
        expect(description.length, `${where} ${option.flags}`).toBeGreaterThan(8);
        expect(description, `${where} ${option.flags}`).not.toMatch(/parameter of the same name/);
      }
      for (const sub of command.commands) walk(sub, `${where} ${sub.name()}`);
    };
    walk(program, 'mxt');
  });

  it('exit code 3 is listed where it applies, and every exit code on the main help', () => {
    expect(helps.get('mxt')).toMatch(/Exit codes: 0 ok, 1 .*2 usage.*3 routes changed/s);
    expect(helps.get('mxt route diff')).toMatch(/3 routes changed/);
  });
});

describe('the runner of documented commands', () => {
  it('a server ("runs until stopped") is stopped with its process group once it printed; one that ends by itself is caught', async () => {
    const running = await runDocumented({ command: 'echo ready; sleep 60 | cat', note: 'runs until stopped' }, template, binDir);
    expect(running).toMatchObject({ exitCode: 0, endedEarly: false, output: 'ready\n' });
    const ended = await runDocumented({ command: 'echo done', note: 'runs until stopped' }, template, binDir);
    expect(ended.endedEarly).toBe(true);
    expect(await runDocumented({ command: 'mxt validate --config nowhere.yaml', note: '' }, template, binDir)).toMatchObject({ exitCode: 2, endedEarly: false });
  });

  it("the documentation's lab addresses 127.0.9.1 and 127.0.9.2 run on the slot's own address (ports as written)", async () => {
    const moved = await runDocumented({ command: 'echo 127.0.9.1:10025 127.0.9.2 127.0.9.10 127.0.9.21', note: '' }, template, binDir, RELAY_SLOT);
    expect(moved.output).toBe(`${RELAY_SLOT.address}:10025 ${RELAY_SLOT.address} 127.0.9.10 127.0.9.21`);
  });
});

describe('every example of every --help runs as written on the bundled examples', () => {
  it.each(allExamples.map((e) => [`${e.help}: ${e.command}`, e] as const))('%s', async (_, example) => {
    expect(example.command.startsWith('mxt ')).toBe(true);
    const expected = expectedExit(example.note);
    const { exitCode, output, endedEarly } = await runExample(example);
    expect(hasStackTrace(output), output).toBe(false);
    expect(endedEarly, `marked "runs until stopped" but ended by itself:\n${output}`).toBe(false);
    expect(exitCode, output).toBe(expected);
  });
});
