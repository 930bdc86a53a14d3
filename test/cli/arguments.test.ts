/**
 * Issue 8, item 10: arguments mean what they say. An empty value is a usage error (exit 2) for every
 * option and argument of every command; `init` writes YAML or JSON by the output's extension and
 * never overwrites package.json.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { mxt, ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-arguments-'));
  await writeFile(path.join(dir, 'package.json'), '{ "name": "mail" }\n');
  await writeFile(path.join(dir, 'mxt.config.yaml'), await readFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), 'utf8'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function context(): CliContext & { output: string[] } {
  const output: string[] = [];
  return { output, out: (t) => output.push(t), err: (t) => output.push(t), colorLevel: 0, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir, env: {} };
}

/** Every command that runs an action, with the words that invoke it. */
function leaves(command: Command, words: string[] = []): { words: string[]; command: Command }[] {
  if (command.commands.length === 0) return [{ words, command }];
  return command.commands.flatMap((c) => leaves(c, [...words, c.name()]));
}

const program = buildProgram(context());
const cases = leaves(program).flatMap(({ words, command }) =>
  command.options.filter((o) => (o.required || o.optional) && o.long).map((o) => ({ words, flag: o.long! })),
);

describe('an empty value is a usage error, for every option of every command (issue 8, item 10)', () => {
  it(`covers every option that takes a value (${cases.length} of them)`, () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.some((c) => c.flag === '--config')).toBe(true);
  });

  it.each(cases.map((c) => [`${c.words.join(' ')} ${c.flag} ""`, c] as const))('%s: exit 2, "needs a value"', async (_name, c) => {
    const ctx = context();
    const code = await main([...c.words, c.flag, ''], ctx);
    const text = ctx.output.join('\n');
    expect(code).toBe(2);
    // A choice option is refused by commander itself ("argument '' is invalid"), before the check.
    expect(text).toMatch(/needs a value, not an empty string|argument '' is invalid/);
  });

  it('blank values and --opt= forms too, and empty arguments', async () => {
    for (const argv of [['validate', '--config='], ['validate', '--config', '  '], ['route', 'plan', '--from', 'EX01', '--to', 'a@contoso.com', '--to', ''], ['site', 'add', ''], ['server', 'remove', ' ']]) {
      const ctx = context();
      expect(await main(argv, ctx)).toBe(2);
      expect(ctx.output.join('\n')).toMatch(/needs a value, not an empty string/);
    }
  });

  it('--config "" no longer edits the file found by discovery', async () => {
    const before = await readFile(path.join(dir, 'mxt.config.yaml'), 'utf8');
    const r = await mxt(['site', 'add', 'Marseille', '--config', ''], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--config needs a value/);
    expect(await readFile(path.join(dir, 'mxt.config.yaml'), 'utf8')).toBe(before);
  });

  it('route diff --base "" no longer compares against the git index', async () => {
    const r = await mxt(['route', 'diff', '--base', '', '--config', path.join(ROOT, 'examples/contoso.mxt.yaml')], { cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--base needs a value/);
  });
});

describe('init writes what the output\'s extension says', () => {
  const flags = ['--org', 'Contoso', '--domain', 'contoso.com', '--sites', 'Paris'];

  it('init --output package.json --force leaves package.json alone (exit 2)', async () => {
    const r = await mxt(['init', ...flags, '--output', 'package.json', '--force'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/does not write package\.json/);
    expect(await readFile(path.join(dir, 'package.json'), 'utf8')).toBe('{ "name": "mail" }\n');
  });

  it('an extension that is neither YAML nor JSON is refused', async () => {
    for (const output of ['mxt.config.toml', 'mxt-config', 'notes.txt']) {
      const r = await mxt(['init', ...flags, '--output', output], { cwd: dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/writes YAML \(\.yaml, \.yml\) or JSON \(\.json\)/);
    }
  });

  it('.json gets JSON, .yml YAML; both validate', async () => {
    let r = await mxt(['init', ...flags, '--output', 'start.json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(await readFile(path.join(dir, 'start.json'), 'utf8')) as { sites: { name: string }[] };
    expect(json.sites[0]!.name).toBe('Paris');
    expect((await mxt(['validate', '--config', 'start.json'], { cwd: dir })).exitCode).toBe(0);
    r = await mxt(['init', ...flags, '--output', 'start.yml'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'start.yml'), 'utf8')).toMatch(/^sites:/m);
    expect((await mxt(['validate', '--config', 'start.yml'], { cwd: dir })).exitCode).toBe(0);
    r = await mxt(['init', ...flags, '--output', 'sub/.mxtrc', '--dry-run'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^sites:/m);
  });
});
