import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt } from '../helpers/cli.js';

const CONFIG = ['--config', 'examples/multi-site.mxt.yaml'];
const SITES = ['London', 'Paris', 'Lyon', 'Berlin'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-graph-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Well-formed enough for a browser: one <svg> root, every opened element closed, in order. */
function assertWellFormedSvg(svg: string): void {
  const body = svg.replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, '').trim();
  expect(body.startsWith('<svg')).toBe(true);
  const stack: string[] = [];
  for (const [, close, name, selfClosing] of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)(?:\s[^>]*?)?(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('mxt graph (built CLI)', () => {
  it('--format svg writes well-formed SVG naming every site', async () => {
    const r = await mxt(['graph', ...CONFIG, '--format', 'svg']);
    expect(r.exitCode, r.stderr).toBe(0);
    assertWellFormedSvg(r.stdout);
    for (const site of SITES) expect(r.stdout).toContain(`>${site}</text>`);
    expect(r.stdout).toContain('DAG01');
    expect(r.stdout).toContain('To Fabrikam');
  });

  it('the default format is Mermaid; --output writes the file', async () => {
    const out = path.join(dir, 'topology.mmd');
    const r = await mxt(['graph', ...CONFIG, '--output', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('flowchart LR');
    for (const site of SITES) expect(text).toMatch(new RegExp(`subgraph site_\\d+\\["${site}`));
  });

  it('--format dot prints a digraph', async () => {
    const r = await mxt(['graph', ...CONFIG, '--format', 'dot']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('digraph topology {')).toBe(true);
  });

  it('R81/R93 --route-from/--route-to highlight the planned route', async () => {
    const r = await mxt(['graph', ...CONFIG, '--format', 'svg', '--route-from', 'BER-EX01', '--route-to', 'someone@fabrikam.com']);
    expect(r.exitCode, r.stderr).toBe(0);
    assertWellFormedSvg(r.stdout);
    expect(r.stdout).toContain('someone@fabrikam.com from BER&#45;EX01: via To Fabrikam');
    expect(r.stdout).toContain('#d62728');
    const mermaid = await mxt(['graph', ...CONFIG, '--route-from', 'BER-EX01', '--route-to', 'someone@fabrikam.com']);
    expect(mermaid.stdout).toMatch(/linkStyle [\d,]+ stroke:#d62728/);
  });

  it('usage errors exit 2 without a stack trace', async () => {
    const half = await mxt(['graph', ...CONFIG, '--route-from', 'BER-EX01']);
    expect(half.exitCode).toBe(2);
    expect(half.stderr).toContain('--route-to');
    const unknown = await mxt(['graph', ...CONFIG, '--route-from', 'NOPE', '--route-to', 'a@contoso.com']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('NOPE');
    const badFormat = await mxt(['graph', ...CONFIG, '--format', 'png']);
    expect(badFormat.exitCode).toBe(2);
    for (const r of [half, unknown, badFormat]) expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
