import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasStackTrace, mxt } from '../helpers/cli.js';

const CONFIG = 'examples/contoso.mxt.yaml';

describe('mxt show', () => {
  it('show effective --format json makes the default receive connectors and Edge connectors explicit (R20–R22, R116)', async () => {
    const run = await mxt(['show', 'effective', '--config', CONFIG, '--format', 'json']);
    expect(run.exitCode).toBe(0);
    const shown = JSON.parse(run.stdout) as { receiveConnectors: { name: string; server: string }[]; sendConnectors: { name: string; addressSpaces: string[] }[] };
    const names = shown.receiveConnectors.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Default Frontend EX01', 'Client Frontend EX02', 'Default EX01', 'App relay EX01', 'Default internal receive connector EDGE01']));
    expect(shown.sendConnectors.map((c) => c.name)).toEqual(['To Fabrikam', 'EdgeSync - Paris to Internet', 'EdgeSync - Inbound to Paris']);
    // Sizes and address spaces come back in the forms an admin writes.
    expect(shown.sendConnectors[1]!.addressSpaces).toEqual(['SMTP:*;100']);
    expect(run.stdout).toContain('"maxMessageSize": "35MB"');
  });

  it('show (written) --format yaml prints the config with schema defaults but no created objects', async () => {
    const run = await mxt(['show', '--config', CONFIG, '--format', 'yaml']);
    expect(run.exitCode).toBe(0);
    const shown = parse(run.stdout) as { receiveConnectors: { name: string }[]; organization: { maxSendSize: string } };
    expect(shown.receiveConnectors.map((c) => c.name)).toEqual(['App relay EX01']);
    expect(shown.organization.maxSendSize).toBe('35MB');
  });

  it('an invalid config is refused with located findings on stderr and exit 1', async () => {
    const run = await mxt(['show', 'effective', '--config', 'examples/broken.mxt.yaml']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/broken\.mxt\.yaml:\d+:\d+ error/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('an unknown view is a usage error (exit 2)', async () => {
    const run = await mxt(['show', 'everything', '--config', CONFIG]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown view');
  });
});
