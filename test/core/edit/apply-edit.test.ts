/** config/apply-edit.ts: the YAML text keeps what the user wrote outside the lines an edit touches. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyEditToText } from '../../../src/config/apply-edit.js';
import { mergeLines } from '../../../src/config/yaml-merge.js';

const example = readFileSync(new URL('../../../examples/contoso.mxt.yaml', import.meta.url), 'utf8');

function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

describe('applyEditToText', () => {
  it('no changes: byte-identical', () => {
    expect(applyEditToText(example, [])).toBe(example);
  });

  it('appending keeps comments, alignment and flow style, and adds one flow line', () => {
    const after = applyEditToText(example, [{ op: 'append', path: ['sites'], value: { name: 'Marseille', hubSiteEnabled: true } }]);
    expect(changedLines(example, after)).toEqual({ removed: [], added: ['  - { name: Marseille, hubSiteEnabled: true }'] });
    expect(after).toContain('transportService:          # org-wide defaults of Set-TransportService');
    expect(after).toContain('  - name: App relay EX01    # connectors; one listed here under a default\'s name replaces it, and');
  });

  it('setting a key in a flow entry rewrites that line only', () => {
    const after = applyEditToText(example, [{ op: 'set', path: ['siteLinks', 0, 'cost'], value: 20 }]);
    expect(changedLines(example, after)).toEqual({
      removed: ['  - { name: Paris-Lyon, sites: [Paris, Lyon], cost: 10, exchangeCost: 5 }'],
      added: ['  - { name: Paris-Lyon, sites: [Paris, Lyon], cost: 20, exchangeCost: 5 }'],
    });
  });

  it('a new block entry writes scalar lists in flow style and reads back as the value', () => {
    const connector = { name: 'To Internet', addressSpaces: ['SMTP:*;10'], sourceTransportServers: ['EX01', 'EX02'], maxMessageSize: '35MB' };
    const after = applyEditToText(example, [{ op: 'append', path: ['sendConnectors'], value: connector }]);
    expect(parse(after).sendConnectors[1]).toEqual(connector);
    expect(after).toContain('    sourceTransportServers: [EX01, EX02]');
    expect(after.startsWith(example.slice(0, example.indexOf('receiveConnectors:')))).toBe(true);
  });

  it('removing an entry removes its lines and nothing else', () => {
    const after = applyEditToText(example, [{ op: 'delete', path: ['siteLinks', 1] }]);
    expect(changedLines(example, after)).toEqual({ removed: ['  - { name: Lyon-Nice, sites: [Lyon, Nice], cost: 10, maxMessageSize: 20MB }'], added: [] });
  });

  it('keeps quoting of untouched values and a value under a package.json prefix', () => {
    const json = '{\n  "name": "x",\n  "mxt": {\n    "sites": [\n      { "name": "Paris" }\n    ]\n  }\n}\n';
    const after = applyEditToText(json, [{ op: 'append', path: ['sites'], value: { name: 'Lyon' } }], ['mxt']);
    expect(JSON.parse(after)).toEqual({ name: 'x', mxt: { sites: [{ name: 'Paris' }, { name: 'Lyon' }] } });
  });
});

describe('mergeLines (three-way)', () => {
  it('takes the edit where the file was untouched and the file where the edit was', () => {
    expect(mergeLines('a  # c\nb\nc\n', 'a\nb\nc\n', 'a\nb\nB2\nc\n')).toBe('a  # c\nb\nB2\nc\n');
    expect(mergeLines('x\n', 'x\n', 'y\n')).toBe('y\n');
  });
});
