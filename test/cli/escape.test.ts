/**
 * Escaping on every text output (issue 8 item 5): names holding ESC[2J, CR, C1 controls, bidi
 * overrides and zero-width characters never reach the terminal raw. Through the CLI (as far as the
 * loader lets such names through: where it refuses them, its error quotes them and must be escaped
 * too) and through each text renderer directly.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { escapeDeep, jsonSafe, visible } from '../../src/cli/render/escape.js';
import { renderDiff, renderEntry, renderEntryList } from '../../src/cli/render/edit-text.js';
import { renderFindingsText } from '../../src/cli/render/findings-text.js';
import { renderGraph } from '../../src/cli/render/graph.js';
import { renderInbound } from '../../src/cli/render/inbound.js';
import { renderRoutePlan } from '../../src/cli/render/route-plan.js';
import { renderRouteTable } from '../../src/cli/render/route-table.js';
import { renderYaml } from '../../src/cli/render/yaml-text.js';
import { renderValidation } from '../../src/cli/render/validation.js';
import { routesOf } from '../../src/app/route-table.js';
import { SITE } from '../../src/core/edit/kinds.js';
import { buildTopologyGraph } from '../../src/core/graph/model.js';
import type { Topology } from '../../src/core/model/topology.js';
import { evaluateInboundSession } from '../../src/core/policy/inbound-session.js';
import { planRoute } from '../../src/core/route/index.js';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';
import { topology } from '../helpers/topology.js';

/** ESC[2J (clear screen), CR, an 8-bit CSI (C1) with its parameter, RLO and LRI (bidi), a zero-width space. */
const H = '\x1b[2J\r\x9b2J\u202e\u2066\u200b';
/** Any character of these classes, except the newline and tab that structure the output. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}](?<![\n\t])/u;

/** Where the first raw control character is, or undefined. */
function rawControl(text: string, label: string): string | undefined {
  const m = RAW.exec(text);
  return m ? `${label}: raw U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}` : undefined;
}

function expectNoRawControl(text: string, label: string): void {
  expect(rawControl(text, label)).toBeUndefined();
}

const NAMES = ['Contoso', 'Paris', 'Lyon', 'Nice', 'Paris-Lyon', 'Lyon-Nice', 'EX01', 'EX02', 'EDGE01', 'DAG1', 'DB01', 'To Fabrikam', 'App relay EX01'];

/** Every string equal to one of NAMES gets the hostile suffix: every name kind, and every reference to it. */
function taint(value: unknown): unknown {
  if (typeof value === 'string') return NAMES.includes(value) ? value + H : value;
  if (Array.isArray(value)) return value.map(taint);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, taint(v)]));
  return value;
}

describe('visible / jsonSafe', () => {
  it('shows each unsafe character as an escape and leaves other text alone', () => {
    expect(visible(`EX01${H}`)).toBe('EX01\\x1b[2J\\x0d\\x9b2J\\u{202e}\\u{2066}\\u{200b}');
    expect(visible('Zürich — 東京 ✔')).toBe('Zürich — 東京 ✔');
    expect(visible('a\nb\tc\u2028d\u{e0001}')).toBe('a\\x0ab\\x09c\\u{2028}d\\u{e0001}');
  });

  it('jsonSafe keeps JSON meaning the same and keeps only SGR colour sequences when colouring', () => {
    const json = JSON.stringify({ name: `EX01${H}` }, null, 2);
    const safe = jsonSafe(json, false);
    expectNoRawControl(safe, 'json');
    expect(JSON.parse(safe)).toEqual({ name: `EX01${H}` });
    expect(jsonSafe('\x1b[31mred\x1b[39m \x1b[2J', true)).toBe('\x1b[31mred\x1b[39m \\u001b[2J');
    expect(jsonSafe('\x1b[31mred\x1b[39m', false)).toBe('\\u001b[31mred\\u001b[39m');
  });

  it('escapeDeep copies plain data with every string escaped, keeps shared parts shared and cycles finite', () => {
    const shared = { name: `S${H}` };
    const data: Record<string, unknown> = { a: shared, b: [shared, 1, Infinity, null], m: new Map([['k', 'v']]) };
    data.self = data;
    const out = escapeDeep(data) as typeof data & { a: { name: string }; b: unknown[] };
    expect(out.a.name).toBe(visible(`S${H}`));
    expect(out.b[0]).toBe(out.a);
    expect(out.self).toBe(out);
    expect(out.m).toBe(data.m);
    expect(shared.name).toBe(`S${H}`);
  });
});

describe('text renderers, given hostile names directly', () => {
  // Tainted after the schema (which may refuse such names): the renderers must hold on their own.
  const t = taint(topology(parse(readFileSync(path.join(ROOT, 'examples/contoso.mxt.yaml'), 'utf8')) as never)) as Topology;

  it('route plan (hops, queues line), route table', () => {
    const plan = planRoute(t, { from: `EX01${H}`, recipients: ['alice@contoso.com', 'bob@fabrikam.com', `x${H}@contoso.com`], down: [] });
    const text = renderRoutePlan('text', plan, 0);
    expect(text).toContain(visible(`EX01${H}`));
    expect(text).toContain('queues on');
    expectNoRawControl(text, 'route plan');
    const table = renderRouteTable('text', { version: 1, file: `f${H}`, servers: routesOf(t) }, 0);
    expect(table).toContain(visible(`EDGE01${H}`));
    expectNoRawControl(table, 'route table');
  });

  it('route inbound', () => {
    const e = evaluateInboundSession(t, { server: `EX01${H}`, remoteAddress: '10.1.5.9', port: 25, auth: 'none', sender: '', recipients: ['alice@contoso.com'] });
    const text = renderInbound('text', e, 0);
    expect(text).toContain(visible(`App relay EX01${H}`));
    expectNoRawControl(text, 'route inbound');
  });

  it('graph: mermaid and dot; Graphviz itself reads the DOT (svg)', async () => {
    const graph = buildTopologyGraph(t);
    const svg = await renderGraph('svg', graph);
    expect(svg).toContain('<svg');
    expect(svg).toContain('EX01\\x1b[2J');
    for (const format of ['mermaid', 'dot']) {
      const text = await renderGraph(format, graph);
      expectNoRawControl(text, format);
      // DOT doubles the backslashes of the escapes; Mermaid takes them as they are.
      expect(text).toContain(format === 'dot' ? visible(`Paris${H}`).replace(/\\/g, '\\\\') : visible(`Paris${H}`));
    }
  });

  it('findings (message, hint, path, code frame with the caret under the right character), list, show, diff, YAML', () => {
    const source = `sites:\n  - { name: "Paris${H}", bad: 1 }\n`;
    const column = source.split('\n')[1]!.indexOf('bad') + 1;
    const text = renderFindingsText(
      [{ ruleId: 'schema-key', severity: 'error', path: ['sites', 0, `bad${H}`], message: `unknown key in "Paris${H}"`, hint: `did you mean ${H}?`, location: { file: `f${H}.yaml`, line: 2, column } }],
      new Map([[`f${H}.yaml`, source]]),
      0,
    );
    expectNoRawControl(text, 'findings');
    const lines = text.split('\n');
    const frame = lines.find((l) => l.includes('| ') && l.includes('bad:'))!;
    const caret = lines[lines.indexOf(frame) + 1]!;
    expect(frame[caret.indexOf('^')]).toBe('b');
    const validation = renderValidation('text', { version: 1, file: `f${H}.yaml`, valid: false, errorCount: 0, warningCount: 0, findings: [], sources: new Map() } as never, 0);
    expectNoRawControl(validation, 'validate text');
    expectNoRawControl(renderEntryList([{ kind: SITE, entry: { name: `Paris${H}`, hubSiteEnabled: true } }], 0), 'list');
    expectNoRawControl(renderEntry({ name: `Paris${H}`, [`key${H}`]: { nested: `v${H}` } }), 'show');
    expectNoRawControl(renderDiff(`--- a/f\r\n+++ b/f\r\n+  - { name: "Paris${H}" }\r\n`, 0), 'diff');
    const yaml = renderYaml({ sites: [{ name: `Paris${H}` }], [`k${H}`]: 'plain' });
    expectNoRawControl(yaml, 'show yaml');
    expect(parse(yaml)).toEqual({ sites: [{ name: `Paris${H}` }], [`k${H}`]: 'plain' });
  });
});

describe('every text output of the CLI, on a config whose every name is hostile', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mxt-escape-'));
    file = path.join(dir, 'mxt.config.yaml');
    const value = taint(parse(await readFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), 'utf8')));
    await writeFile(file, stringify(value, { lineWidth: 0 }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ex01 = `EX01${H}`;
  const commands: string[][] = [
    ['validate', '--format', 'text'],
    ['validate', '--format', 'github'],
    ['show', '--format', 'yaml'],
    ['show', 'effective', '--format', 'yaml'],
    ['show', '--format', 'json'],
    ['route', 'plan', '--from', ex01, '--to', 'alice@contoso.com', 'bob@fabrikam.com', '--format', 'text'],
    ['route', 'table', '--format', 'text'],
    ['route', 'inbound', '--server', ex01, '--remote-ip', '10.1.5.9', '--to', 'alice@contoso.com', '--format', 'text'],
    ['graph', '--format', 'mermaid'],
    ['graph', '--format', 'dot'],
    ['graph', '--format', 'mermaid', '--route-from', ex01, '--route-to', 'bob@fabrikam.com'],
    ...['site', 'sitelink', 'server', 'dag', 'database', 'domain', 'connector'].map((k) => [k, 'list', '--format', 'text']),
    ['site', 'show', `Paris${H}`, '--format', 'text'],
    ['server', 'show', ex01, '--format', 'text'],
    ['connector', 'show', `To Fabrikam${H}`, '--format', 'text'],
    ['connector', 'show', `App relay EX01${H}`, '--server', ex01, '--format', 'text'],
    // error hints quoting the input
    ['server', 'show', `nope${H}`],
    ['site', 'set', `nope${H}`, '--hub-site-enabled', 'true'],
    ['route', 'plan', '--from', `nope${H}`, '--to', `x${H}@contoso.com`],
    ['site', 'list', '--config', `missing${H}.yaml`],
    ['site', 'add', `Marseille${H}`, '--dry-run'],
    ['server', 'set', ex01, '--addresses', '10.1.0.11,10.1.0.12', '--dry-run'],
    ['site', 'remove', `Nice${H}`, '--dry-run'],
  ];

  it(`${commands.length} commands: no raw control character on stdout or stderr, no stack trace`, async () => {
    const names: string[] = [];
    const raw: string[] = [];
    for (const args of commands) {
      const r = await mxt([...args, ...(args.includes('--config') ? [] : ['--config', file])], { cwd: dir });
      const label = args.map((a) => visible(a)).join(' ');
      for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
        const found = rawControl(text!, `${label} (${stream}, exit ${r.exitCode})`);
        if (found) raw.push(found);
      }
      expect(hasStackTrace(r.stderr), `${label}: ${r.stderr}`).toBe(false);
      if (r.stdout.includes(visible(ex01)) || r.stderr.includes(visible(ex01))) names.push(label);
    }
    expect(raw).toEqual([]);
    // The names are there, escaped: the outputs were not just errors.
    expect(names.length).toBeGreaterThan(5);
  }, 120_000);
});
