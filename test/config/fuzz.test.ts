/**
 * Fuzzing the loader and the validate renderers: the example configs, mutated at random (seeded, so
 * every run sees the same cases), must always end in exit 0 or 1 with findings located at
 * file:line:col, never in an exception, an internal error or a stack trace.
 *
 * The bulk runs in-process through `main(argv, ctx)` (the same code path as the binary, minus the
 * process start); a few cases also go through the built CLI as a subprocess.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createContext, type CliContext } from '../../src/cli/context.js';
import { hasStackTrace, mxt } from '../helpers/cli.js';
import { examples, makeCases } from '../helpers/mutate.js';

const SEED = 0x6d7874; // "mxt"
const CASES = 1200;
const SUBPROCESS_CASES = 20;
const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capturingContext(colorLevel: 0 | 3): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { ...createContext(), out: (t) => void out.push(t), err: (t) => void err.push(t), colorLevel, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir };
  return { ctx, out, err };
}

describe('fuzzed configs through mxt validate', () => {
  const cases = makeCases(SEED, CASES);

  it('the mutations are deterministic and mostly different from the examples', () => {
    const again = makeCases(SEED, CASES);
    expect(again.map((c) => c.text)).toEqual(cases.map((c) => c.text));
    const changed = cases.filter((c) => !examples.some((e) => e.text === c.text)).length;
    expect(changed).toBeGreaterThan(CASES * 0.9);
  });

  it(`${CASES} mutated configs in-process: exit 0 or 1, located findings, no exception or stack trace`, async () => {
    const exits = { 0: 0, 1: 0 } as Record<number, number>;
    const rules = new Map<string, number>();
    for (const [i, c] of cases.entries()) {
      writeFileSync(path.join(dir, c.name), c.text);
      const format = FORMATS[i % FORMATS.length]!;
      // Every other text case in colour: chalk's escapes are the only ones allowed through.
      const colour = format === 'text' && i % 2 === 0;
      const { ctx, out, err } = capturingContext(colour ? 3 : 0);
      const code = await main(['validate', '--config', c.name, '--format', format], ctx);
      const output = [...out, ...err].join('\n');
      const context = `${c.name} (--format ${format}):\n${output.slice(0, 2000)}`;
      expect([0, 1], context).toContain(code);
      expect(output, context).not.toMatch(/internal error/);
      expect(hasStackTrace(output), context).toBe(false);
      if (format === 'text') {
        const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
        expect(plain, `${context}\n(a control character from the config reached the terminal)`).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
        if (colour && code === 1) expect(output).toMatch(/\u001b\[/);
      }
      exits[code] = (exits[code] ?? 0) + 1;
      if (format === 'json') {
        const result = JSON.parse(out.join('')) as { valid: boolean; findings: { ruleId: string; where: string }[] };
        expect(result.valid, context).toBe(code === 0);
        for (const f of result.findings) {
          expect(f.where, context).toMatch(new RegExp(`^${c.name.replace(/\./g, '\\.')}:\\d+:\\d+$`));
          rules.set(f.ruleId, (rules.get(f.ruleId) ?? 0) + 1);
        }
      }
    }
    // The figures, so a change in what the fuzzer reaches shows up in the log.
    console.log(`fuzz: ${CASES} cases run in-process (seed ${SEED}): ${exits[0]} valid, ${exits[1]} invalid; rule ids seen: ${[...rules.keys()].sort().join(', ')}`);
    expect(exits[0]! + exits[1]!).toBe(CASES);
    expect(exits[1]).toBeGreaterThan(CASES / 2);
  });

  it(`${SUBPROCESS_CASES} of the cases through the built CLI: exit 0 or 1, no stack trace`, async () => {
    const sample = cases.filter((_, i) => i % Math.floor(CASES / SUBPROCESS_CASES) === 0).slice(0, SUBPROCESS_CASES);
    for (const c of sample) {
      writeFileSync(path.join(dir, c.name), c.text);
      const r = await mxt(['validate', '--config', c.name, '--format', 'text'], { cwd: dir });
      const output = `${r.stdout}\n${r.stderr}`;
      expect([0, 1], `${c.name}:\n${output.slice(0, 2000)}`).toContain(r.exitCode);
      expect(hasStackTrace(output), output).toBe(false);
      expect(output).toMatch(new RegExp(`${c.name.replace(/\./g, '\\.')}: \\d+ errors?, \\d+ warnings?`));
    }
    console.log(`fuzz: ${sample.length} cases run through the built CLI`);
    expect(sample).toHaveLength(SUBPROCESS_CASES);
  });
});
