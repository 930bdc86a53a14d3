/**
 * Golden tests: every example topology through `validate --format json` and `route table --format json`,
 * compared with test/golden/. A routing change shows up here as a diff to review, like `route diff` in CI.
 * After an intended change: UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/cli/golden.test.ts
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mxt, ROOT } from '../helpers/cli.js';

const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mxt.yaml') && f !== 'broken.mxt.yaml');
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = path.join(ROOT, 'test', 'golden', name);
  // A missing golden file is written on a developer's machine, never in CI (where it must already exist).
  if (update || (!existsSync(file) && process.env.CI !== 'true')) writeFileSync(file, actual.endsWith('\n') ? actual : `${actual}\n`);
  expect(actual.trimEnd()).toBe(readFileSync(file, 'utf8').trimEnd());
}

describe.each(examples)('examples/%s', (example) => {
  const base = example.replace(/\.mxt\.yaml$/, '');

  it('validates with no errors, and its findings match the golden file', async () => {
    const run = await mxt(['validate', '--config', `examples/${example}`, '--format', 'json']);
    expect(run.exitCode).toBe(0);
    golden(`${base}.validate.json`, run.stdout);
  });

  it('routes every destination from every server as the golden route table says', async () => {
    const run = await mxt(['route', 'table', '--config', `examples/${example}`, '--format', 'json']);
    expect(run.exitCode).toBe(0);
    golden(`${base}.route-table.json`, run.stdout);
  });
});
