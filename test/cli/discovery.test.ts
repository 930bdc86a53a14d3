/**
 * Issue 8, item 11: discovery stops at the project. Before, from an empty folder under /tmp, mxt used
 * a /tmp/mxt.config.yaml written by someone else, silently. The search now ends at the repository
 * root (a folder with .git) or the first folder with a package.json; outside any project only the
 * working directory is searched; and the text output names the file it read.
 * Every case builds its own tree in a temporary folder: nothing outside it can change the result.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mxt, ROOT } from '../helpers/cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'mxt-discovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/single-site.mxt.yaml'), 'utf8');

function tree(name: string, files: Record<string, string>): string {
  const base = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    const at = path.join(base, file);
    mkdirSync(file.endsWith('/') ? at : path.dirname(at), { recursive: true });
    if (!file.endsWith('/')) writeFileSync(at, text);
  }
  return base;
}

describe('discovery stops at the project (issue 8, item 11)', () => {
  it('a stranger\'s config in a parent folder of a folder outside any project is not used', async () => {
    // `shared/` plays /tmp: anyone may have written its mxt.config.yaml.
    const base = tree('stranger', { 'shared/mxt.config.yaml': EXAMPLE, 'shared/empty/': '' });
    const r = await mxt(['validate', '--format', 'text'], { cwd: path.join(base, 'shared/empty') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no mxt config found in \S+empty \(outside any project, so only the working directory is searched\)/);
    expect(r.stdout).not.toMatch(/HQ|EX01/);
  });

  it('inside a git repository: found in the repository root from a subfolder, never above it', async () => {
    const base = tree('git', { 'mxt.config.yaml': EXAMPLE, 'repo/src/deep/': '' });
    const repo = path.join(base, 'repo');
    await execa('git', ['init', '-q'], { cwd: repo });
    let r = await mxt(['validate', '--format', 'text'], { cwd: path.join(repo, 'src/deep') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no mxt config found in \S+deep or its parents up to \S+repo \(the project's root\)/);
    writeFileSync(path.join(repo, 'mxt.config.yaml'), EXAMPLE);
    r = await mxt(['validate', '--format', 'json'], { cwd: path.join(repo, 'src/deep') });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).file).toBe(path.join(repo, 'mxt.config.yaml'));
  });

  it('the first folder with a package.json ends the search (a package inside a monorepo)', async () => {
    const base = tree('package', { 'mxt.config.yaml': EXAMPLE, 'pkg/package.json': '{ "name": "pkg" }\n', 'pkg/lib/': '' });
    const r = await mxt(['route', 'table', '--format', 'text'], { cwd: path.join(base, 'pkg/lib') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no mxt config found/);
  });

  it('an edit from a subfolder edits the project\'s file, and says so', async () => {
    const base = tree('edit', { 'package.json': '{}\n', 'mxt.config.yaml': EXAMPLE, 'docs/': '' });
    const r = await mxt(['site', 'add', 'Branch'], { cwd: path.join(base, 'docs') });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')).toContain(`mxt: config ${path.join(base, 'mxt.config.yaml')}`);
    expect(readFileSync(path.join(base, 'mxt.config.yaml'), 'utf8')).toMatch(/name: Branch/);
  });
});

describe('the text output names the file it read', () => {
  const base = tree('announce', { 'package.json': '{}\n', 'mxt.config.yaml': EXAMPLE });
  const commands = [
    ['validate', '--format', 'text'],
    ['route', 'plan', '--from', 'EX01', '--to', 'alice@contoso.com', '--format', 'text'],
    ['route', 'table', '--format', 'text'],
    ['graph', '--format', 'mermaid'],
    ['site', 'list', '--format', 'text'],
    ['show', 'effective', '--format', 'yaml'],
  ];
  for (const args of commands) {
    it(`${args.slice(0, 2).join(' ')}: one line on stderr, found by discovery or given`, async () => {
      for (const extra of [[], ['--config', 'mxt.config.yaml']]) {
        const r = await mxt([...args, ...extra], { cwd: base });
        expect(r.exitCode).toBe(0);
        expect(r.stderr.split('\n').filter((l) => l.startsWith('mxt: config '))).toEqual(['mxt: config mxt.config.yaml']);
      }
    });
  }

  it('output for programs (json) carries the file itself and leaves stderr quiet', async () => {
    const r = await mxt(['validate', '--format', 'json'], { cwd: base });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).file).toBe('mxt.config.yaml');
  });
});
