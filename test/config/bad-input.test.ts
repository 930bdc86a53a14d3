/**
 * Hostile and broken config files through the built CLI (`mxt validate --config F`): each one ends
 * with exit 1 (the content is wrong) or 2 (the file cannot be read), a finding located at
 * file:line:col, and never a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  writeFileSync(path.join(dir, name), content);
  return name;
}

/** Runs `mxt validate` in the temp dir; returns the combined output for assertions. */
async function validate(name: string, format = 'text') {
  const result = await mxt(['validate', '--config', name, '--format', format], { cwd: dir });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(hasStackTrace(output), output).toBe(false);
  expect(output).not.toMatch(/internal error/);
  return { ...result, output };
}

/** `name:line:col` for the file, with line and column ≥ 1. */
function located(output: string, name: string): { line: number; col: number }[] {
  const re = new RegExp(`${name.replace(/\./g, '\\.')}:(\\d+):(\\d+)`, 'g');
  return [...output.matchAll(re)].map((m) => ({ line: Number(m[1]), col: Number(m[2]) })).filter((p) => p.line >= 1 && p.col >= 1);
}

const sitesOf = (n: number) => ['sites:', ...Array.from({ length: n }, (_, i) => `  - name: Site${String(i).padStart(7, '0')}`)].join('\n');

describe('bad input to mxt validate', () => {
  it('config-io: a missing file exits 2 with a located error', async () => {
    const r = await validate('no-such-file.yaml');
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/no such file/);
    expect(located(r.output, 'no-such-file.yaml').length).toBeGreaterThan(0);
  });

  it('config-io: a directory given as --config exits 2', async () => {
    const r = await validate('.');
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/is not a regular file \(a directory\)/);
  });

  it('config-empty: an empty file exits 1', async () => {
    const r = await validate(file('empty.yaml', ''));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/config-empty/);
    expect(located(r.output, 'empty.yaml')).toContainEqual({ line: 1, col: 1 });
  });

  it('config-empty: a file holding only comments exits 1', async () => {
    const r = await validate(file('comments.yaml', '# nothing here yet\n# really\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/config-empty/);
  });

  it('yaml-syntax: binary garbage exits 1 as "not text"', async () => {
    // A fixed byte pattern (no randomness): every byte value, twice.
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    const r = await validate(file('garbage.yaml', bytes));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/yaml-syntax.*not text/);
    expect(located(r.output, 'garbage.yaml').length).toBeGreaterThan(0);
  });

  it('yaml-syntax: an unclosed flow sequence is reported at its line and column', async () => {
    const r = await validate(file('syntax.yaml', 'sites:\n  - name: [Paris\nservers:\n  - name: EX01\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/yaml-syntax/);
    expect(located(r.output, 'syntax.yaml').some((p) => p.line >= 2)).toBe(true);
  });

  it('yaml-syntax: a tab used as indentation is reported with a hint', async () => {
    const r = await validate(file('tabs.yaml', 'sites:\n\t- name: Paris\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/yaml-syntax/);
    expect(r.output).toMatch(/hint:/);
    expect(located(r.output, 'tabs.yaml').some((p) => p.line === 2)).toBe(true);
  });

  it('yaml-syntax: a duplicate key is reported at the second occurrence', async () => {
    const r = await validate(file('dup.yaml', 'sites:\n  - name: Paris\nsites:\n  - name: Lyon\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/unique/);
    expect(located(r.output, 'dup.yaml')).toContainEqual({ line: 3, col: 1 });
  });

  it('yaml-syntax: a duplicate key inside a list entry is reported too', async () => {
    const r = await validate(file('dup2.yaml', 'servers:\n  - name: EX01\n    role: Mailbox\n    role: Edge\n'));
    expect(r.exitCode).toBe(1);
    expect(located(r.output, 'dup2.yaml')).toContainEqual({ line: 4, col: 5 });
  });

  it('schema-type: wrong types name what was expected and what was written, at the value', async () => {
    const r = await validate(file('types.yaml', 'sites: 5\nservers:\n  - name: EX01\n    site: 7\n    addresses: yes\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/sites: expected a list, got number 5/);
    expect(r.output).toMatch(/addresses: expected a list, got string "yes"/);
    expect(r.output).not.toMatch(/sites is required/);
    expect(located(r.output, 'types.yaml')).toEqual(expect.arrayContaining([{ line: 1, col: 8 }, { line: 4, col: 11 }, { line: 5, col: 16 }]));
  });

  it('schema-type: a union names every accepted form, or the error inside the mapping it matched', async () => {
    const r = await validate(file('unions.yaml', 'organization:\n  maxRecipientEnvelopeLimit: lots\nsendConnectors:\n  - name: X\n    addressSpaces: [{ address: 5 }]\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/maxRecipientEnvelopeLimit: expected number or "unlimited", got string "lots"/);
    expect(r.output).toMatch(/addressSpaces\[0\]\.address: address: expected string, got number 5/);
    expect(located(r.output, 'unions.yaml')).toEqual(expect.arrayContaining([{ line: 2, col: 30 }, { line: 5, col: 32 }]));
  });

  it('schema-type: a list or a scalar at the top level exits 1', async () => {
    for (const [name, text] of [['list.yaml', '- a\n- b\n'], ['scalar.yaml', 'just some words\n']] as const) {
      const r = await validate(file(name, text));
      expect(r.exitCode).toBe(1);
      expect(r.output).toMatch(/must be a mapping/);
      expect(located(r.output, name).length).toBeGreaterThan(0);
    }
  });

  it('schema-required: a missing required key is reported at the entry that lacks it', async () => {
    const r = await validate(file('required.yaml', 'sites:\n  - hubSiteEnabled: true\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/schema-required sites\[0\]\.name/);
    expect(located(r.output, 'required.yaml').some((p) => p.line === 2)).toBe(true);
  });

  it('schema-unknown-key: a misspelt key gets "did you mean" and points at the key', async () => {
    const r = await validate(file('unknown.yaml', 'sites:\n  - name: Paris\n    hubSiteEnabld: true\nsendConectors: []\n'));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/unknown key "hubSiteEnabld".*did you mean "hubSiteEnabled"\?/);
    expect(r.output).toMatch(/unknown key "sendConectors".*did you mean "sendConnectors"\?/);
    expect(located(r.output, 'unknown.yaml')).toEqual(expect.arrayContaining([{ line: 3, col: 5 }, { line: 4, col: 1 }]));
  });

  it('config-io: a 10 MB file is refused before parsing, exit 2', async () => {
    const text = sitesOf(420_000);
    expect(text.length).toBeGreaterThan(9_000_000);
    const r = await validate(file('huge.yaml', text));
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/config-io.*bytes/);
    expect(located(r.output, 'huge.yaml')).toContainEqual({ line: 1, col: 1 });
  });

  it('yaml-syntax: 10,000 nested flow lists exit 1 as nested too deeply', async () => {
    const r = await validate(file('deep-lists.yaml', `sites: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/nested too deeply/);
    expect(located(r.output, 'deep-lists.yaml').length).toBeGreaterThan(0);
  });

  it('yaml-syntax: 10,000 nested flow maps exit 1 as nested too deeply', async () => {
    const r = await validate(file('deep-maps.yaml', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/nested too deeply/);
    expect(located(r.output, 'deep-maps.yaml').length).toBeGreaterThan(0);
  });

  it('yaml-syntax: 3,000 nested block mappings exit 1 (10,000 would pass the size limit: indentation grows)', async () => {
    const text = Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const r = await validate(file('deep-block.yaml', `${text} 1\n`));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/nested/);
    expect(located(r.output, 'deep-block.yaml').length).toBeGreaterThan(0);
  });

  it('schema-type: nesting the parser can read but no topology has (100 levels) is refused at the entry', async () => {
    const r = await validate(file('deep-100.yaml', `sites:\n  - name: ${'['.repeat(100)}${']'.repeat(100)}\n`));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/nested more than 64 levels/);
    expect(located(r.output, 'deep-100.yaml').some((p) => p.line === 2)).toBe(true);
  });

  it('yaml-syntax: an alias bomb ("billion laughs") is stopped, exit 1', async () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      text += `${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]\n`;
    }
    const r = await validate(file('bomb.yaml', text));
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/alias|resource/i);
    expect(located(r.output, 'bomb.yaml').length).toBeGreaterThan(0);
  });

  it('yaml-syntax: several YAML documents in one file exit 1', async () => {
    const r = await validate(file('multi.yaml', 'sites: []\n---\nsites: []\n'));
    expect(r.exitCode).toBe(1);
    expect(located(r.output, 'multi.yaml').length).toBeGreaterThan(0);
  });

  it('bad input stays a located finding in --format json too', async () => {
    const r = await validate(file('types-json.yaml', 'sites: 5\n'), 'json');
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout) as { valid: boolean; findings: { ruleId: string; where: string }[] };
    expect(json.valid).toBe(false);
    expect(json.findings[0]).toMatchObject({ ruleId: 'schema-type', where: 'types-json.yaml:1:8' });
  });
});
