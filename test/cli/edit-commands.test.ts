/**
 * Every edit command through the built CLI, on a temporary copy of examples/contoso.mxt.yaml:
 * the file changes exactly as asked, comments and layout survive, refused and no-op edits leave
 * it byte-identical, --dry-run writes nothing.
 */
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

let dir: string;
let file: string;
const EXAMPLE = path.join(ROOT, 'examples/contoso.mxt.yaml');

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-edit-'));
  file = path.join(dir, 'mxt.config.yaml');
  await copyFile(EXAMPLE, file);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => mxt([...args, '--config', file], { cwd: dir });
const text = () => readFile(file, 'utf8');
const value = async () => parse(await text()) as Record<string, Record<string, unknown>[]>;

/** Lines added and removed between two texts (as sets: enough to show what an edit touched). */
function changed(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

describe('site, sitelink, server, dag, database, domain: add | list | show | set | remove', () => {
  it('site add/set/show/list/remove round trip (comments and flow style kept)', async () => {
    const before = await text();
    let r = await run('site', 'add', 'Marseille', '--hub-site-enabled', 'true');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('added site Marseille');
    expect(changed(before, await text())).toEqual({ removed: [], added: ['  - { name: Marseille, hubSiteEnabled: true }'] });
    expect(await text()).toContain('transportService:          # org-wide defaults of Set-TransportService');

    r = await run('site', 'set', 'marseille', '--inbound-mail-enabled', 'false');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).sites!.at(-1)).toEqual({ name: 'Marseille', hubSiteEnabled: true, inboundMailEnabled: false });

    r = await run('site', 'show', 'Marseille', '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual({ name: 'Marseille', hubSiteEnabled: true, inboundMailEnabled: false });
    r = await run('site', 'show', 'Marseille', '--format', 'text');
    expect(r.stdout).toMatch(/^name\s+Marseille$/m);

    r = await run('site', 'list', '--format', 'json');
    expect((JSON.parse(r.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['Paris', 'Lyon', 'Nice', 'Marseille']);
    r = await run('site', 'list', '--format', 'text');
    expect(r.stdout.split('\n')[0]).toMatch(/^name\s+hubSiteEnabled\s+inboundMailEnabled$/);

    r = await run('site', 'remove', 'Marseille');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await text()).toBe(before);
  });

  it('sitelink add with --sites, --cost, --max-message-size; set; remove', async () => {
    expect((await run('site', 'add', 'Marseille')).exitCode).toBe(0);
    let r = await run('sitelink', 'add', 'Lyon-Marseille', '--sites', 'Lyon,Marseille', '--cost', '10', '--max-message-size', '20MB');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await text()).toContain('  - { name: Lyon-Marseille, sites: [Lyon, Marseille], cost: 10, maxMessageSize: 20MB }');
    r = await run('sitelink', 'set', 'Lyon-Marseille', '--exchange-cost', '3');
    expect((await value()).siteLinks!.at(-1)).toMatchObject({ exchangeCost: 3 });
    r = await run('sitelink', 'remove', 'Lyon-Marseille');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).siteLinks).toHaveLength(2);
  });

  it('server add/set/remove with addresses; dag and database add/set/remove', async () => {
    let r = await run('server', 'add', 'EX03', '--site', 'Lyon', '--fqdn', 'ex03.contoso.com', '--addresses', '10.2.0.13');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await text()).toContain('  - { name: EX03, site: Lyon, fqdn: ex03.contoso.com, addresses: [10.2.0.13] }');
    r = await run('dag', 'add', 'DAG2', '--members', 'EX03');
    expect(r.exitCode, r.stderr).toBe(0);
    r = await run('database', 'add', 'DB02', '--master-server-or-availability-group', 'DAG2', '--activation-preference', 'EX03');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).mailboxDatabases!.at(-1)).toEqual({ name: 'DB02', masterServerOrAvailabilityGroup: 'DAG2', activationPreference: ['EX03'] });
    r = await run('server', 'set', 'EX03', '--addresses', '10.2.0.13,10.2.0.14');
    expect((await value()).servers!.find((s) => s.name === 'EX03')!.addresses).toEqual(['10.2.0.13', '10.2.0.14']);
    r = await run('dag', 'list', '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual([{ name: 'DAG1', members: ['EX01', 'EX02'] }, { name: 'DAG2', members: ['EX03'] }]);
    for (const args of [['database', 'remove', 'DB02'], ['dag', 'remove', 'DAG2'], ['server', 'remove', 'EX03']]) {
      r = await run(...args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(await text()).toBe(await readFile(EXAMPLE, 'utf8'));
  });

  it('domain add/set/show/remove by domain name', async () => {
    let r = await run('domain', 'add', 'fabrikam.com', '--domain-type', 'InternalRelay');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await text()).toContain('  - { domainName: fabrikam.com, domainType: InternalRelay }');
    r = await run('domain', 'set', 'Fabrikam.com', '--match-sub-domains', 'true');
    expect(r.exitCode, r.stderr).toBe(0);
    r = await run('domain', 'show', 'fabrikam.com', '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual({ domainName: 'fabrikam.com', domainType: 'InternalRelay', matchSubDomains: true });
    r = await run('domain', 'remove', 'fabrikam.com');
    expect(r.exitCode).toBe(0);
    expect(await text()).toBe(await readFile(EXAMPLE, 'utf8'));
  });
});

describe('connector add send | receive, list, show, set, remove', () => {
  it('R110/A2: add send --usage Internal writes explicit keys, unlimited size', async () => {
    const r = await run('connector', 'add', 'send', 'To Lyon apps', '--usage', 'Internal', '--address-spaces', 'SMTP:apps.contoso.net;10', '--source-transport-servers', 'EX02', '--dns-routing-enabled', 'false', '--smart-hosts', 'apps.contoso.net');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).sendConnectors!.at(-1)).toEqual({
      name: 'To Lyon apps',
      addressSpaces: ['SMTP:apps.contoso.net;10'],
      usage: 'Internal',
      sourceTransportServers: ['EX02'],
      dnsRoutingEnabled: false,
      smartHosts: ['apps.contoso.net'],
      maxMessageSize: 'unlimited',
    });
  });

  it('R110/A2: add send --usage Internet keeps the address space given and 35MB', async () => {
    const r = await run('connector', 'add', 'send', 'To Internet', '--usage', 'Internet', '--address-spaces', 'SMTP:*;10', '--source-transport-servers', 'EX01');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).sendConnectors!.at(-1)).toMatchObject({ usage: 'Internet', addressSpaces: ['SMTP:*;10'], dnsRoutingEnabled: true, maxMessageSize: '35MB' });
  });

  it('R35: add receive --usage Client fills permission groups, auth and the fixed 587 binding', async () => {
    const r = await run('connector', 'add', 'receive', 'Clients EX02', '--server', 'EX02', '--usage', 'Client', '--remote-ip-ranges', '10.2.0.0/16');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).receiveConnectors!.at(-1)).toEqual({
      name: 'Clients EX02',
      server: 'EX02',
      usage: 'Client',
      bindings: ['0.0.0.0:587'],
      remoteIPRanges: ['10.2.0.0/16'],
      permissionGroups: ['ExchangeUsers'],
      authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'],
    });
  });

  it('R35: usage Client with other bindings, or Internet with ranges, is a usage error (exit 2), file untouched', async () => {
    const before = await text();
    let r = await run('connector', 'add', 'receive', 'X', '--server', 'EX01', '--usage', 'Client', '--bindings', '0.0.0.0:25', '--remote-ip-ranges', '10.0.0.0/8');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/fixes the bindings to 0\.0\.0\.0:587 \(R35\)/);
    r = await run('connector', 'add', 'receive', 'X', '--server', 'EX01', '--usage', 'Internet', '--bindings', '10.1.0.11:25', '--remote-ip-ranges', '10.0.0.0/8');
    expect(r.exitCode).toBe(2);
    expect(await text()).toBe(before);
  });

  it('list, show (receive by --server + name), set, remove', async () => {
    let r = await run('connector', 'add', 'receive', 'Partners in', '--server', 'EX01', '--usage', 'Partner', '--bindings', '10.1.0.11:25', '--remote-ip-ranges', '192.0.2.0/24');
    expect(r.exitCode, r.stderr).toBe(0);
    r = await run('connector', 'list', '--format', 'json');
    const list = JSON.parse(r.stdout) as { type: string; name: string }[];
    expect(list.map((c) => `${c.type}:${c.name}`)).toEqual(['send:To Fabrikam', 'receive:App relay EX01', 'receive:Partners in']);
    r = await run('connector', 'list', '--format', 'text');
    expect(r.stdout).toContain('send connectors');
    expect(r.stdout).toMatch(/EX01\s+Partners in\s+Partner/);
    r = await run('connector', 'show', 'Partners in', '--server', 'EX01', '--format', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ permissionGroups: ['Partners'], authMechanism: ['Tls'] });
    r = await run('connector', 'show', 'Partners in');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no send connector Partners in');
    r = await run('connector', 'set', 'To Fabrikam', '--port', '25', '--max-message-size', '20MB');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).sendConnectors![0]).toMatchObject({ port: 25, maxMessageSize: '20MB' });
    r = await run('connector', 'set', 'Partners in', '--server', 'EX01', '--max-message-size', '10MB', '--unset', 'remote-ip-ranges');
    expect(r.exitCode, r.stderr).toBe(0);
    const partner = (await value()).receiveConnectors!.at(-1)!;
    expect(partner.maxMessageSize).toBe('10MB');
    expect(partner.remoteIPRanges).toBeUndefined();
    r = await run('connector', 'remove', 'Partners in', '--server', 'EX01');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).receiveConnectors).toHaveLength(1);
  });

  it('a flag of the other connector kind is refused', async () => {
    const r = await run('connector', 'set', 'To Fabrikam', '--bindings', '0.0.0.0:25');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--bindings is not a send connector setting');
  });
});

describe('safety', () => {
  it('without a terminal, missing values are one usage error listing every missing flag (exit 2), no prompt', async () => {
    const r = await run('connector', 'add', 'send');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('missing --name, --address-spaces, --source-transport-servers');
    const s = await run('sitelink', 'add');
    expect(s.stderr).toContain('missing --name, --sites');
    expect(hasStackTrace(r.stderr + s.stderr)).toBe(false);
  });

  it('bad flag values are reported together (V30 address space, size) with exit 2', async () => {
    const r = await run('connector', 'add', 'send', 'bad', '--address-spaces', 'SMTP:a*b;10', '--source-transport-servers', 'EX01', '--max-message-size', '20QB');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--address-spaces');
    expect(r.stderr).toContain('--max-message-size');
  });

  it('V1/V3: an edit that adds an error is refused (exit 1) and the file stays byte-identical', async () => {
    const before = await readFile(file);
    let r = await run('sitelink', 'add', 'Bad', '--sites', 'Paris,Lyon', '--cost', '0');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/refused/);
    r = await run('site', 'add', 'PARIS');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/V1.*already exists/);
    r = await run('connector', 'add', 'receive', 'Clash', '--server', 'EX01', '--bindings', '10.1.0.11:2525', '--remote-ip-ranges', '10.9.0.0/16', '--permission-groups', 'ExchangeUsers');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('V20');
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('a no-op edit leaves the file byte-identical (and its mtime)', async () => {
    const before = await readFile(file);
    const mtime = (await stat(file)).mtimeMs;
    const r = await run('sitelink', 'set', 'Paris-Lyon', '--cost', '10', '--exchange-cost', '5');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('no change');
    expect((await readFile(file)).equals(before)).toBe(true);
    expect((await stat(file)).mtimeMs).toBe(mtime);
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const before = await readFile(file);
    const r = await run('server', 'set', 'EX02', '--addresses', '10.2.0.12,10.2.0.13', '--dry-run');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('--- a/mxt.config.yaml');
    expect(r.stdout).toContain('+++ b/mxt.config.yaml');
    // The line keeps its own alignment (two spaces before fqdn): only the changed value is rewritten.
    expect(r.stdout).toContain('+  - { name: EX02, role: Mailbox, site: Lyon,  fqdn: ex02.contoso.com, addresses: [10.2.0.12, 10.2.0.13] }');
    expect(r.stdout).toMatch(/^-  - \{ name: EX02/m);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect(r.stderr).toContain('nothing written');
  });

  it('the file mode survives the atomic write, and no temp or lock file is left', async () => {
    await chmod(file, 0o600);
    const r = await run('site', 'add', 'Marseille');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['mxt.config.yaml']);
  });

  it('a stale lock (dead holder) is broken', async () => {
    await writeFile(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: '2020-01-01T00:00:00Z' }));
    const r = await run('site', 'add', 'Marseille');
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await value()).sites!.map((s) => s.name)).toContain('Marseille');
    // A live holder that kept the lock far longer than any edit takes (STALE_AFTER_MS) is stale too.
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: '2020-01-01T00:00:00Z' }));
    const old = new Date(Date.now() - 120_000);
    await utimes(`${file}.lock`, old, old);
    const again = await run('site', 'add', 'Toulouse');
    expect(again.exitCode, again.stderr).toBe(0);
    expect((await value()).sites!.map((s) => s.name)).toContain('Toulouse');
    expect((await readdir(dir)).sort()).toEqual(['mxt.config.yaml']);
  });
});

describe('mxt init', () => {
  it('writes a valid starter config from flags; refuses to overwrite without --force', async () => {
    const out = path.join(dir, 'new.yaml');
    let r = await mxt(['init', '--org', 'Contoso', '--domain', 'contoso.com', '--sites', 'Paris,Lyon', '--servers', 'EX01:Paris,EX02:Lyon', '--output', out], { cwd: dir });
    // Two sites: the site links are asked for, never invented (issue 8, item 13).
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('missing --site-links');
    r = await mxt(['init', '--org', 'Contoso', '--domain', 'contoso.com', '--sites', 'Paris,Lyon', '--servers', 'EX01:Paris,EX02:Lyon', '--site-links', 'Paris-Lyon:10', '--output', out], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const written = parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({
      organization: { name: 'Contoso' },
      sites: [{ name: 'Paris' }, { name: 'Lyon' }],
      siteLinks: [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 10 }],
      servers: [{ name: 'EX01', site: 'Paris' }, { name: 'EX02', site: 'Lyon' }],
      acceptedDomains: [{ domainName: 'contoso.com', default: true }],
      sendConnectors: [{ name: 'To Internet', usage: 'Internet', addressSpaces: ['SMTP:*;1'] }],
    });
    r = await mxt(['validate', '--config', out, '--format', 'json'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const before = await readFile(out, 'utf8');
    r = await mxt(['init', '--org', 'Other', '--domain', 'other.com', '--sites', 'A', '--output', out], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(await readFile(out, 'utf8')).toBe(before);
    r = await mxt(['init', '--org', 'Other', '--domain', 'other.com', '--sites', 'A', '--output', out, '--force'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('name: Other');
  });

  it('without a terminal lists every missing flag; --dry-run writes nothing; V2 server in an unknown site', async () => {
    let r = await mxt(['init'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('missing --org, --domain, --sites');
    r = await mxt(['init', '--org', 'C', '--domain', 'c.com', '--sites', 'Paris', '--output', 'x.yaml', '--dry-run'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('- { name: EX01, role: Mailbox, site: Paris, fqdn: ex01.c.com }');
    await expect(stat(path.join(dir, 'x.yaml'))).rejects.toThrow();
    r = await mxt(['init', '--org', 'C', '--domain', 'c.com', '--sites', 'Paris', '--servers', 'EX01:Lyon', '--output', 'x.yaml'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('V2');
  });
});
