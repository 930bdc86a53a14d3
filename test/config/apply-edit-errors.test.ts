/**
 * No stack traces in edit paths (issue 8 item 7): every case that ended in "internal error … This is a
 * bug" gets a located or worded error, exit 1 or 2, and the file stays as it was. (A read-only folder
 * is in test/io/permissions.test.ts: root ignores folder modes.)
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT, type CliResult } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-edit-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const example = () => readFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), 'utf8');

function clean(r: CliResult): void {
  expect(hasStackTrace(r.stderr + r.stdout)).toBe(false);
  expect(r.stderr).not.toContain('internal error');
  expect([1, 2]).toContain(r.exitCode);
}

async function edit(name: string, text: string, args: string[]): Promise<{ r: CliResult; after: string }> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const r = await mxt([...args, '--config', file], { cwd: dir });
  return { r, after: await readFile(file, 'utf8') };
}

describe('documents that are not a mapping of sections', () => {
  for (const [label, text] of [
    ['null', 'null\n'],
    ['~', '~\n'],
    ['a number', '42\n'],
    ['a string', 'hello\n'],
    ['a list', '- a\n- b\n'],
  ] as const) {
    it(`${label}: refused at 1:1 with exit 1`, async () => {
      const { r, after } = await edit('doc.yaml', text, ['site', 'add', 'Paris']);
      clean(r);
      expect(r.exitCode).toBe(1);
      // One config reader (config/load.ts) words it: empty, or not a mapping of sections.
      expect(r.stderr).toMatch(/doc\.yaml:1:1 error (config-empty: the configuration is empty|schema-type: the configuration must be a mapping of sections)/);
      expect(after).toBe(text);
    });
  }

  it('a JSON number and a package.json whose `mxt` key is a list', async () => {
    let { r } = await edit('mxt.config.json', '42\n', ['site', 'add', 'Paris']);
    clean(r);
    expect(r.stderr).toContain('mxt.config.json:1:1 error schema-type');
    const pkg = path.join(dir, 'pkg');
    await rm(pkg, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(pkg);
    await writeFile(path.join(pkg, 'package.json'), '{\n  "name": "x",\n  "mxt": [1]\n}\n');
    r = await mxt(['site', 'add', 'Paris', '--config', path.join(pkg, 'package.json')], { cwd: pkg });
    clean(r);
    expect(r.stderr).toMatch(/package\.json:3:\d+ error schema-type: the configuration must be a mapping of sections .*not a list/);
  });
});

describe('YAML anchors and aliases', () => {
  let aliased: string;
  beforeAll(async () => {
    aliased = (await example())
      .replace('  - { name: DAG1, members: [EX01, EX02] }', '  - { name: DAG1, members: &hubs [EX01, EX02] }\n  - { name: DAG2, members: *hubs }')
      .replace('  - { name: Lyon }', '  - &lyon { name: Lyon }\n  - { name: Lyon2 }');
    expect(aliased).toContain('*hubs');
  });

  for (const args of [
    ['dag', 'set', 'DAG1', '--members', 'EX01'],
    ['dag', 'remove', 'DAG1'],
  ]) {
    it(`${args.join(' ')}: changing the anchored value is refused, located at the anchor`, async () => {
      const { r, after } = await edit('alias.yaml', aliased, args);
      clean(r);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/alias\.yaml:\d+:\d+ error yaml-alias: the edit changes the value anchored &hubs, which is also used as \*hubs/);
      expect(after).toBe(aliased);
    });
  }

  it('an anchor nobody uses does not stop an edit of its value', async () => {
    const { r, after } = await edit('alias.yaml', aliased, ['site', 'set', 'Lyon', '--hub-site-enabled', 'true']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after).toContain('  - &lyon { name: Lyon, hubSiteEnabled: true }');
  });

  it('replacing or removing the alias itself is done: the anchor and its other uses stay', async () => {
    let { r, after } = await edit('alias.yaml', aliased, ['dag', 'set', 'DAG2', '--members', 'EX01']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after).toContain('  - { name: DAG1, members: &hubs [EX01, EX02] }');
    expect(after).toContain('  - { name: DAG2, members: [EX01] }');
    ({ r, after } = await edit('alias.yaml', aliased, ['dag', 'remove', 'DAG2']));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after).not.toContain('DAG2');
    expect(after).toContain('&hubs');
  });

  it('an edit that goes through an alias into the shared value is refused', async () => {
    const shared = (await example()).replace('  - { name: DAG1, members: [EX01, EX02] }', '  - &dag { name: DAG1, members: [EX01, EX02] }\n  - *dag');
    const { r, after } = await edit('through.yaml', shared, ['dag', 'set', 'DAG1', '--members', 'EX01']);
    clean(r);
    expect(r.stderr).toMatch(/through\.yaml:\d+:\d+ error yaml-alias/);
    expect(after).toBe(shared);
  });
});

/** chattr needs CAP_LINUX_IMMUTABLE and a file system with the flags (ext4, xfs, btrfs). */
function chattrWorks(): string | undefined {
  const probe = path.join(tmpdir(), `mxt-chattr-probe-${process.pid}`);
  try {
    execFileSync('sh', ['-c', `: > "${probe}" && chattr +i "${probe}" && chattr -i "${probe}"`], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'chattr +i is not possible here (no CAP_LINUX_IMMUTABLE, or the file system has no such flag)';
  } finally {
    execFileSync('rm', ['-f', probe]);
  }
}
const noChattr = chattrWorks();

describe.skipIf(noChattr !== undefined)(`immutable and append-only files${noChattr ? ` (skipped: ${noChattr})` : ''}`, () => {
  for (const flag of ['i', 'a']) {
    it(`chattr +${flag}: exit 2, worded, the file as it was`, async () => {
      const file = path.join(dir, `flag-${flag}.yaml`);
      await copyFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), file);
      const before = await readFile(file, 'utf8');
      execFileSync('chattr', [`+${flag}`, file]);
      try {
        const r = await mxt(['site', 'add', 'Marseille', '--config', file], { cwd: dir });
        clean(r);
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toContain(`mxt: cannot write flag-${flag}.yaml: the system refuses to change`);
        expect(r.stderr).toContain('hint: lsattr');
      } finally {
        execFileSync('chattr', [`-${flag}`, file]);
      }
      expect(await readFile(file, 'utf8')).toBe(before);
    });
  }
});

describe('init', () => {
  it('--output into a folder that does not exist: exit 2, worded', async () => {
    const r = await mxt(['init', '--org', 'C', '--domain', 'c.com', '--sites', 'P', '--output', 'nodir/x.yaml'], { cwd: dir });
    clean(r);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('mxt: cannot write nodir/x.yaml: its folder does not exist');
  });
});
