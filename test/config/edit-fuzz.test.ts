/**
 * Fuzzing the edit commands (issue 8, "Done when"): mutated example configs (the validate fuzz's
 * seeded mutations) each get one edit (add, set or remove of a site, site link, server, DAG,
 * database, accepted domain or send connector, naming what the file holds or what it does not).
 * Every case ends with no exception outside mxt's own errors and no file made invalid:
 * - a refused edit leaves the file byte-identical;
 * - an accepted edit leaves it with no error finding it did not have (rule id and subject).
 * The bulk runs in-process through the app/ edit functions; a few dozen through the built CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadForEdit, runEdit } from '../../src/app/edit.js';
import { loadConfigText } from '../../src/config/load.js';
import { DAG, DATABASE, DOMAIN, SEND_CONNECTOR, SERVER, SITE, SITE_LINK, type EditKind } from '../../src/core/edit/kinds.js';
import { subjectOf, type EditRequest } from '../../src/core/edit/plan.js';
import { ConfigError, UserError } from '../../src/errors.js';
import { hasStackTrace, mxt } from '../helpers/cli.js';
import { makeCases, seededRandom, type Rng } from '../helpers/mutate.js';

const SEED = 0x656469; // "edi"
const CASES = 1000;
const SUBPROCESS_CASES = 30;

const dir = mkdtempSync(path.join(tmpdir(), 'mxt-edit-fuzz-'));
writeFileSync(path.join(dir, 'package.json'), '{}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Edit {
  argv: string[];
  request: EditRequest;
}

/** Names the file holds in a section (strings only; the mutations leave other types around). */
function namesIn(value: unknown, section: string, key = 'name'): string[] {
  const list = (value as Record<string, unknown> | null)?.[section];
  return Array.isArray(list) ? list.map((e) => (e as Record<string, unknown> | null)?.[key]).filter((n): n is string => typeof n === 'string' && n.trim() !== '') : [];
}

/** One edit for this file: mostly on names it holds (in any case), some on names it does not. */
function pickEdit(value: unknown, rng: Rng): Edit {
  const name = (section: string, key = 'name', fallback = 'Nowhere') => {
    const names = namesIn(value, section, key);
    if (names.length === 0 || rng.next() < 0.15) return fallback;
    const picked = rng.pick(names);
    return rng.next() < 0.2 ? picked.toUpperCase() : picked;
  };
  const add = (kind: EditKind, values: Record<string, unknown>, argv: string[]): Edit => ({ argv, request: { action: 'add', kind, values } });
  const remove = (kind: EditKind, id: string, argv: string[]): Edit => ({ argv, request: { action: 'remove', kind, identity: { [kind.identity[0]!]: id } } });
  const set = (kind: EditKind, id: string, values: Record<string, unknown>, argv: string[]): Edit => ({ argv, request: { action: 'set', kind, identity: { [kind.identity[0]!]: id }, values } });
  const site = name('sites');
  const other = name('sites');
  return rng.pick<() => Edit>([
    () => add(SITE, { name: rng.pick(['Marseille', site]) }, ['site', 'add', 'Marseille']),
    () => remove(SITE, site, ['site', 'remove', site]),
    () => set(SITE, site, { hubSiteEnabled: true }, ['site', 'set', site, '--hub-site-enabled', 'true']),
    () => add(SERVER, { name: 'EX09', role: 'Mailbox', site }, ['server', 'add', 'EX09', '--role', 'Mailbox', '--site', site]),
    () => add(SERVER, { name: 'EDGE09', role: 'Edge' }, ['server', 'add', 'EDGE09', '--role', 'Edge']),
    () => remove(SERVER, name('servers'), ['server', 'remove', name('servers')]),
    () => set(SERVER, name('servers'), { site: other }, ['server', 'set', name('servers'), '--site', other]),
    () => add(SITE_LINK, { name: 'L9', sites: [site, other], cost: 5 }, ['sitelink', 'add', 'L9', '--sites', `${site},${other}`, '--cost', '5']),
    () => set(SITE_LINK, name('siteLinks'), { cost: 1 + rng.int(200) }, ['sitelink', 'set', name('siteLinks'), '--cost', '7']),
    () => remove(SITE_LINK, name('siteLinks'), ['sitelink', 'remove', name('siteLinks')]),
    () => remove(DAG, name('databaseAvailabilityGroups'), ['dag', 'remove', name('databaseAvailabilityGroups')]),
    () => remove(DATABASE, name('mailboxDatabases'), ['database', 'remove', name('mailboxDatabases')]),
    () => add(DOMAIN, { domainName: 'fabrikam.com', domainType: 'InternalRelay' }, ['domain', 'add', 'fabrikam.com', '--domain-type', 'InternalRelay']),
    () => remove(DOMAIN, name('acceptedDomains', 'domainName', 'nowhere.example'), ['domain', 'remove', name('acceptedDomains', 'domainName', 'nowhere.example')]),
    () => set(DOMAIN, name('acceptedDomains', 'domainName', 'nowhere.example'), { default: true }, ['domain', 'set', name('acceptedDomains', 'domainName', 'nowhere.example'), '--default', 'true']),
    () => remove(SEND_CONNECTOR, name('sendConnectors'), ['connector', 'remove', name('sendConnectors')]),
    () => set(SEND_CONNECTOR, name('sendConnectors'), { maxMessageSize: '10MB' }, ['connector', 'set', name('sendConnectors'), '--max-message-size', '10MB']),
    () =>
      add(SEND_CONNECTOR, { name: 'To Partner', addressSpaces: ['SMTP:partner.example;1'], sourceTransportServers: [name('servers', 'name', 'EX09')] }, [
        'connector', 'add', 'send', 'To Partner', '--usage', 'Custom', '--address-spaces', 'SMTP:partner.example;1', '--source-transport-servers', name('servers', 'name', 'EX09'),
      ]),
  ])();
}

/** Error findings of a text as the loader sees them, keyed by rule id and subject (as a multiset). */
async function errorKeys(text: string, file: string): Promise<Map<string, number>> {
  const loaded = await loadConfigText(text, file, path.basename(file));
  const value = loaded.data?.value;
  const keys = new Map<string, number>();
  for (const f of loaded.findings.filter((x) => x.severity === 'error')) {
    const key = `${f.ruleId} ${subjectOf(value, f.path)}${f.path.length === 0 ? ` ${f.message}` : ''}`;
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  return keys;
}

function added(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([key, n]) => n > (before.get(key) ?? 0)).map(([key]) => key);
}

/** The cases: a mutated example and an edit picked from what it holds. */
function makeEditCases() {
  const rng = seededRandom(SEED);
  return makeCases(SEED, CASES).map((c, i) => {
    let value: unknown;
    try {
      value = parse(c.text, { logLevel: 'silent' }) as unknown; // only to pick names: errors or not
    } catch {
      value = undefined;
    }
    return { ...c, name: `edit-${String(i).padStart(4, '0')}.yaml`, edit: pickEdit(value, rng) };
  });
}


describe('fuzzed configs through the edit commands', () => {
  const cases = makeEditCases();

  it(`${CASES} mutated configs, one edit each, in-process: refused edits leave the file byte-identical, accepted ones add no error`, async () => {
    const outcome = { written: 0, unchanged: 0, refused: 0, unreadable: 0 };
    for (const c of cases) {
      const file = path.join(dir, c.name);
      writeFileSync(file, c.text);
      const context = `${c.name} (${c.edit.argv.join(' ')}), from:\n${c.text.slice(0, 3000)}`;
      let status: string;
      try {
        const target = await loadForEdit({ config: file, cwd: dir });
        status = (await runEdit({ target, request: c.edit.request })).status;
      } catch (error) {
        if (!(error instanceof ConfigError || error instanceof UserError)) throw new Error(`${context}\n\nthrew ${(error as Error).stack}`);
        status = error instanceof ConfigError && error.findings.some((f) => f.ruleId === 'yaml-syntax' || f.ruleId === 'config-io') ? 'unreadable' : 'refused';
      }
      const after = readFileSync(file, 'utf8');
      if (status !== 'written') {
        expect(after, `${context}\n\n${status}: the file changed`).toBe(c.text);
      } else {
        const newErrors = added(await errorKeys(c.text, file), await errorKeys(after, file));
        expect(newErrors, `${context}\n\nwritten, with new errors; after:\n${after.slice(0, 3000)}`).toEqual([]);
      }
      outcome[status as keyof typeof outcome]++;
    }
    console.log(`edit fuzz: ${CASES} cases in-process (seed ${SEED}): ${outcome.written} written, ${outcome.unchanged} unchanged, ${outcome.refused} refused, ${outcome.unreadable} unreadable`);
    // The fuzz reaches both sides: edits that go through and edits that are refused.
    expect(outcome.written).toBeGreaterThan(CASES / 10);
    expect(outcome.refused).toBeGreaterThan(CASES / 10);
  }, 180_000); // ~20 s on an idle machine; the margin is for a loaded one

  it(`${SUBPROCESS_CASES} of the cases through the built CLI: exit 0, 1 or 2, no stack trace, the same guarantees`, async () => {
    const sample = cases.filter((_, i) => i % Math.floor(CASES / SUBPROCESS_CASES) === 1).slice(0, SUBPROCESS_CASES);
    for (const c of sample) {
      const file = path.join(dir, `cli-${c.name}`);
      writeFileSync(file, c.text);
      const r = await mxt([...c.edit.argv, '--config', file], { cwd: dir });
      const output = `${r.stdout}\n${r.stderr}`;
      const context = `${c.name} (${c.edit.argv.join(' ')}):\n${output.slice(0, 2000)}`;
      expect([0, 1, 2], context).toContain(r.exitCode);
      expect(hasStackTrace(output), context).toBe(false);
      expect(output, context).not.toMatch(/internal error/);
      const after = readFileSync(file, 'utf8');
      if (r.exitCode !== 0) expect(after, context).toBe(c.text);
      else expect(added(await errorKeys(c.text, file), await errorKeys(after, file)), context).toEqual([]);
    }
    expect(sample).toHaveLength(SUBPROCESS_CASES);
  }, 180_000);
});
