/** `mxt route plan|table|diff|test` through the built CLI (npm run build first). */
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/load.js';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const CONTOSO = path.join(ROOT, 'examples/contoso.mxt.yaml');
const MULTI = path.join(ROOT, 'examples/multi-site.mxt.yaml');

describe('mxt route plan', () => {
  it('product.md: --format json prints one decision per recipient with the documented fields; fabrikam.com leaves by "To Fabrikam"', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX01', '--to', 'alice@contoso.com', '--to', 'someone@fabrikam.com', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const decisions = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(decisions.map((d) => d.recipient)).toEqual(['alice@contoso.com', 'someone@fabrikam.com']);
    for (const field of ['recipient', 'status', 'recipientType', 'routingDestination', 'deliveryGroup', 'deliveryType', 'nextHop', 'connector', 'sitePath', 'cost', 'hops', 'candidates', 'reason']) {
      for (const d of decisions) expect(d).toHaveProperty(field);
    }
    expect(decisions[1]).toMatchObject({ connector: 'To Fabrikam', deliveryType: 'SmtpRelayToConnectorSourceServers', sitePath: ['Paris', 'Lyon'] });
    expect(decisions[0]).toMatchObject({ deliveryType: 'SmtpDeliveryToMailbox', status: 'routed' });
  });

  it('R93 text form: a hop table and why the other candidates lost', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX01', '--to', 'someone@fabrikam.com', '--format', 'text']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/#\s+server\s+site\s+action\s+delivery type\s+target/);
    expect(r.stdout).toMatch(/EX02\s+Lyon\s+send\s+SmartHostConnectorDelivery\s+mail\.fabrikam\.com:587/);
    expect(r.stdout).toMatch(/why not[\s\S]*EdgeSync - Paris to Internet: address space SMTP:\*;100 is less specific/);
  });

  it('an unknown --from server is a usage error (exit 2) listing the valid names, without a stack trace', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX99', '--to', 'a@contoso.com']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/EX99/);
    expect(r.stderr).toMatch(/EX01, EX02, EDGE01/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a bad --size is a usage error (exit 2)', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX01', '--to', 'a@contoso.com', '--size', 'huge']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--size huge/);
  });

  it('R87 R88 --size and --down reach the plan: a DAG copy moves when its server is down (R6)', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX02', '--to', 'alice@contoso.com', '--down', 'EX01', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const [d] = JSON.parse(r.stdout) as { nextHop: { targets: string[] } }[];
    expect(d!.nextHop.targets).toEqual(['EX02']);
  });

  it('--help shows real examples', async () => {
    const r = await mxt(['route', 'plan', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\$ mxt route plan --from EX01 --to alice@contoso.com/);
  });
});

describe('mxt route table and route test', () => {
  it('R70 route table --server lists that server\'s routing destinations as JSON', async () => {
    const r = await mxt(['route', 'table', '--config', CONTOSO, '--server', 'EX02', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const table = JSON.parse(r.stdout) as { servers: { server: string; routes: { routingDestination: { name: string } | null; deliveryType: string }[] }[] };
    expect(table.servers.map((s) => s.server)).toEqual(['EX02']);
    expect(table.servers[0]!.routes.find((x) => x.routingDestination?.name === 'To Fabrikam')?.deliveryType).toBe('SmartHostConnectorDelivery');
  });

  it('route table text has a row per destination for every server', async () => {
    const r = await mxt(['route', 'table', '--config', MULTI, '--format', 'text']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^LYS-EX01 \(Mailbox, site Lyon\)/m);
    expect(r.stdout).toMatch(/RoutableDag\s+DAG01/);
  });

  it('route test passes on examples/multi-site.routes.yaml (exit 0) and fails with exit 1 on a wrong expectation', async () => {
    const ok = await mxt(['route', 'test', path.join(ROOT, 'examples/multi-site.routes.yaml'), '--format', 'json']);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ failed: 0 });
    const dir = await mkdtemp(path.join(tmpdir(), 'mxt-route-test-'));
    try {
      await writeFile(path.join(dir, 'package.json'), '{}\n'); // the stop folder of discovery (issue 8, item 11)
      await writeFile(path.join(dir, 'mxt.config.yaml'), await readFile(CONTOSO, 'utf8'));
      await writeFile(path.join(dir, 'routes.yaml'), 'tests:\n  - { from: EX01, to: someone@fabrikam.com, expect: { connector: Nope } }\n');
      const bad = await mxt(['route', 'test', 'routes.yaml', '--format', 'junit'], { cwd: dir });
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout).toMatch(/<failure message="1 field\(s\) differ">connector: expected &quot;Nope&quot;, got &quot;To Fabrikam&quot;/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('mxt route diff', () => {
  let dir: string;
  const git = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mxt-route-diff-'));
    await git('init', '-q');
    await writeFile(path.join(dir, 'mxt.config.yaml'), await readFile(CONTOSO, 'utf8'));
    await git('add', 'mxt.config.yaml');
    await git('commit', '-q', '-m', 'base');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unchanged config: no routing changes, exit 0 with --detailed-exitcode', async () => {
    const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode', '--format', 'text'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/no routing changes/);
  });

  it('R90 a changed link cost changes routes: exit 3 with --detailed-exitcode, 0 without', async () => {
    const file = path.join(dir, 'mxt.config.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('cost: 10, exchangeCost: 5', 'cost: 10, exchangeCost: 7'));
    const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode', '--format', 'json'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    const diff = JSON.parse(r.stdout) as { changed: boolean; changes: { server: string; after: { connector: string | null }; fields: string[] }[] };
    expect(diff.changed).toBe(true);
    // R104: the site path cost and the aggregate cost (+ address space cost 1) both move.
    expect(diff.changes.find((c) => c.server === 'EX01' && c.after.connector === 'To Fabrikam')?.fields).toEqual(['sitePathCost', 'aggregateCost']);
    const plain = await mxt(['route', 'diff', '--base', 'HEAD'], { cwd: dir });
    expect(plain.exitCode).toBe(0);
    const fromFile = await mxt(['route', 'diff', '--base', CONTOSO, '--detailed-exitcode'], { cwd: dir });
    expect(fromFile.exitCode).toBe(3);
  });

  it('the text form names the source site, marks the change with ~ and says what the route was and is', async () => {
    const r = await mxt(['route', 'diff', '--base', 'HEAD', '--format', 'text'], { cwd: dir });
    expect(r.stdout).toMatch(/^~ from Paris \(EX01\) to domain fabrikam.com \(Connector To Fabrikam\)$/m);
    expect(r.stdout).toMatch(/^ {4}site path cost: was 5, now 7$/m);
    expect(r.stdout).toMatch(/^ {4}aggregate cost: was 6, now 8$/m);
    expect(r.stdout).toMatch(/route\(s\) differ: \d+ changed, 0 added, 0 removed/);
  });

  it('R87 a site link size limit is part of the route: lowering it is a change', async () => {
    const file = path.join(dir, 'mxt.config.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('cost: 10, exchangeCost: 7', 'cost: 10, exchangeCost: 5, maxMessageSize: 20MB'));
    const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode', '--format', 'text'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/^~ from Paris \(EX01\) to domain fabrikam.com \(Connector To Fabrikam\)\n {4}route size limit: was 35MB, now 20MB$/m);
  });

  it('an unknown git revision is a usage error (exit 2)', async () => {
    const r = await mxt(['route', 'diff', '--base', 'no-such-branch'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no-such-branch/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a config above 8 MB at the revision: git output stops at the limit, exit 2 with the limit named', async () => {
    const big = await mkdtemp(path.join(tmpdir(), 'mxt-route-diff-big-'));
    const inBig = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: big });
    try {
      await inBig('init', '-q');
      const contoso = await readFile(CONTOSO, 'utf8');
      const padding = `# ${'x'.repeat(1022)}\n`.repeat(Math.ceil((MAX_CONFIG_BYTES - contoso.length) / 1024) + 1);
      expect(contoso.length + padding.length).toBeGreaterThan(MAX_CONFIG_BYTES);
      await writeFile(path.join(big, 'mxt.config.yaml'), contoso + padding);
      await inBig('add', 'mxt.config.yaml');
      await inBig('commit', '-q', '-m', 'huge');
      await writeFile(path.join(big, 'mxt.config.yaml'), contoso);
      const r = await mxt(['route', 'diff', '--base', 'HEAD'], { cwd: big });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`--base HEAD: mxt.config.yaml at that revision is more than ${MAX_CONFIG_BYTES} bytes (8 MB), the most mxt reads`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    } finally {
      await rm(big, { recursive: true, force: true });
    }
  });
});

describe('mxt route diff catches what route plan shows (issue 7)', () => {
  let dir: string;
  const git = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  const MULTI_SITE = path.join(ROOT, 'examples/multi-site.mxt.yaml');
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mxt-route-diff-issue7-'));
    await git('init', '-q');
    await writeFile(path.join(dir, 'mxt.config.yaml'), await readFile(MULTI_SITE, 'utf8'));
    await writeFile(path.join(dir, 'sites.mjs'), 'export const cost = 5;\n');
    await writeFile(path.join(dir, 'mxt.config.mjs'), "import { cost } from './sites.mjs';\nexport default { sites: [{ name: 'A' }, { name: 'B' }], siteLinks: [{ name: 'A-B', sites: ['A', 'B'], cost }], servers: [{ name: 'EX1', role: 'Mailbox', site: 'A', fqdn: 'ex1.contoso.com' }, { name: 'EX2', role: 'Mailbox', site: 'B', fqdn: 'ex2.contoso.com' }], acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }], sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['EX2'] }] };\n");
    await git('add', '.');
    await git('commit', '-q', '-m', 'base');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const reset = () => git('checkout', '-q', '--', '.');

  it('R102 disabling "To Fabrikam" moves fabrikam.com from London onto the Edge Internet connector: exit 3', async () => {
    const file = path.join(dir, 'mxt.config.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('  - name: To Fabrikam\n', '  - name: To Fabrikam\n    enabled: false\n'));
    try {
      const plan = await mxt(['route', 'plan', '--from', 'LON-EX01', '--to', 'x@fabrikam.com', '--format', 'json'], { cwd: dir });
      expect(JSON.parse(plan.stdout)[0].connector).not.toBe('To Fabrikam');
      const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode', '--format', 'json'], { cwd: dir });
      expect(r.exitCode).toBe(3);
      const diff = JSON.parse(r.stdout) as { changes: { server: string; before: { connector: string | null }; after: { connector: string | null } }[] };
      expect(diff.changes.find((c) => c.server === 'LON-EX01' && c.before.connector === 'To Fabrikam')?.after.connector).toBe(JSON.parse(plan.stdout)[0].connector);
    } finally {
      await reset();
    }
  });

  it('R61 an accepted domain changed from InternalRelay to Authoritative: exit 3', async () => {
    const file = path.join(dir, 'mxt.config.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('{ domainName: legacy.contoso.com, domainType: InternalRelay }', '{ domainName: legacy.contoso.com, domainType: Authoritative }'));
    try {
      const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode', '--format', 'text'], { cwd: dir });
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toMatch(/domain legacy\.contoso\.com/);
      expect(r.stdout).toMatch(/recipientType: was InternalRelay, now Unknown/);
    } finally {
      await reset();
    }
  });

  it('comments and formatting change nothing: exit 0', async () => {
    const file = path.join(dir, 'mxt.config.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, `# a new comment\n${text.replace(/\n\n/g, '\n\n\n')}`);
    try {
      const r = await mxt(['route', 'diff', '--base', 'HEAD', '--detailed-exitcode'], { cwd: dir });
      expect(r.exitCode).toBe(0);
    } finally {
      await reset();
    }
  });

  it('a script config (mxt.config.mjs with a relative import) is compared with its content at the ref, not with itself', async () => {
    const file = path.join(dir, 'mxt.config.mjs');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace("import { cost } from './sites.mjs';", 'const cost = 9;'));
    try {
      const r = await mxt(['route', 'diff', '--base', 'HEAD', '--config', 'mxt.config.mjs', '--detailed-exitcode', '--format', 'text'], { cwd: dir });
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toMatch(/site path cost: was 5, now 9/);
      // The temporary copy of the base is gone.
      const { stdout } = await git('status', '--porcelain', '--untracked-files=all');
      expect(stdout.split('\n').filter((l) => l.includes('mxt-base'))).toEqual([]);
    } finally {
      await reset();
    }
  });
});
