/**
 * `mxt import exchange` end to end: the contoso dumps (one file per cmdlet, remote-session strings;
 * and examples/contoso.exchange.json, one combined file with a local session's objects) give a config
 * that routes exactly as examples/contoso.mxt.yaml (`route diff --detailed-exitcode` exits 0); bad
 * input is refused with its location; nothing is overwritten or written invalid unless forced.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const DUMPS = path.join(ROOT, 'test/fixtures/exchange-dump');
let temp: string;
let dumps: string[];

beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'mxt-import-'));
  dumps = (await readdir(DUMPS)).sort().map((f) => path.join(DUMPS, f));
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function sameRouting(config: string): Promise<void> {
  const diff = await mxt(['route', 'diff', '--base', 'examples/contoso.mxt.yaml', '--config', config, '--detailed-exitcode', '--format', 'text']);
  expect(diff.stdout + diff.stderr).toContain('no routing changes');
  expect(diff.exitCode).toBe(0);
}

describe('mxt import exchange', () => {
  it('the per-cmdlet dumps of contoso give a config that routes as examples/contoso.mxt.yaml', async () => {
    const out = path.join(temp, 'contoso.mxt.yaml');
    const run = await mxt(['import', 'exchange', ...dumps, '--output', out]);
    expect(run.stderr).not.toMatch(/ error /);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*contoso\.mxt\.yaml: read 3 AdSite, 2 AdSiteLink, 3 ExchangeServer, .*, 19 ADPermission, .*properties not mapped/);
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/^# mxt topology imported from Exchange by `mxt import exchange`, from:\n# {3}.*Get-ADPermission\.json\n/);
    expect(text).toContain('  - { name: Paris-Lyon, sites: [Paris, Lyon], cost: 10, exchangeCost: 5 }');
    await sameRouting(out);
    const validate = await mxt(['validate', '--config', out, '--format', 'json']);
    expect(validate.exitCode).toBe(0);
  });

  it('the combined dump (objects as a local session writes them) gives the same config, printed on standard output', async () => {
    const run = await mxt(['import', 'exchange', 'examples/contoso.exchange.json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^read .* 11 ReceiveConnector/);
    const out = path.join(temp, 'combined.mxt.yaml');
    await writeFile(out, run.stdout);
    await sameRouting(out);
    const perCmdlet = await readFile(path.join(temp, 'contoso.mxt.yaml'), 'utf8');
    const body = (text: string) => text.replace(/^#.*\n/gm, '');
    expect(body(run.stdout.trimEnd() + '\n')).toBe(body(perCmdlet));
  });

  it('an existing file is not replaced without --force (exit 2)', async () => {
    const out = path.join(temp, 'exists.mxt.yaml');
    await writeFile(out, 'keep me\n');
    const run = await mxt(['import', 'exchange', 'examples/contoso.exchange.json', '--output', out]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('already exists');
    expect(await readFile(out, 'utf8')).toBe('keep me\n');
    const forced = await mxt(['import', 'exchange', 'examples/contoso.exchange.json', '--output', out, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('organization:');
  });

  it('a file that is not JSON is refused at its line and column (exit 1)', async () => {
    const run = await mxt(['import', 'exchange', 'examples/contoso.mxt.yaml']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/examples\/contoso\.mxt\.yaml:1:1 error import-json: .*is not JSON/);
    const broken = path.join(temp, 'Get-SendConnector.json');
    await writeFile(broken, '[\n  { "Name": "To Fabrikam", }\n]\n');
    const syntax = await mxt(['import', 'exchange', broken]);
    expect(syntax.exitCode).toBe(1);
    expect(syntax.stderr).toMatch(/Get-SendConnector\.json:2:28 error import-json/);
    expect(hasStackTrace(syntax.stderr)).toBe(false);
  });

  it('an object no cmdlet is recognised in is refused at its JSON path (exit 1), and nothing is written', async () => {
    const odd = path.join(temp, 'inventory.json');
    await writeFile(odd, '[\n  { "Name": "EX01", "Rack": "B4" }\n]\n');
    const out = path.join(temp, 'never.mxt.yaml');
    const run = await mxt(['import', 'exchange', odd, '--output', out]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/inventory\.json:2:3 error import-unrecognised \[0\]: no Get-… cmdlet/);
    expect(run.stderr).toContain('hint: give the output of Get-<Noun> | ConvertTo-Json');
    await expect(stat(out)).rejects.toThrow();
  });

  it('a dump whose config does not validate is written only with --force, with the findings located in it (exit 1 both ways)', async () => {
    const dump = path.join(temp, 'Get-SendConnector-only.json');
    await writeFile(dump, JSON.stringify([{ Name: 'To Fabrikam', AddressSpaces: ['SMTP:fabrikam.com;1'], SourceTransportServers: ['EX99'], DNSRoutingEnabled: true }], null, 2));
    const out = path.join(temp, 'invalid.mxt.yaml');
    const refused = await mxt(['import', 'exchange', dump, '--output', out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/invalid\.mxt\.yaml:\d+:\d+ error/);
    await expect(stat(out)).rejects.toThrow();
    const forced = await mxt(['import', 'exchange', dump, '--output', out, '--force']);
    expect(forced.exitCode).toBe(1);
    expect(forced.stdout).toMatch(/^wrote /);
    expect(forced.stderr).toMatch(/invalid\.mxt\.yaml:\d+:\d+ error .*EX99/);
    expect(await readFile(out, 'utf8')).toContain('sourceTransportServers: [EX99]');
  });

  it('a UTF-16 dump (Windows PowerShell 5 with >) is read', async () => {
    const utf16 = path.join(temp, 'Get-AcceptedDomain.json');
    const json = JSON.stringify({ DomainName: 'contoso.com', DomainType: 'Authoritative', Default: true, Name: 'contoso.com' });
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    const run = await mxt(['import', 'exchange', utf16]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  - { domainName: contoso.com, domainType: Authoritative, default: true }');
  });
});
