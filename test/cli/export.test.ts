/**
 * `mxt export powershell` end to end, through the built bin: the script of every example matches its
 * golden file under test/golden/ (review the diff after an intended change:
 * UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/cli/export.test.ts); every
 * line reads back balanced and names only cmdlets and parameters Exchange has; a config that does
 * not validate is refused with where (exit 1), a usage error exits 2. PowerShell itself is not run
 * here (no pwsh, and no Exchange to run it against).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';
import { scriptCommands, unknownNames } from '../helpers/powershell-lines.js';

const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mxt.yaml') && f !== 'broken.mxt.yaml');
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = path.join(ROOT, 'test', 'golden', name);
  if (update || (!existsSync(file) && process.env.CI !== 'true')) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'mxt-export-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe.each(examples)('mxt export powershell --config examples/%s', (example) => {
  it('prints the script of the golden file, every line balanced, every name one Exchange has', async () => {
    const run = await mxt(['export', 'powershell', '--config', `examples/${example}`]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(`mxt: config examples/${example}`);
    const script = `${run.stdout}\n`;
    golden(example.replace(/\.mxt\.yaml$/, '.export.ps1'), script);
    expect(scriptCommands(script).length).toBeGreaterThan(5);
    expect(unknownNames(script)).toEqual([]);
    expect(script).not.toMatch(/\r|\t/);
  });
});

describe('mxt export powershell', () => {
  it('writes the script to --output, the same text as on standard output', async () => {
    const file = path.join(temp, 'contoso.ps1');
    const run = await mxt(['export', 'powershell', '--config', 'examples/contoso.mxt.yaml', '--output', file]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`mxt: wrote ${file}`);
    expect(await readFile(file, 'utf8')).toBe(readFileSync(path.join(ROOT, 'test', 'golden', 'contoso.export.ps1'), 'utf8'));
  });

  it('prints the same script as it writes, names with quotes and invisible characters included', async () => {
    const config = path.join(temp, 'names.mxt.yaml');
    writeFileSync(
      config,
      [
        'sites: [{ name: "Saint-Étienne d\'en Haut", hubSiteEnabled: true }]',
        'servers: [{ name: EX01, site: "Saint-Étienne d\'en Haut" }]',
        'acceptedDomains: [{ domainName: contoso.com, default: true }]',
        'sendConnectors:',
        '  - { name: "Bob’s \\u200Drelay", addressSpaces: ["*"], sourceTransportServers: [EX01], comment: "RTL \\u202E here" }',
        '',
      ].join('\n'),
    );
    const printed = await mxt(['export', 'powershell', '--config', config]);
    const file = path.join(temp, 'names.ps1');
    const written = await mxt(['export', 'powershell', '--config', config, '--output', file]);
    expect([printed.exitCode, written.exitCode]).toEqual([0, 0]);
    expect(`${printed.stdout}\n`).toBe(await readFile(file, 'utf8'));
    expect(printed.stdout).toContain("Set-AdSite -Identity 'Saint-Étienne d''en Haut' -HubSiteEnabled $true");
    expect(printed.stdout).toContain("New-SendConnector -Name ('Bob’’s ' + [char]0x200D + 'relay') -AddressSpaces 'SMTP:*;1'");
    expect(printed.stdout).toContain("-Comment ('RTL ' + [char]0x202E + ' here')");
    expect(unknownNames(printed.stdout)).toEqual([]);
  });

  it('refuses a config that does not validate, with where (exit 1), and writes nothing', async () => {
    const file = path.join(temp, 'broken.ps1');
    const run = await mxt(['export', 'powershell', '--config', 'examples/broken.mxt.yaml', '--output', file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/examples\/broken\.mxt\.yaml:\d+:\d+/);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    [['export', 'powershell', '--bogus']],
    [['export', 'powershell', 'extra']],
    [['export', 'powershell', '--output', '']],
    [['export', 'powershell', '--output']],
    [['export', 'bash']],
    [['export', 'powershell', '--config', 'no-such.mxt.yaml']],
  ])('exits 2 on a usage or I/O error: mxt %j', async (args) => {
    const run = await mxt(args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
