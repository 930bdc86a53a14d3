/**
 * `mxt validate` output formats, exit codes and config discovery, through the built CLI: every
 * format CI systems read (text, json, sarif, junit, github) over the same findings.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, hasStackTrace, mxt } from '../helpers/cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'mxt-validate-formats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dirWith(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

/** A schema error (unknown key, line 3 col 5) with a hint; the "<&>" checks escaping in XML. */
const SCHEMA_ERROR = 'sites:\n  - name: Paris\n    hubSiteEnabld: true\n  - name: "Lyon <&> \\"Nice\\""\n';

/** V41 error (no default domain, line 7) and V4 warning (Lyon unreachable from Paris, line 3). */
const ERROR_AND_WARNING = `sites:
  - name: Paris
  - name: Lyon
servers:
  - { name: EX01, role: Mailbox, site: Paris }
  - { name: EX02, role: Mailbox, site: Lyon }
acceptedDomains:
  - { domainName: contoso.com }
`;

/** Only the V4 warning. */
const WARNING_ONLY = ERROR_AND_WARNING.replace('{ domainName: contoso.com }', '{ domainName: contoso.com, default: true }');

const VALID = `sites:
  - name: Paris
servers:
  - { name: EX01, role: Mailbox, site: Paris }
acceptedDomains:
  - { domainName: contoso.com, default: true }
`;

const dir = dirWith('configs', { 'schema.yaml': SCHEMA_ERROR, 'mixed.yaml': ERROR_AND_WARNING, 'warn.yaml': WARNING_ONLY, 'valid.yaml': VALID });

async function validate(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await mxt(['validate', ...args], { cwd: options.cwd ?? dir, env: options.env });
  expect(hasStackTrace(`${r.stdout}\n${r.stderr}`)).toBe(false);
  return r;
}

/**
 * Runs mxt on a real terminal (a detached tmux session on a private socket) and returns the screen
 * once the command has finished.
 */
async function onTerminal(args: string[]): Promise<string> {
  const socket = `mxt-validate-formats-${process.pid}`;
  const tmux = (...a: string[]) => execa('tmux', ['-L', socket, '-f', '/dev/null', ...a], { reject: false });
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  await tmux('new-session', '-d', '-x', '160', '-y', '50', '-c', dir, `env NO_COLOR=1 ${quoted}; echo EXIT=$?; sleep 30`);
  try {
    for (let i = 0; i < 100; i++) {
      const screen = (await tmux('capture-pane', '-p', '-S', '-50')).stdout;
      if (/EXIT=\d+/.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('mxt did not finish on the terminal');
  } finally {
    await tmux('kill-server');
  }
}

describe('mxt validate --format text', () => {
  it('shows file:line:col, severity, rule id, the source line with a caret under the column, and the hint', async () => {
    const r = await validate(['--config', 'schema.yaml', '--format', 'text']);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('schema.yaml:3:5 error schema-unknown-key'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at]).toMatch(/did you mean "hubSiteEnabled"\?/);
    expect(lines[at + 1]).toBe('    3 |     hubSiteEnabld: true');
    expect(lines[at + 2]).toBe('      |     ^');
    expect(lines[at + 3]).toBe('  hint: rename it to "hubSiteEnabled"');
    // The file has no accepted domain either: V41 is reported in the same run (issue 8, item 1).
    expect(r.stdout).toMatch(/^schema\.yaml:1:1 error V41 /m);
    expect(r.stdout).toMatch(/✖ schema\.yaml: 2 errors, 0 warnings: invalid/);
  });

  it('NO_COLOR: no ANSI escapes at all', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'text'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/V41/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('FORCE_COLOR=1 colours the output even through a pipe', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'text'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/\u001b\[31m/); // red "error" / caret
    expect(r.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/mixed\.yaml:7:1 error V41/);
  });

  it('a valid config prints one summary line and exits 0', async () => {
    const r = await validate(['--config', 'valid.yaml', '--format', 'text']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('✔ valid.yaml: 0 errors, 0 warnings: valid');
  });

  it('is the default on a terminal, JSON when piped (product.md)', async () => {
    const r = await validate(['--config', 'mixed.yaml']);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false });
    const screen = await onTerminal(['validate', '--config', 'mixed.yaml']);
    expect(screen).toMatch(/mixed\.yaml:7:1 error V41/);
    expect(screen).toMatch(/✖ mixed\.yaml: 1 error, 1 warning: invalid/);
    expect(screen).toMatch(/EXIT=1/);
  });
});

describe('mxt validate --format json', () => {
  it('has version, file, valid, counts, and findings with rule id, severity, path, message, hint, location, where', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'json']);
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ version: 1, file: 'mixed.yaml', valid: false, errorCount: 1, warningCount: 1 });
    expect(json.findings).toHaveLength(2);
    const v41 = json.findings.find((f: { ruleId: string }) => f.ruleId === 'V41');
    expect(v41).toMatchObject({ severity: 'error', path: 'acceptedDomains', pathSegments: ['acceptedDomains'], where: 'mixed.yaml:7:1', location: { file: 'mixed.yaml', line: 7, column: 1 } });
    expect(typeof v41.message).toBe('string');
    expect(typeof v41.hint).toBe('string');
    const v4 = json.findings.find((f: { ruleId: string }) => f.ruleId === 'V4');
    expect(v4).toMatchObject({ severity: 'warning', path: 'sites[1]', where: 'mixed.yaml:3:5' });
  });
});

describe('mxt validate --format sarif', () => {
  it('is SARIF 2.1.0: one run, driver rules for every result, results with ruleId, level and a located region', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'sarif']);
    expect(r.exitCode).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('mxt');
    const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['V4', 'V41']));
    expect(run.results).toHaveLength(2);
    for (const result of run.results) {
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(['error', 'warning']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe('mixed.yaml');
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
    const v41 = run.results.find((x: { ruleId: string }) => x.ruleId === 'V41');
    expect(v41).toMatchObject({ level: 'error', locations: [{ physicalLocation: { region: { startLine: 7, startColumn: 1 } } }] });
    expect(run.results.find((x: { ruleId: string }) => x.ruleId === 'V4')).toMatchObject({ level: 'warning' });
  });

  it('artifact URIs are percent-encoded relative paths (GitHub code scanning resolves them from the repository root)', async () => {
    dirWith('configs/with space', { 'odd,name.yaml': ERROR_AND_WARNING });
    const r = await validate(['--config', 'with space/odd,name.yaml', '--format', 'sarif']);
    const uris = JSON.parse(r.stdout).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(new Set(uris)).toEqual(new Set(['with%20space/odd,name.yaml']));
    const github = await validate(['--config', 'with space/odd,name.yaml', '--format', 'github']);
    expect(github.stdout).toMatch(/^::error file=with space\/odd%2Cname\.yaml,line=7,col=1,/m);
  });

  it('a valid config gives one run with no results', async () => {
    const r = await validate(['--config', 'valid.yaml', '--format', 'sarif']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
  });
});

/** A small well-formedness check: balanced, properly nested tags and only known entities. */
function elements(xml: string): { name: string; attrs: Record<string, string>; text: string }[] {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  const found: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(tag)) {
    const [, close, name, attrText, selfClose, text, stray] = m;
    expect(stray, `stray "<" in ${body.slice(m.index, m.index + 40)}`).toBeUndefined();
    if (text !== undefined) {
      if (stack.length === 0) expect(text.trim()).toBe('');
      for (const entity of text.match(/&[^;\s]*;?/g) ?? []) expect(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']).toContain(entity);
      if (found.length > 0) found[found.length - 1]!.text += text;
      continue;
    }
    if (close) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    const attrs = Object.fromEntries([...(attrText ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    for (const value of Object.values(attrs)) for (const entity of value.match(/&[^;\s]*;?/g) ?? []) expect(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']).toContain(entity);
    found.push({ name: name!, attrs, text: '' });
    if (!selfClose) stack.push(name!);
  }
  expect(stack).toEqual([]);
  return found;
}

describe('mxt validate --format junit', () => {
  it('is well-formed XML: a suite whose failures are the errors, each a testcase with a <failure>', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'junit']);
    expect(r.exitCode).toBe(1);
    const els = elements(r.stdout);
    expect(els[0]).toMatchObject({ name: 'testsuites', attrs: { tests: '2', failures: '1' } });
    const cases = els.filter((e) => e.name === 'testcase');
    expect(cases).toHaveLength(2);
    expect(els.filter((e) => e.name === 'failure')).toHaveLength(1);
    expect(els.find((e) => e.name === 'failure')!.attrs.type).toBe('V41');
    expect(els.find((e) => e.name === 'testsuite')!.attrs.failures).toBe('1');
  });

  it('escapes <, &, > and quotes from the config', async () => {
    const r = await validate(['--config', 'schema.yaml', '--format', 'junit']);
    expect(r.exitCode).toBe(1);
    elements(r.stdout);
    expect(r.stdout).toMatch(/schema-unknown-key/);
  });

  it('--strict turns warnings into failures', async () => {
    const plain = elements((await validate(['--config', 'warn.yaml', '--format', 'junit'])).stdout);
    expect(plain.filter((e) => e.name === 'failure')).toHaveLength(0);
    const strict = elements((await validate(['--config', 'warn.yaml', '--format', 'junit', '--strict'])).stdout);
    expect(strict.filter((e) => e.name === 'failure')).toHaveLength(1);
  });

  it('a valid config is one passing testcase', async () => {
    const els = elements((await validate(['--config', 'valid.yaml', '--format', 'junit'])).stdout);
    expect(els.filter((e) => e.name === 'testcase')).toHaveLength(1);
    expect(els.filter((e) => e.name === 'failure')).toHaveLength(0);
  });
});

describe('mxt validate --format github', () => {
  it('prints one workflow command per finding: ::error / ::warning file=…,line=…,col=…::message', async () => {
    const r = await validate(['--config', 'mixed.yaml', '--format', 'github']);
    expect(r.exitCode).toBe(1);
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(2);
    expect(commands).toContainEqual(expect.stringMatching(/^::error file=mixed\.yaml,line=7,col=1,.*title=mxt V41::no accepted domain/));
    expect(commands).toContainEqual(expect.stringMatching(/^::warning file=mixed\.yaml,line=3,col=5,.*title=mxt V4::/));
    for (const c of commands) expect(c).not.toMatch(/\r|\n/);
  });
});

describe('exit codes', () => {
  it('--strict: warnings alone exit 0, with --strict exit 1', async () => {
    expect((await validate(['--config', 'warn.yaml', '--format', 'json'])).exitCode).toBe(0);
    const strict = await validate(['--config', 'warn.yaml', '--format', 'json', '--strict']);
    expect(strict.exitCode).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ valid: false, errorCount: 0, warningCount: 1 });
  });

  it.each(['text', 'json', 'sarif', 'junit', 'github'])('a missing file exits 2 (--format %s)', async (format) => {
    const r = await validate(['--config', 'missing.yaml', '--format', format]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml:1:1 .*no such file/);
  });

  it('an unknown format is a usage error, exit 2', async () => {
    const r = await validate(['--config', 'valid.yaml', '--format', 'yaml']);
    expect(r.exitCode).toBe(2);
  });
});

// Every discovery test pins its own stop folder (a package.json in its temporary folder), so that a
// stray config elsewhere on the machine cannot change what it finds (issue 8, item 11).
describe('config discovery (cosmiconfig, module name mxt)', () => {
  it('finds mxt.config.yaml in the working directory without --config', async () => {
    const cwd = dirWith('discover-config', { 'package.json': '{}\n', 'mxt.config.yaml': VALID });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'mxt.config.yaml', valid: true });
  });

  it('finds .mxtrc.yaml and locates findings in it', async () => {
    const cwd = dirWith('discover-rc', { 'package.json': '{}\n', '.mxtrc.yaml': ERROR_AND_WARNING });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.file).toBe('.mxtrc.yaml');
    expect(json.findings.map((f: { where: string }) => f.where)).toContain('.mxtrc.yaml:7:1');
  });

  it('a YAML syntax error in a discovered file is a located finding (exit 1), not a failed search', async () => {
    const cwd = dirWith('discover-broken', { 'package.json': '{}\n', '.mxtrc.yaml': 'sites:\n  - name: Paris\n    name: Lyon\n' });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ ruleId: 'yaml-syntax', where: '.mxtrc.yaml:3:5' });
  });

  it('mxt.config.yaml wins over a package.json "mxt" key in the same directory', async () => {
    const cwd = dirWith('discover-both', { 'mxt.config.yaml': VALID, 'package.json': '{ "name": "x", "mxt": { "sites": 5 } }\n' });
    const r = await validate(['--format', 'json'], { cwd });
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'mxt.config.yaml', valid: true });
  });

  it('finds the "mxt" key of package.json, and locations point into package.json', async () => {
    const pkg = `{
  "name": "acme-mail",
  "private": true,
  "mxt": {
    "sites": [
      { "name": "Paris", "hubSiteEnabld": true }
    ]
  }
}
`;
    const cwd = dirWith('discover-package', { 'package.json': pkg });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.file).toBe('package.json');
    // The unknown key, and (issue 8, item 1) the semantic finding beside it: no accepted domain.
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['V41', 'schema-unknown-key']);
    expect(json.findings.find((f: { ruleId: string }) => f.ruleId === 'schema-unknown-key')).toMatchObject({ path: 'sites[0].hubSiteEnabld', where: 'package.json:6:26' });
  });

  it('finds a config in a parent directory', async () => {
    const parent = dirWith('discover-parent', { 'package.json': '{}\n', 'mxt.config.yaml': VALID });
    const cwd = path.join(parent, 'sub', 'dir');
    mkdirSync(cwd, { recursive: true });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).file).toMatch(/mxt\.config\.yaml$/);
  });

  it('no config anywhere: exit 2 with a hint to pass --config', async () => {
    const cwd = dirWith('discover-none', { 'package.json': '{}\n' });
    const r = await validate(['--format', 'json'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no mxt config found/);
    expect(r.stderr).toMatch(/--config/);
  });
});
