/**
 * The wizards through a real pseudo-terminal: tmux runs the built CLI (without CI=true, so stdin is a
 * terminal), the test types with send-keys and reads the screen with capture-pane. Each test has
 * its own tmux socket (`tmux -L`), polls the screen in a bounded loop and kills its server after.
 */
import { execa } from 'execa';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, ROOT } from '../helpers/cli.js';

let dir: string;
let file: string;
let socket: string;
let counter = 0;

async function tmux(...args: string[]): Promise<string> {
  const result = await execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { reject: false });
  return result.stdout;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start `mxt args` in a fresh tmux session; the shell prints MXT_EXIT=<code> when it ends. */
async function start(args: string[]): Promise<void> {
  const command = `env -u CI NO_COLOR=1 ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo MXT_EXIT=$?; sleep 300`;
  await tmux('new-session', '-d', '-s', 'w', '-x', '180', '-y', '60', '-c', dir, command);
}

async function screen(): Promise<string> {
  return tmux('capture-pane', '-p', '-J', '-t', 'w', '-S', '-200');
}

/** Poll the screen until it matches (at most ~20 s), then return it. */
async function waitFor(pattern: RegExp): Promise<string> {
  let last = '';
  for (let i = 0; i < 200; i++) {
    last = await screen();
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`screen never matched ${pattern}:\n${last}`);
}

async function keys(...k: string[]): Promise<void> {
  await tmux('send-keys', '-t', 'w', ...k);
}

/** Type literal text (no key-name lookup). */
async function type(text: string): Promise<void> {
  await tmux('send-keys', '-t', 'w', '-l', text);
}

async function exitCode(): Promise<number> {
  const shown = await waitFor(/MXT_EXIT=\d+/);
  return Number(/MXT_EXIT=(\d+)/.exec(shown)![1]);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-wizard-'));
  file = path.join(dir, 'mxt.config.yaml');
  await copyFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), file);
  socket = `mxt-wizard-${process.pid}-${++counter}`;
});

afterEach(async () => {
  await tmux('kill-server');
  await rm(dir, { recursive: true, force: true });
});

describe('wizard in a pseudo-terminal (tmux)', () => {
  it('R3 sitelink add: text answer, sites picked from the topology, diff shown, confirmed → written', async () => {
    await start(['sitelink', 'add', '--config', 'mxt.config.yaml', '--cost', '10']);
    await waitFor(/name — site link name/);
    await type('Paris-Nice');
    await keys('Enter');
    // Choices are the topology's sites, in file order.
    const choices = await waitFor(/Paris\s*\n.*Lyon\s*\n.*Nice/);
    expect(choices).toMatch(/sites — the two or more AD sites/);
    await keys('Space', 'Down', 'Down', 'Space', 'Enter');
    const diff = await waitFor(/Write this change to mxt\.config\.yaml\?/);
    expect(diff).toContain('+++ b/mxt.config.yaml');
    expect(diff).toContain('+  - { name: Paris-Nice, sites: [Paris, Nice], cost: 10 }');
    await keys('y', 'Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as { siteLinks: unknown[] };
    expect(value.siteLinks.at(-1)).toEqual({ name: 'Paris-Nice', sites: ['Paris', 'Nice'], cost: 10 });
  });

  it('R35 connector add receive: usage and server chosen, a bad IP range is refused as typed, then written', async () => {
    await start(['connector', 'add', 'receive', 'Clients EX02', '--config', 'mxt.config.yaml']);
    await waitFor(/Usage of the receive connector/);
    // Usages in order Client, Custom, …; Custom is preselected: go up to Client.
    await keys('Up', 'Enter');
    await waitFor(/server — Mailbox or Edge server/);
    const servers = await screen();
    expect(servers).toContain('EX01 (Mailbox, Paris)');
    await keys('Down', 'Enter');
    await waitFor(/remoteIPRanges — client addresses/);
    await type('10.2.0.0/33');
    await keys('Enter');
    await waitFor(/is not a CIDR range/);
    await keys('C-u');
    await type('10.2.0.0/16');
    await keys('Enter');
    const confirm = await waitFor(/Write this change/);
    expect(confirm).toContain('+    bindings: [0.0.0.0:587]');
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as { receiveConnectors: unknown[] };
    expect(value.receiveConnectors.at(-1)).toEqual({
      name: 'Clients EX02',
      server: 'EX02',
      usage: 'Client',
      bindings: ['0.0.0.0:587'],
      remoteIPRanges: ['10.2.0.0/16'],
      permissionGroups: ['ExchangeUsers'],
      authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'],
    });
  });

  it('V30 connector add send: a bad address space is refused as typed; Ctrl-C in the middle exits 130, file byte-identical', async () => {
    const before = await readFile(file);
    await start(['connector', 'add', 'send', '--config', 'mxt.config.yaml']);
    await waitFor(/Usage of the send connector/);
    await keys('Enter');
    await waitFor(/name — send connector name/);
    await type('To Partner');
    await keys('Enter');
    await waitFor(/addressSpaces — domains the connector/);
    await type('SMTP:part*ner.com;10');
    await keys('Enter');
    await waitFor(/wildcard must stand alone/);
    await keys('C-c');
    expect(await exitCode()).toBe(130);
    expect(await screen()).toContain('cancelled: nothing written');
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('Ctrl-C at the confirmation exits 130 and writes nothing; answering no exits 1 and writes nothing', async () => {
    const before = await readFile(file);
    await start(['site', 'add', '--config', 'mxt.config.yaml']);
    await waitFor(/name — AD site name/);
    await type('Marseille');
    await keys('Enter');
    await waitFor(/Write this change/);
    await keys('C-c');
    expect(await exitCode()).toBe(130);
    expect((await readFile(file)).equals(before)).toBe(true);

    await tmux('kill-server');
    await start(['site', 'add', '--config', 'mxt.config.yaml']);
    await waitFor(/name — AD site name/);
    await type('Marseille');
    await keys('Enter');
    await waitFor(/Write this change/);
    await keys('n', 'Enter');
    expect(await exitCode()).toBe(1);
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('mxt init wizard: organization, domain (default offered), sites, servers → a valid config', async () => {
    await start(['init', '--output', 'new.yaml']);
    await waitFor(/Organization name/);
    await type('Fabrikam');
    await keys('Enter');
    await waitFor(/Default accepted domain \(fabrikam\.com\)/);
    await keys('Enter');
    await waitFor(/AD sites, comma-separated/);
    await type('Berlin,Munich');
    await keys('Enter');
    await waitFor(/Mailbox servers as NAME:SITE.*\(EX01:Berlin,EX02:Munich\)/);
    await keys('Enter');
    await waitFor(/Write new\.yaml\?/);
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(path.join(dir, 'new.yaml'), 'utf8')) as Record<string, unknown>;
    expect(value).toMatchObject({
      organization: { name: 'Fabrikam' },
      sites: [{ name: 'Berlin' }, { name: 'Munich' }],
      servers: [{ name: 'EX01', site: 'Berlin' }, { name: 'EX02', site: 'Munich' }],
      acceptedDomains: [{ domainName: 'fabrikam.com', default: true }],
    });
  });
});
