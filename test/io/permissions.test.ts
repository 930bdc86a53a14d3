/**
 * Edits keep what the file system says about the config (issue 8 item 6): as an unprivileged user an
 * edit is refused when the user may not write the file itself (rename would replace it anyway); owner,
 * group and mode survive; a symbolic link is written through to its target, under the target's lock.
 * Run as `nobody` with setpriv (edits here run as root); skipped where that is not possible.
 */
import { execa, type ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmod, chown, copyFile, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, hasStackTrace, mxt, ROOT, type CliResult } from '../helpers/cli.js';

const NOBODY = { uid: 65534, gid: 65534 };

/** Why running as nobody is impossible here, or undefined when it is possible. */
function cannotDropPrivileges(): string | undefined {
  if (process.geteuid?.() !== 0) return 'not root: cannot switch to nobody';
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)}, 4)`], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'setpriv missing, or nobody cannot read the built CLI in this checkout';
  }
}
const skipReason = cannotDropPrivileges();

function asNobody(args: string[], cwd: string): ResultPromise {
  return execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' },
    extendEnv: false,
    reject: false,
    input: '',
    timeout: 30_000,
  });
}

/** `site add` as nobody is refused: exit 2 with `message`, no stack trace, the file as it was. */
async function expectRefused(message: string | RegExp): Promise<void> {
  const r = await run(['site', 'add', 'Marseille', '--config', file], dir);
  expect(r.exitCode, r.stderr).toBe(2);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(await readFile(file, 'utf8')).toBe(original);
}

async function run(args: string[], cwd: string): Promise<CliResult> {
  const r = await asNobody(args, cwd);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let dir: string;
let file: string;
let original: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-perm-'));
  await chmod(dir, 0o755);
  await chown(dir, NOBODY.uid, NOBODY.gid);
  file = path.join(dir, 'mxt.config.yaml');
  await copyFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), file);
  original = await readFile(file, 'utf8');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)(`edits as an unprivileged user${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('a mode-0444 file of the user is refused with a worded error (exit 2), not replaced', async () => {
    await chown(file, NOBODY.uid, NOBODY.gid);
    await chmod(file, 0o444);
    await expectRefused('permission denied');
    expect((await stat(file)).mode & 0o777).toBe(0o444);
  });

  it("a root-owned file in the user's folder is refused and keeps its owner", async () => {
    await chmod(file, 0o644);
    await expectRefused(/mxt: cannot write .*mxt\.config\.yaml: permission denied/);
    const info = await stat(file);
    expect([info.uid, info.gid]).toEqual([0, 0]);
  });

  it('a root-owned file the user may write (0666) is edited and stays root\'s, with its mode', async () => {
    await chmod(file, 0o666);
    const r = await run(['site', 'add', 'Marseille', '--config', file], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    const info = await stat(file);
    expect([info.uid, info.gid, info.mode & 0o777]).toEqual([0, 0, 0o666]);
    expect(await readFile(file, 'utf8')).toContain('Marseille');
  });

  it('a read-only folder: exit 2, worded, the file as it was', async () => {
    await chown(file, NOBODY.uid, NOBODY.gid);
    await chmod(dir, 0o555);
    await expectRefused('permission denied on the folder of');
  });

  it('through a symbolic link the target is edited and the link stays a link', async () => {
    const real = path.join(dir, 'real');
    await mkdir(real);
    await chown(real, NOBODY.uid, NOBODY.gid);
    const target = path.join(real, 'topology.yaml');
    await copyFile(file, target);
    await chown(target, NOBODY.uid, NOBODY.gid);
    await rm(file);
    await symlink(path.join('real', 'topology.yaml'), file);
    const r = await run(['site', 'add', 'Marseille', '--config', file], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readlink(file)).toBe(path.join('real', 'topology.yaml'));
    expect(await readFile(target, 'utf8')).toContain('Marseille');
    expect((await stat(target)).uid).toBe(NOBODY.uid);
  });
});

describe('edits as root keep owner, group and mode', () => {
  it('a file of nobody:nogroup with mode 0640 keeps all three', async () => {
    await chown(file, NOBODY.uid, NOBODY.gid);
    await chmod(file, 0o640);
    const r = await mxt(['site', 'add', 'Marseille', '--config', file], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const info = await stat(file);
    expect([info.uid, info.gid, info.mode & 0o777]).toEqual([NOBODY.uid, NOBODY.gid, 0o640]);
    expect(await readFile(file, 'utf8')).toContain('Marseille');
  });

  it("an edit through a link waits for the lock of the link's target", async () => {
    const target = path.join(dir, 'target.yaml');
    await copyFile(file, target);
    await rm(file);
    await symlink('target.yaml', file);
    const lockModule = new URL('../../dist/io/lock.js', import.meta.url).href;
    // A live process holds the lock of the real file (as an edit of target.yaml would).
    const holder = execa(process.execPath, ['--input-type=module', '-e', `import { withFileLock } from ${JSON.stringify(lockModule)}; await withFileLock(${JSON.stringify(target)}, async () => { process.stdout.write('ready\\n'); setInterval(() => {}, 1000); await new Promise(() => {}); });`], { reject: false });
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()));
      let finished = false;
      const edit = mxt(['site', 'add', 'Marseille', '--config', file], { cwd: dir }).then((r) => ((finished = true), r));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Had the edit locked the link's own path, it would have written by now.
      expect(finished, JSON.stringify(finished && (await edit))).toBe(false);
      expect(await readFile(target, 'utf8')).toBe(original);
      holder.kill('SIGKILL');
      const r = await edit;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await readFile(target, 'utf8')).toContain('Marseille');
      expect((await lstat(file)).isSymbolicLink()).toBe(true);
    } finally {
      holder.kill('SIGKILL');
      await holder.catch(() => undefined);
    }
  });
});
