/**
 * Issue 8, item 3: every command reads a config (and `route test` its assertion file) through the
 * same reader with the same limits, and every error it meets carries file:line:col. Before, an
 * edit re-read the file with guards of its own (no binary check, no depth or size limit) and
 * `route test` read anything: a FIFO hung it, /dev/zero ate 600 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, readConfigText, readDocument } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-one-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'package.json'), '{}\n');
const at = (name: string) => path.join(dir, name);

execFileSync('mkfifo', [at('fifo.yaml')]);
writeFileSync(at('binary.yaml'), 'sites:\n  - { name: "P\u0000ris" }\n');
writeFileSync(at('deep.yaml'), `sites: ${'['.repeat(200)}${']'.repeat(200)}\n`);
// "Billion laughs": 10^11 strings if every alias were expanded.
writeFileSync(
  at('bomb.yaml'),
  ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 11 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`), 'sites: *a11', ''].join('\n'),
);
writeFileSync(at('syntax.yaml'), 'sites:\n  - { name: Paris\nservers: []\n');
writeFileSync(at('big.yaml'), '');
truncateSync(at('big.yaml'), MAX_CONFIG_BYTES + 1); // sparse: the size is refused before a byte is read

const CASES: { file: string; rule: string; line: number; message: RegExp }[] = [
  { file: at('fifo.yaml'), rule: 'config-io', line: 1, message: /not a regular file \(a named pipe\)/ },
  { file: '/dev/zero', rule: 'config-io', line: 1, message: /not a regular file \(a device\)/ },
  { file: at('big.yaml'), rule: 'config-io', line: 1, message: /above the 8388608 bytes/ },
  { file: at('binary.yaml'), rule: 'yaml-syntax', line: 1, message: /not text \(binary data\)/ },
  { file: at('deep.yaml'), rule: 'schema-type', line: 1, message: /nested more than 64 levels/ },
  { file: at('bomb.yaml'), rule: 'yaml-syntax', line: 1, message: /alias/i },
  { file: at('syntax.yaml'), rule: 'yaml-syntax', line: 3, message: /Flow map/ },
];

const COMMANDS: { name: string; args: (file: string) => string[] }[] = [
  { name: 'validate', args: (file) => ['validate', '--config', file, '--format', 'text'] },
  { name: 'site add (an edit)', args: (file) => ['site', 'add', 'Nice', '--config', file] },
  { name: 'route test', args: (file) => ['route', 'test', file, '--config', path.join(ROOT, 'examples/multi-site.mxt.yaml')] },
];

describe('one reader, one set of limits, located errors (issue 8, item 3)', () => {
  for (const c of CASES) {
    for (const command of COMMANDS) {
      it(`${command.name} on ${path.basename(c.file)}: ${c.rule} at file:${c.line}:col, exit 1 or 2, no hang, no stack trace`, async () => {
        const r = await mxt(command.args(c.file), { cwd: dir, timeout: 20_000 });
        const shown = path.isAbsolute(c.file) && !c.file.startsWith(dir) ? c.file : path.basename(c.file);
        expect([1, 2]).toContain(r.exitCode);
        const output = r.stdout + r.stderr;
        expect(output).toMatch(new RegExp(`${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${c.line}:\\d+ error ${c.rule}`));
        expect(output).toMatch(c.message);
        expect(hasStackTrace(output)).toBe(false);
      });
    }
  }

  it('a symlink to a device is refused like the device; a text from elsewhere (a git revision) gets the size limit too', async () => {
    symlinkSync('/dev/zero', at('zero-link.yaml'));
    const error = await readConfigText(at('zero-link.yaml'), 'zero-link.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).findings[0]).toMatchObject({ ruleId: 'config-io', location: { file: 'zero-link.yaml', line: 1, column: 1 } });
    expect((error as ConfigError).exitCode).toBe(2);
    const read = readDocument(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`, 'HEAD:mxt.config.yaml');
    expect(read.data).toBeUndefined();
    expect(read.findings[0]).toMatchObject({ ruleId: 'config-io', location: { file: 'HEAD:mxt.config.yaml', line: 1 } });
  });

  it('an edit on a file with a YAML error points at the line, and leaves the file alone', async () => {
    const r = await mxt(['server', 'remove', 'EX01', '--config', 'syntax.yaml'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^syntax\.yaml:3:1 error yaml-syntax/m);
  });

  it('a route test file with a bad case: the entry located in that file', async () => {
    writeFileSync(at('bad.routes.yaml'), 'tests:\n  - { from: EX01, to: a@contoso.com, expect: { status: routed } }\n  - { from: EX01, to: b@contoso.com, size: huge, expect: { status: routed } }\n  - { from: EX01, expect: {}, bogus: 1 }\n');
    const r = await mxt(['route', 'test', 'bad.routes.yaml', '--config', path.join(ROOT, 'examples/multi-site.mxt.yaml')], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^bad\.routes\.yaml:4:\d+ error schema-required tests\[2\]\.to/m);
    expect(r.stderr).toMatch(/^bad\.routes\.yaml:4:\d+ error schema-unknown-key tests\[2\]\.bogus/m);
    writeFileSync(at('size.routes.yaml'), 'tests:\n  - { from: EX01, to: b@contoso.com, size: huge, expect: { status: routed } }\n');
    const size = await mxt(['route', 'test', 'size.routes.yaml', '--config', path.join(ROOT, 'examples/multi-site.mxt.yaml')], { cwd: dir });
    expect(size.stderr).toMatch(/^size\.routes\.yaml:2:\d+ error schema-type tests\[0\]\.size/m);
  });
});
