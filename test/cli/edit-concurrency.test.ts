/** Two edits never lose one another's change: lock file + compare-and-swap on the content. */
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mxt, ROOT } from '../helpers/cli.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-edit-race-'));
  file = path.join(dir, 'mxt.config.yaml');
  await copyFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), file);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('concurrent edits', () => {
  it('10 parallel `mxt site add` processes: all 10 sites present, comments kept, no lock left', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `Site${i}`);
    const results = await Promise.all(names.map((name) => mxt(['site', 'add', name, '--config', file], { cwd: dir, timeout: 60_000 })));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    const sites = (parse(text) as { sites: { name: string }[] }).sites.map((s) => s.name);
    expect(sites.slice(0, 3)).toEqual(['Paris', 'Lyon', 'Nice']);
    expect([...sites.slice(3)].sort()).toEqual(names);
    expect(text).toContain('# org-wide defaults of Set-TransportService');
    expect(await readdir(dir)).toEqual(['mxt.config.yaml']);
  });

  it('parallel edits of different kinds all land', async () => {
    const edits = [
      ['site', 'add', 'Marseille'],
      ['domain', 'add', 'fabrikam.com', '--domain-type', 'InternalRelay'],
      ['sitelink', 'set', 'Paris-Lyon', '--cost', '20'],
      ['server', 'set', 'EX01', '--addresses', '10.1.0.11,10.1.0.12'],
      ['connector', 'set', 'To Fabrikam', '--port', '25'],
    ];
    const results = await Promise.all(edits.map((args) => mxt([...args, '--config', file], { cwd: dir, timeout: 60_000 })));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>[]>;
    expect(value.sites!.map((s) => s.name)).toContain('Marseille');
    expect(value.acceptedDomains!.map((d) => d.domainName)).toContain('fabrikam.com');
    expect(value.siteLinks![0]!.cost).toBe(20);
    expect(value.servers![0]!.addresses).toEqual(['10.1.0.11', '10.1.0.12']);
    expect(value.sendConnectors![0]!.port).toBe(25);
  });
});
