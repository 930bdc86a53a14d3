/**
 * io/lock.ts with real processes: a holder killed with SIGKILL (before or after it wrote its record)
 * never blocks the next edit; a live holder blocks and is named.
 */
import { execa, type ResultPromise } from 'execa';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LockHeldError, withFileLock } from '../../src/io/lock.js';
import { mxt, ROOT } from '../helpers/cli.js';

let dir: string;
let file: string;
let child: ResultPromise | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-lock-'));
  file = path.join(dir, 'mxt.config.yaml');
  await copyFile(path.join(ROOT, 'examples/contoso.mxt.yaml'), file);
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await child?.catch(() => undefined);
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A node process that runs `script` and prints "ready" once it holds what it should; it then waits for stdin to close. */
/** Starts the holder as `child` and returns its pid (the process itself is a thenable: returning it would await its end). */
async function holder(script: string): Promise<number> {
  const proc = execa(process.execPath, ['--input-type=module', '-e', `${script}\nprocess.stdout.write('ready\\n'); process.stdin.resume(); await new Promise(() => {});`], { reject: false, stdin: 'pipe' });
  child = proc;
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void proc.then((r) => reject(new Error(`holder ended early: ${r.stderr}`)));
  });
  return proc.pid!;
}

async function killHolder(): Promise<void> {
  child!.kill('SIGKILL');
  await child!.catch(() => undefined);
  child = undefined;
}

const lockModule = pathToFileURL(path.join(ROOT, 'dist/io/lock.js')).href;

/** A holder that takes the lock of the config through mxt's own lock module and keeps it. */
function lockingScript(): string {
  return `import { withFileLock } from ${JSON.stringify(lockModule)}; withFileLock(${JSON.stringify(file)}, () => new Promise(() => {}));
    const { existsSync } = await import('node:fs'); while (!existsSync(${JSON.stringify(`${file}.lock`)})) await new Promise((r) => setTimeout(r, 5));`;
}

/** An edit that must go through at once: the lock left behind is not a live holder's. */
async function expectEditGoesThrough(): Promise<void> {
  const r = await mxt(['site', 'add', 'Marseille', '--config', file], { cwd: dir });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(await sites()).toContain('Marseille');
  expect(await readdir(dir)).toEqual(['mxt.config.yaml']);
}

async function sites(): Promise<string[]> {
  return (parse(await readFile(file, 'utf8')) as { sites: { name: string }[] }).sites.map((s) => s.name);
}

describe('edit lock', () => {
  it('an empty lock file left by a process killed right after creating it does not block the next edit', async () => {
    // What an older mxt left when killed between creating the lock and writing its record.
    await holder(`import { openSync } from 'node:fs'; openSync(${JSON.stringify(`${file}.lock`)}, 'wx');`);
    await killHolder();
    expect(await readFile(`${file}.lock`, 'utf8')).toBe('');
    // The wait limit (15 s) is below the old 30 s staleness: the old code failed here with exit 2.
    await expectEditGoesThrough();
  });

  it('the lock of a holder killed while editing records its pid and is broken at once', async () => {
    const pid = await holder(lockingScript());
    const record = JSON.parse(await readFile(`${file}.lock`, 'utf8')) as { pid: number; host: string; since: string };
    expect(record).toMatchObject({ pid: pid, host: hostname() });
    await killHolder();
    await expectEditGoesThrough();
  });

  it('a live holder blocks, and the error names it', async () => {
    const pid = await holder(lockingScript());
    let ran = false;
    const error = await withFileLock(file, async () => void (ran = true), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).holder?.pid).toBe(pid);
    expect((error as Error).message).toContain(`mxt process ${pid} on ${hostname()}`);
  });

  it('a record whose pid lives but started at another time (a reused pid) is stale', async () => {
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started: '1', since: '2020-01-01T00:00:00Z' }));
    let ran = false;
    await withFileLock(file, async () => void (ran = true), { timeoutMs: 300 });
    expect(ran).toBe(true);
  });
});
