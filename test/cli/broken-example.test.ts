/**
 * examples/broken.mxt.yaml holds deliberate mistakes, each under a comment naming its rule. The built CLI
 * must report exactly those, each at the line and column of the offending value, and exit 1.
 */
import { describe, expect, it } from 'vitest';
import { hasStackTrace, mxt } from '../helpers/cli.js';

const FILE = 'examples/broken.mxt.yaml';

describe('mxt validate examples/broken.mxt.yaml', () => {
  it('V4 V5 V8 V17 V21 V33 V39 V41 unknown-reference edge-placement recipient-domain: exit 1 with exactly the deliberate findings', async () => {
    const result = await mxt(['validate', '--config', FILE, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const report = JSON.parse(result.stdout) as { valid: boolean; errorCount: number; warningCount: number; findings: { ruleId: string; where: string; severity: string; hint?: string }[] };
    expect(report.valid).toBe(false);
    expect(report.findings.map(({ ruleId, where }) => ({ ruleId, where }))).toEqual([
      { ruleId: 'V4', where: `${FILE}:9:5` },
      { ruleId: 'V5', where: `${FILE}:10:38` },
      { ruleId: 'unknown-reference', where: `${FILE}:18:25` },
      { ruleId: 'edge-placement', where: `${FILE}:20:39` },
      { ruleId: 'V8', where: `${FILE}:25:87` },
      { ruleId: 'V41', where: `${FILE}:28:41` },
      { ruleId: 'recipient-domain', where: `${FILE}:32:18` },
      { ruleId: 'V33', where: `${FILE}:40:24` },
      { ruleId: 'V39', where: `${FILE}:46:29` },
      { ruleId: 'V21', where: `${FILE}:50:5` },
      { ruleId: 'V17', where: `${FILE}:55:9` },
    ]);
    expect([report.errorCount, report.warningCount]).toEqual([9, 2]);
    expect(report.findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId)).toEqual(['V4', 'V5']);
    expect(report.findings.every((f) => typeof f.hint === 'string' && f.hint.length > 0)).toBe(true);
  });

  it('V1–V45: every MISTAKE comment of the file names a rule the CLI reports, and nothing else is reported', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL(`../../${FILE}`, import.meta.url), 'utf8');
    const commented = [...text.matchAll(/MISTAKE \(([^)]+)\)/g)].flatMap((m) => m[1]!.split(/ and /));
    const result = await mxt(['validate', '--config', FILE, '--format', 'json']);
    const reported = new Set((JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    expect(commented.length).toBeGreaterThanOrEqual(8);
    expect(commented.filter((id) => !reported.has(id))).toEqual([]);
    expect([...reported].filter((id) => !commented.includes(id))).toEqual([]);
  });
});
