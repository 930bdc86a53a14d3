/** The shipped examples pass every rule (warnings allowed); the broken one fails on purpose. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('examples', () => {
  it('V1–V45: examples/contoso.mxt.yaml (the product.md example) has no errors', async () => {
    const loaded = await loadConfig({ config: 'examples/contoso.mxt.yaml', cwd: ROOT });
    expect(loaded.topology).toBeDefined();
    expect(loaded.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('V1–V45: examples/broken.mxt.yaml has errors (its mistakes are deliberate)', async () => {
    const loaded = await loadConfig({ config: 'examples/broken.mxt.yaml', cwd: ROOT });
    expect(loaded.topology).toBeDefined();
    expect(loaded.findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
  });
});
