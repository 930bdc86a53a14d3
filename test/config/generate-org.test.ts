/**
 * `npm run gen` (src/dev/generate-org.ts): the synthetic organization as a config file that mxt
 * loads without findings, byte-identical for the same arguments.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { syntheticOrg } from '../../src/core/synthetic/org.js';
import { generateOrgYaml } from '../../src/dev/generate-org.js';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gen = (args: string[]) =>
  execa(process.execPath, [path.join(ROOT, 'dist/dev/generate-org.js'), ...args], { cwd: dir, reject: false, env: { PATH: process.env.PATH ?? '' }, extendEnv: false });

describe('npm run gen', () => {
  it('the YAML reads back as exactly the synthetic organization', () => {
    for (const sites of [1, 2, 7, 120]) {
      expect(parse(generateOrgYaml({ sites, seed: 5 }))).toEqual(JSON.parse(JSON.stringify(syntheticOrg({ sites, seed: 5 }))));
    }
  });

  it('--output writes the same bytes as stdout, and the same arguments give the same file', async () => {
    const a = await gen(['--sites', '12', '--seed', '3', '--output', 'a.yaml']);
    const b = await gen(['--sites', '12', '--seed', '3']);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe(`${b.stdout}\n`);
    const other = await gen(['--sites', '12', '--seed', '4']);
    expect(other.stdout).not.toBe(b.stdout);
  });

  it.each([12, 150])('a %i-site organization validates with no findings', async (sites) => {
    const out = await gen(['--sites', String(sites), '--seed', '9', '--output', `org-${sites}.yaml`]);
    expect(out.exitCode).toBe(0);
    const r = await mxt(['validate', '--config', `org-${sites}.yaml`, '--format', 'json'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it.each([[['--sites', '0']], [['--seed', '1']], [['--sites', 'many']], [['--sites', '3', '--bogus']]])('bad arguments %j exit 2 with the usage line, no stack trace', async (args) => {
    const r = await gen(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^generate-org: /);
    expect(r.stderr).toMatch(/usage: npm run gen -- --sites N/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
