/**
 * The wizards through a real pseudo-terminal: tmux runs the built CLI (without CI=true, so stdin is a
 * terminal), the test types with send-keys and reads the screen with capture-pane. Each test has
 * its own tmux socket (`tmux -L`), polls the screen in a bounded loop and kills its server after.
 *
 * Issue 8, item 13: each wizard asks what Exchange's New- cmdlet / EAC wizard asks and builds a
 * working object: the README's partner connector (smart host, port, TLS, BasicAuth credential)
 * byte-for-byte as the flags build it, a receive connector that accepts sessions, a site link with
 * the cost asked, an init that asks for its site links and a first mailbox.
 */
import { execa } from 'execa';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, mxt, ROOT } from '../helpers/cli.js';

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
  it('R3 sitelink add: duplicate name refused as typed, sites picked from the topology, cost asked, confirmed → written', async () => {
    await start(['sitelink', 'add', '--config', 'mxt.config.yaml']);
    await waitFor(/name — site link name/);
    await type('paris-LYON');
    await keys('Enter');
    await waitFor(/site link Paris-Lyon already exists/);
    await keys('C-u');
    await type('Paris-Nice');
    await keys('Enter');
    // Choices are the topology's sites, in file order.
    const choices = await waitFor(/Paris\s*\n.*Lyon\s*\n.*Nice/);
    expect(choices).toMatch(/sites — the two or more AD sites/);
    await keys('Space', 'Down', 'Down', 'Space', 'Enter');
    await waitFor(/cost — AD cost of the link.*\(100\)/);
    await type('0');
    await keys('Enter');
    await waitFor(/"0" is not a whole number from 1 to 99,999/);
    await keys('C-u');
    await type('20');
    await keys('Enter');
    const diff = await waitFor(/Write this change to mxt\.config\.yaml\?/);
    expect(diff).toContain('+++ b/mxt.config.yaml');
    expect(diff).toContain('+  - { name: Paris-Nice, sites: [Paris, Nice], cost: 20 }');
    await keys('y', 'Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as { siteLinks: unknown[] };
    expect(value.siteLinks.at(-1)).toEqual({ name: 'Paris-Nice', sites: ['Paris', 'Nice'], cost: 20 });
  });

  it('R35 connector add receive (Custom): permission groups asked (none refused), the connector accepts the session it was built for', async () => {
    await start(['connector', 'add', 'receive', '--config', 'mxt.config.yaml']);
    await waitFor(/Usage of the receive connector/);
    await keys('Enter'); // Custom, preselected
    await waitFor(/Server the connector listens on/);
    expect(await screen()).toContain('EX01 (Mailbox, Paris)');
    await keys('Down', 'Enter'); // EX02
    await waitFor(/Name of the receive connector on EX02/);
    await type('x'.repeat(65));
    await keys('Enter');
    await waitFor(/at most 64 characters/);
    await keys('C-u');
    await type('Scanners EX02');
    await keys('Enter');
    await waitFor(/Which service listens\?/);
    await keys('Enter'); // FrontendTransport
    await waitFor(/Bindings: local IP:port pairs.*\(0\.0\.0\.0:25\)/);
    await keys('Enter');
    await waitFor(/Remote IP ranges/);
    await type('10.9.0.0/33');
    await keys('Enter');
    await waitFor(/is not a CIDR range/);
    await keys('C-u');
    await type('10.9.0.0/16');
    await keys('Enter');
    await waitFor(/Permission groups: who may use the connector/);
    await keys('Enter'); // nothing checked: refused, a connector without a group refuses every session
    await waitFor(/pick at least 1/);
    await keys('Space', 'Enter'); // AnonymousUsers, the first choice
    await waitFor(/Authentication: how clients may authenticate/);
    await keys('Enter'); // Tls, pre-checked by the usage preset
    const confirm = await waitFor(/Write this change/);
    expect(confirm).toContain('+    permissionGroups: [AnonymousUsers]');
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as { receiveConnectors: unknown[] };
    expect(value.receiveConnectors.at(-1)).toEqual({
      name: 'Scanners EX02',
      server: 'EX02',
      usage: 'Custom',
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: ['10.9.0.0/16'],
      permissionGroups: ['AnonymousUsers'],
      authMechanism: ['Tls'],
    });
    // R30–R33 and R57/R60: a scanner at 10.9.1.1 lands on it and may send to a mailbox.
    const r = await mxt(['route', 'inbound', '--config', 'mxt.config.yaml', '--server', 'EX02', '--remote-ip', '10.9.1.1', '--to', 'alice@contoso.com', '--format', 'json'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const session = JSON.parse(r.stdout) as { receiveConnector: { name: string } | null; refusal: unknown; mailFrom: { accepted: boolean }; recipients: { accepted: boolean }[] };
    expect(session.receiveConnector?.name).toBe('Scanners EX02');
    expect(session.refusal).toBeNull();
    expect(session.mailFrom.accepted).toBe(true);
    expect(session.recipients.map((x) => x.accepted)).toEqual([true]);
  });

  it('R180 connector add send: the README\'s partner connector (smart host, port, TLS, BasicAuth credential) equals what the flags write', async () => {
    // The README's "new topology" flow: a config from init, then the partner connector.
    const init = ['init', '--org', 'Contoso', '--domain', 'contoso.com', '--sites', 'Paris,Lyon', '--servers', 'EX01:Paris,EX02:Lyon', '--site-links', 'Paris-Lyon:10', '--mailbox', 'alice@contoso.com', '--force'];
    for (const out of ['mxt.config.yaml', 'flags.yaml']) expect((await mxt([...init, '--output', out], { cwd: dir })).exitCode).toBe(0);
    const flags = await mxt(
      ['connector', 'add', 'send', 'To Fabrikam', '--config', 'flags.yaml', '--usage', 'Partner', '--address-spaces', 'SMTP:fabrikam.com;1', '--source-transport-servers', 'EX02', '--smart-hosts', 'mail.fabrikam.com', '--port', '587', '--require-tls', 'true', '--smart-host-auth-mechanism', 'BasicAuthRequireTLS', '--authentication-credential', 'username=relay@contoso.com,passwordEnv=FABRIKAM_SMTP_PASSWORD'],
      { cwd: dir },
    );
    expect(flags.exitCode, flags.stderr).toBe(0);

    await start(['connector', 'add', 'send', '--config', 'mxt.config.yaml']);
    await waitFor(/Usage of the send connector/);
    await keys('Down', 'Down', 'Down', 'Enter'); // Custom → Internal → Internet → Partner
    await waitFor(/Name of the send connector/);
    await type('to internet');
    await keys('Enter');
    await waitFor(/send connector To Internet already exists/);
    await keys('C-u');
    await type('To Fabrikam');
    await keys('Enter');
    await waitFor(/Address spaces/);
    await type('SMTP:fabrikam.com;1');
    await keys('Enter');
    await waitFor(/Scoped: only servers/);
    await keys('Enter'); // no
    await waitFor(/How does mail leave\?/);
    await keys('Enter'); // smart hosts, preselected for a Partner connector
    await waitFor(/Smart hosts: host names or IP addresses/);
    await type('mail..fabrikam.com');
    await keys('Enter');
    await waitFor(/"mail\.\.fabrikam\.com" is neither a host name nor an IP address/);
    await keys('C-u');
    await type('mail.fabrikam.com');
    await keys('Enter');
    await waitFor(/How does the connector authenticate to the smart hosts\?/);
    await keys('Down', 'Down', 'Enter'); // None → BasicAuth → BasicAuthRequireTLS
    await waitFor(/User name for the smart hosts/);
    await type('relay@contoso.com');
    await keys('Enter');
    await waitFor(/Where is the password\?/);
    await keys('Enter'); // an environment variable
    await waitFor(/Name of the environment variable/);
    await type('FABRIKAM_SMTP_PASSWORD');
    await keys('Enter');
    await waitFor(/Port of the remote hosts \(25\)/);
    await type('587');
    await keys('Enter');
    await waitFor(/Require TLS.*\(Y\/n\)/);
    await keys('Enter'); // yes, the default after BasicAuthRequireTLS
    await waitFor(/What must the remote TLS certificate prove\?/);
    await keys('Enter'); // nothing beyond encryption: not written
    await waitFor(/Source servers: which servers send through the connector/);
    await keys('Down', 'Space', 'Enter'); // EX02
    await waitFor(/Write this change/);
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(await readFile(path.join(dir, 'flags.yaml'), 'utf8'));
    const r = await mxt(['route', 'plan', '--config', 'mxt.config.yaml', '--from', 'EX01', '--to', 'someone@fabrikam.com', '--format', 'json'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('To Fabrikam');
  });

  it('R184 domain add: a domain already accepted is refused as typed (any case); the type is asked, Authoritative offered and then not written', async () => {
    await start(['domain', 'add', '--config', 'mxt.config.yaml']);
    await waitFor(/domainName — the domain/);
    await type('CONTOSO.com');
    await keys('Enter');
    await waitFor(/accepted domain contoso\.com already exists/);
    await keys('C-u');
    await type('tailspintoys.com');
    await keys('Enter');
    await waitFor(/domainType — Authoritative: mailboxes here/);
    await keys('Enter');
    await waitFor(/Write this change/);
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(file, 'utf8')) as { acceptedDomains: unknown[] };
    expect(value.acceptedDomains.at(-1)).toEqual({ domainName: 'tailspintoys.com' });
  });

  it('V1 a name given on the command line that is already taken is refused before the first question (exit 2)', async () => {
    await start(['connector', 'add', 'send', 'to FABRIKAM', '--config', 'mxt.config.yaml']);
    expect(await exitCode()).toBe(2);
    const shown = await screen();
    expect(shown).toContain('send connector to FABRIKAM already exists');
    expect(shown).not.toContain('Usage of the send connector');
  });

  it('V30 connector add send: a bad address space is refused as typed; Ctrl-C in the middle exits 130, file byte-identical', async () => {
    const before = await readFile(file);
    await start(['connector', 'add', 'send', '--config', 'mxt.config.yaml']);
    await waitFor(/Usage of the send connector/);
    await keys('Enter');
    await waitFor(/Name of the send connector/);
    await type('To Partner');
    await keys('Enter');
    await waitFor(/Address spaces/);
    await type('SMTP:part*ner.com;10');
    await keys('Enter');
    await waitFor(/wildcard must stand alone/);
    await keys('C-c');
    expect(await exitCode()).toBe(130);
    expect(await screen()).toContain('cancelled: nothing written');
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('Ctrl-C at the confirmation exits 130; answering no exits 0 (not 1: the topology is fine) with "nothing written"', async () => {
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
    socket = `${socket}-again`; // a fresh server: no race with the one just killed
    await start(['site', 'add', '--config', 'mxt.config.yaml']);
    await waitFor(/name — AD site name/);
    await type('Marseille');
    await keys('Enter');
    await waitFor(/Write this change/);
    await keys('n', 'Enter');
    expect(await exitCode()).toBe(0);
    expect(await screen()).toContain('nothing written: mxt.config.yaml left as it is');
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('mxt init wizard: organization, domain, sites, servers, site links asked (cost included), a first mailbox → a config that routes to it', async () => {
    await start(['init', '--output', 'new.yaml']);
    await waitFor(/Organization name/);
    await type('Fabrikam');
    await keys('Enter');
    await waitFor(/Default accepted domain \(fabrikam\.com\)/);
    await keys('Enter');
    await waitFor(/AD sites, comma-separated/);
    await type('Berlin,Munich,Hamburg');
    await keys('Enter');
    await waitFor(/Mailbox servers as NAME:SITE.*\(EX01:Berlin,EX02:Munich,EX03:Hamburg\)/);
    await keys('Enter');
    // Offered, not imposed: the chain at AD's default cost.
    await waitFor(/Site links as SITE-SITE:COST.*\(Berlin-Munich:100,Munich-Hamburg:100\)/);
    await type('Berlin-Munich:20,Berlin-Rome:5');
    await keys('Enter');
    await waitFor(/"Berlin-Rome:5" is not SITE-SITE\[:COST\]/);
    await keys('C-u');
    await type('Berlin-Munich:20,Berlin-Hamburg:30');
    await keys('Enter');
    await waitFor(/First mailbox as ADDRESS\[:DATABASE\].*\(administrator@fabrikam\.com:DB01\)/);
    await keys('Enter');
    await waitFor(/Write new\.yaml\?/);
    await keys('Enter');
    expect(await exitCode()).toBe(0);
    const value = parse(await readFile(path.join(dir, 'new.yaml'), 'utf8')) as Record<string, unknown>;
    expect(value).toMatchObject({
      organization: { name: 'Fabrikam' },
      sites: [{ name: 'Berlin' }, { name: 'Munich' }, { name: 'Hamburg' }],
      siteLinks: [
        { name: 'Berlin-Munich', sites: ['Berlin', 'Munich'], cost: 20 },
        { name: 'Berlin-Hamburg', sites: ['Berlin', 'Hamburg'], cost: 30 },
      ],
      servers: [{ name: 'EX01', site: 'Berlin' }, { name: 'EX02', site: 'Munich' }, { name: 'EX03', site: 'Hamburg' }],
      acceptedDomains: [{ domainName: 'fabrikam.com', default: true }],
      recipients: { mailboxes: [{ address: 'administrator@fabrikam.com', database: 'DB01' }] },
    });
    const r = await mxt(['route', 'plan', '--config', 'new.yaml', '--from', 'EX03', '--to', 'administrator@fabrikam.com', '--format', 'json'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"status": "routed"/);
  });
});
