/**
 * Issue 8, item 2: an edit is refused when it adds an error finding, whatever else is wrong with the
 * file. Before, one schema error anywhere switched the semantic rules off, and these three edits
 * were accepted (exit 0) on such a file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

let dir: string;
let example: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-edit-refuses-'));
  await writeFile(path.join(dir, 'package.json'), '{}\n');
  example = await readFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** One schema error, in different places of the file. */
const BROKEN: Record<string, (text: string) => string> = {
  'a quoted site link cost': (t) => t.replace('cost: 10, exchangeCost: 5', 'cost: "10", exchangeCost: 5'),
  'an unknown organization key': (t) => t.replace('  name: Contoso\n', '  name: Contoso\n  nmae: Contoso\n'),
  'an address space with a space': (t) => t.replace('"SMTP:fabrikam.com;1"', '"SMTP:fab rikam.com;1"'),
};
const EDITS = [
  ['server', 'remove', 'EX01'],
  ['domain', 'remove', 'contoso.com'],
  ['server', 'add', 'EX09', '--site', 'Nowhere'],
];

describe('edits refuse what they break, on a file with a schema error elsewhere (issue 8, item 2)', () => {
  let n = 0;
  for (const [where, breakIt] of Object.entries(BROKEN)) {
    for (const edit of EDITS) {
      it(`${edit.join(' ')} with ${where}: exit 1, the new error shown, the file byte-identical`, async () => {
        const file = path.join(dir, `broken-${n++}.yaml`);
        const text = breakIt(example);
        expect(text).not.toBe(example);
        await writeFile(file, text);
        const before = await mxt(['validate', '--config', file, '--format', 'json'], { cwd: dir });
        expect(before.exitCode).toBe(1);
        const r = await mxt([...edit, '--config', file], { cwd: dir });
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(/refused/);
        expect(r.stderr).toMatch(/:\d+:\d+ error /);
        expect(hasStackTrace(r.stderr)).toBe(false);
        expect(await readFile(file, 'utf8')).toBe(text);
      });
    }
  }

  it('an edit that adds nothing wrong is still accepted on such a file', async () => {
    const file = path.join(dir, 'broken-ok.yaml');
    await writeFile(file, BROKEN['a quoted site link cost']!(example));
    const r = await mxt(['site', 'add', 'Marseille', '--config', file], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('Marseille');
  });
});

describe('a JSON config may name its schema', () => {
  it('"$schema" is a legal key: validate passes, an edit keeps it', async () => {
    const file = path.join(dir, 'mxt.config.json');
    const config = {
      $schema: './node_modules/mxt/schemas/mxt.schema.json',
      sites: [{ name: 'Paris' }],
      servers: [{ name: 'EX01', role: 'Mailbox', site: 'Paris' }],
      acceptedDomains: [{ domainName: 'contoso.com', default: true }],
    };
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    const r = await mxt(['validate', '--config', file, '--format', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId.startsWith('schema'))).toEqual([]);
    const edit = await mxt(['site', 'add', 'Lyon', '--config', file], { cwd: dir });
    expect(edit.exitCode).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ $schema: config.$schema, sites: [{ name: 'Paris' }, { name: 'Lyon' }] });
  });
});
