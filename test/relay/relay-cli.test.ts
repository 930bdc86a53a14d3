/**
 * `mxt relay cert|user|start` through the built CLI, as the README's "Running the relay" shows it:
 * start LON-EX01 of the multi-site example on 127.0.9.1 with ports +10000, send to a local mailbox
 * with swaks, see an anonymous relay attempt to an outside domain refused (R60), stop with SIGTERM.
 */
import { execa, type ResultPromise } from 'execa';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, mxt, ROOT } from '../helpers/cli.js';
import { loopback } from '../helpers/loopback.js';

const EXAMPLE = path.join(ROOT, 'examples/multi-site.mxt.yaml');
// The README's "Running the relay" commands, run here as written (plus --data-dir in a temp folder).
const README_START = 'mxt relay start --config examples/multi-site.mxt.yaml --server LON-EX01 --address 127.0.9.1 --port-offset 10000';
const README_CERT = 'mxt relay cert --config examples/multi-site.mxt.yaml --server LON-EX01';
const README_SWAKS_LOCAL = 'swaks --server 127.0.9.1:10025 --tls --from someone@example.net --to alice@contoso.com';
const README_SWAKS_OUTSIDE = 'swaks --server 127.0.9.1:10025 --from someone@example.net --to bob@fabrikam.com';
// Run on another address of 127.0.9.0/24 than the README's, so that a relay someone started by hand
// from the README (or another test run) does not hold the ports (test/helpers/loopback.ts).
const ADDRESS = loopback('relayCli');
const asRun = (command: string, drop: number) => command.split(' ').slice(drop).map((a) => a.replace('127.0.9.1', ADDRESS));
let dir: string;
let relay: ResultPromise | undefined;
let stdout = '';

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-relay-cli-'));
});
afterAll(async () => {
  if (relay && relay.exitCode === null) relay.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('mxt relay (built CLI)', () => {
  it('relay cert: the CA and the server certificate, keys mode 0600', async () => {
    const r = await mxt([...README_CERT.split(' ').slice(1), '--data-dir', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created CA .*ca\.crt\nissued server LON-EX01: .*server\.crt \(lon-ex01\.contoso\.com\)$/);
    expect((await stat(path.join(dir, 'ca', 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'LON-EX01', 'tls', 'server.key'))).mode & 0o777).toBe(0o600);
  });

  it('relay user add|remove: scrypt hashes in users.json (0600), no password in it', async () => {
    const add = await mxt(['relay', 'user', 'add', 'carol', '--address', 'carol@contoso.com', '--data-dir', dir], { input: 's3cret-pw\n' });
    expect(add.exitCode, add.stderr).toBe(0);
    const file = path.join(dir, 'users.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret-pw');
    expect(JSON.parse(text).users[0]).toMatchObject({ name: 'carol', addresses: ['carol@contoso.com'], scrypt: { N: 16384 } });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await mxt(['relay', 'user', 'remove', 'carol', '--data-dir', dir])).exitCode).toBe(0);
    const again = await mxt(['relay', 'user', 'remove', 'carol', '--data-dir', dir]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('mxt: no user "carol"');
  });

  it('relay start: a listening line per listener, then ready; swaks to a local mailbox, outside refused; SIGTERM stops it', { timeout: 120_000 }, async () => {
    relay = execa(process.execPath, [BIN, ...asRun(README_START, 1), '--data-dir', dir], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' },
      extendEnv: false,
      reject: false,
    });
    let stderr = '';
    let exited = false;
    relay.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    relay.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    void relay.then(() => (exited = true));
    await waitFor(() => stdout.includes('ready') || exited, 60_000);
    expect(stdout, stderr).toContain(`listening ${ADDRESS}:10025 Default Frontend LON-EX01\n`);
    expect(stdout).toContain(`listening ${ADDRESS}:10587 Client Frontend LON-EX01\n`);
    expect(stdout).toContain(`listening ${ADDRESS}:12525 Default LON-EX01\n`);
    expect(stdout).toMatch(/ready LON-EX01 \(lon-ex01\.contoso\.com\): 6 listeners/);

    const local = await execa('swaks', asRun(README_SWAKS_LOCAL, 1), { reject: false, all: true });
    expect(local.all).toMatch(/<~ {2}250 2\.6\.0 <.+> \[InternalId=[0-9A-F]+, Hostname=lon-ex01\.contoso\.com\] Queued mail for delivery/);
    const outside = await execa('swaks', asRun(README_SWAKS_OUTSIDE, 1), { reject: false, all: true });
    expect(outside.all).toContain('<** 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
    // The queue categorizes it (SmtpDeliveryToMailbox DB-LON) and delivers it over SMTP to this server's
    // Mailbox Transport Delivery listener (475 → 10475), which writes it into the database's Maildir.
    const maildir = path.join(dir, 'LON-EX01', 'mailboxes', 'DB-LON', 'alice@contoso.com', 'new');
    const delivered = async () => (await readdir(maildir).catch(() => [] as string[])).length;
    const end = Date.now() + 20_000;
    while ((await delivered()) === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await delivered()).toBe(1);
    expect(readFileSync(path.join(maildir, (await readdir(maildir))[0]!), 'utf8')).toMatch(/^Delivered-To: alice@contoso\.com\r\nReturn-Path: <someone@example\.net>\r\n/);

    relay.kill('SIGTERM');
    const done = await relay;
    expect(done.exitCode).toBe(0);
    expect(stdout).toContain('stopped LON-EX01');
  });

  it('the README shows exactly these commands', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const command of [README_START, README_CERT, README_SWAKS_LOCAL, README_SWAKS_OUTSIDE]) expect(readme).toContain(command);
  });

  it('usage errors exit 2 with a hint, no stack trace', async () => {
    const r = await mxt(['relay', 'start', '--config', EXAMPLE, '--server', 'LON-EX01', '--address', 'nowhere']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('mxt: --address "nowhere" is not an IP address');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the relay stays out of the bundle every command loads (mxt validate start-up)', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist', 'mxt.cjs'), 'utf8');
    expect(bundle).not.toContain('SmtpSession');
    expect(bundle).not.toContain('pino');
    expect(bundle).toContain('require("./app/relay-start.js")');
  });
});
