/**
 * Issue 8, item 1 through the built CLI: files with one, two and three schema errors beside
 * several semantic errors report all of them in one `mxt validate` run, located, in text and JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, mxt } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxt-all-findings-'));
  await writeFile(path.join(dir, 'package.json'), '{}\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Three semantic errors (a dangling site, V31, a recipient outside the accepted domains) on lines 8, 14 and 17. */
const SEMANTIC = `organization: { name: Contoso }
sites:
  - { name: Paris }
  - { name: Lyon }
siteLinks:
  - { name: Paris-Lyon, sites: [Paris, Lyon], cost: 10 }
servers:
  - { name: EX01, role: Mailbox, site: Nowhere }
  - { name: EX02, role: Mailbox, site: Lyon }
mailboxDatabases:
  - { name: DB01, masterServerOrAvailabilityGroup: EX02 }
acceptedDomains:
  - { domainName: contoso.com, default: true }
sendConnectors:
  - { name: Both, addressSpaces: ["SMTP:*;1"], sourceTransportServers: [EX02], requireTLS: true, ignoreSTARTTLS: true }
recipients:
  mailboxes: [{ address: carol@fabrikam.org, database: DB01 }]
`;
const SEMANTIC_IDS = ['unknown-reference@8', 'V31@15', 'recipient-domain@17'];

/** Schema errors, each an entry of its own: the address space of the issue, a quoted cost, an unknown key. */
const SCHEMA = [
  { text: '  - { name: To Fabrikam, addressSpaces: ["SMTP:fab rikam.com;1"], sourceTransportServers: [EX02] }\n', section: 'sendConnectors', id: 'V30' },
  { text: '  - { name: Lyon-Paris, sites: [Lyon, Paris], cost: "10" }\n', section: 'siteLinks', id: 'schema-type' },
  { text: '  - { name: Nice, hubSiteEnabeld: true }\n', section: 'sites', id: 'schema-unknown-key' },
];

/** SEMANTIC with the first n schema errors inserted at the end of their sections. */
function withSchemaErrors(n: number): { text: string; expected: string[] } {
  const lines = SEMANTIC.split('\n');
  for (const error of SCHEMA.slice(0, n)) {
    let at = lines.indexOf(`${error.section}:`) + 1;
    while (lines[at]?.startsWith('  - ')) at++;
    lines.splice(at, 0, error.text.trimEnd());
  }
  const text = lines.join('\n');
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const expected = [
    ...SCHEMA.slice(0, n).map((e) => `${e.id}@${lineOf(e.text.trim())}`),
    `unknown-reference@${lineOf('site: Nowhere')}`,
    `V31@${lineOf('name: Both')}`,
    `recipient-domain@${lineOf('carol@fabrikam.org')}`,
  ];
  return { text, expected };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  location: { file: string; line: number; column: number };
}

describe('mxt validate reports schema and semantic errors in one run (issue 8, item 1)', () => {
  it('the semantic errors alone are found (the reference run)', async () => {
    await writeFile(path.join(dir, 'zero.yaml'), SEMANTIC);
    const r = await mxt(['validate', '--config', 'zero.yaml', '--format', 'json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => `${f.ruleId}@${f.location.line}`).sort()).toEqual([...SEMANTIC_IDS].sort());
  });

  for (const n of [1, 2, 3]) {
    it(`${n} schema error(s) and the 3 semantic errors, all located, in JSON and text`, async () => {
      const { text, expected } = withSchemaErrors(n);
      const file = `schema-${n}.yaml`;
      await writeFile(path.join(dir, file), text);
      const json = await mxt(['validate', '--config', file, '--format', 'json'], { cwd: dir });
      expect(json.exitCode).toBe(1);
      const result = JSON.parse(json.stdout) as { errorCount: number; findings: JsonFinding[] };
      expect(result.findings.map((f) => `${f.ruleId}@${f.location.line}`).sort()).toEqual([...expected].sort());
      expect(result.errorCount).toBe(n + 3);
      for (const f of result.findings) {
        expect(f.location.file).toBe(file);
        expect(f.location.column).toBeGreaterThan(0);
      }

      const plain = await mxt(['validate', '--config', file, '--format', 'text'], { cwd: dir });
      expect(plain.exitCode).toBe(1);
      expect(hasStackTrace(plain.stdout + plain.stderr)).toBe(false);
      for (const f of result.findings) expect(plain.stdout).toContain(`${file}:${f.location.line}:${f.location.column} error ${f.ruleId}`);
      expect(plain.stdout).toContain(`${n + 3} errors`);
    });
  }
});
