/**
 * Untouched lines stay untouched (issue 8 item 9): every example, every edit command (add, set with a
 * changed key and with a new key, remove; for connector send/receive, site, sitelink, server, dag,
 * database, domain), LF and CRLF. Outside the changed object (the entry, or the place a new entry
 * goes) the result is byte-identical to the original; CRLF files stay CRLF throughout; the result
 * reads back as exactly the planned value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument, type Node } from 'yaml';
import { applyEditToText } from '../../src/config/apply-edit.js';
import { DAG, DATABASE, DOMAIN, RECEIVE_CONNECTOR, SEND_CONNECTOR, SERVER, SITE, SITE_LINK, type EditKind } from '../../src/core/edit/kinds.js';
import { planEdit, type EditRequest } from '../../src/core/edit/plan.js';
import { mxt, ROOT } from '../helpers/cli.js';

const FILES = [
  ...readdirSync(path.join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.mxt.yaml'))
    .map((f) => path.join('examples', f)),
  path.join('..', 'shared', 'design', 'example.mxt.yaml'),
].filter((f) => {
  try {
    readFileSync(path.join(ROOT, f));
    return true;
  } catch {
    return false;
  }
});

type Entry = Record<string, unknown>;
type Topo = Record<string, Entry[] | undefined>;

const first = <T>(list: T[] | undefined): T | undefined => list?.[0];

/** The requests of every edit command that make sense on this topology. */
function requests(t: Topo): { label: string; request: EditRequest }[] {
  const out: { label: string; request: EditRequest }[] = [];
  const sites = (t.sites ?? []).map((s) => String(s.name));
  const mailboxes = (t.servers ?? []).filter((s) => s.role !== 'Edge');
  const mbx = first(mailboxes);
  const id = (kind: EditKind, entry: Entry) => Object.fromEntries(kind.identity.map((k) => [k, String(entry[k])]));
  const verbs = (kind: EditKind, add: Entry | undefined, change: Entry, extra: Entry) => {
    if (add) out.push({ label: `${kind.id} add`, request: { action: 'add', kind, values: add } });
    const entries = t[kind.section] ?? [];
    const target = entries[entries.length - 1];
    const head = entries[0];
    if (head) out.push({ label: `${kind.id} set (first, changed key)`, request: { action: 'set', kind, identity: id(kind, head), values: change } });
    if (target) {
      out.push({ label: `${kind.id} set (last, new key)`, request: { action: 'set', kind, identity: id(kind, target), values: extra } });
      out.push({ label: `${kind.id} set (last, unset)`, request: { action: 'set', kind, identity: id(kind, target), values: {}, unset: Object.keys(target).filter((k) => !kind.identity.includes(k)).slice(-1) } });
      out.push({ label: `${kind.id} remove (last)`, request: { action: 'remove', kind, identity: id(kind, target) } });
    }
    if (head && head !== target) out.push({ label: `${kind.id} remove (first)`, request: { action: 'remove', kind, identity: id(kind, head) } });
  };
  verbs(SITE, { name: 'Marseille' }, { hubSiteEnabled: true }, { inboundMailEnabled: false });
  if (sites.length >= 2) verbs(SITE_LINK, { name: 'New-Link', sites: sites.slice(0, 2), cost: 15 }, { cost: 42 }, { maxMessageSize: '30MB' });
  verbs(SERVER, { name: 'EX99', role: 'Mailbox', site: sites[0], fqdn: 'ex99.contoso.com', addresses: ['10.99.0.1'] }, { addresses: ['10.99.0.2', '10.99.0.3'] }, { fqdn: 'renamed.contoso.com' });
  verbs(DAG, { name: 'DAG99', members: [] }, { members: mailboxes.slice(0, 1).map((s) => String(s.name)) }, { members: [] });
  verbs(DATABASE, mbx ? { name: 'DB99', masterServerOrAvailabilityGroup: String(mbx.name) } : undefined, { activationPreference: mbx ? [String(mbx.name)] : [] }, { maxSize: '10GB' });
  verbs(DOMAIN, { domainName: 'fabrikam.example', domainType: 'Authoritative' }, { matchSubDomains: true }, { matchSubDomains: false });
  verbs(
    SEND_CONNECTOR,
    mbx ? { name: 'To Partner', addressSpaces: ['SMTP:partner.example;5'], sourceTransportServers: [String(mbx.name)], dnsRoutingEnabled: false, smartHosts: ['mail.partner.example'] } : undefined,
    { port: 2525 },
    { maxMessageSize: '20MB', smartHosts: ['a.partner.example', 'b.partner.example'] },
  );
  verbs(
    RECEIVE_CONNECTOR,
    mbx ? { name: 'Relay 2', server: String(mbx.name), transportRole: 'FrontendTransport', bindings: ['0.0.0.0:2525'], remoteIPRanges: ['10.9.0.0/24'], permissionGroups: ['AnonymousUsers'] } : undefined,
    { remoteIPRanges: ['10.9.0.0/16'] },
    { maxMessageSize: '20MB' },
  );
  return out;
}

/** [from, to) of the lines of the object a change is about, in the original text; for an add, an empty span. */
function objectSpan(text: string, changes: { op: string; path: (string | number)[] }[]): [number, number] | 'insert' {
  if (changes.every((c) => c.op === 'append' || (c.op === 'set' && c.path.length === 1))) return 'insert';
  const doc = parseDocument(text);
  let from = Infinity;
  let to = -1;
  for (const change of changes) {
    const entryPath = change.path.slice(0, 2);
    const entry = doc.getIn(entryPath, true) as Node;
    const seq = doc.getIn(entryPath.slice(0, 1), true) as Node & { items: unknown[] };
    // Removing the only entry makes `key: []` of the section's key line.
    const range = change.op === 'delete' && change.path.length === 2 && seq.items.length === 1 ? [text.lastIndexOf('\n', text.lastIndexOf(String(change.path[0]) + ':', seq.range![0])) + 1, seq.range![1]] : entry.range!;
    from = Math.min(from, text.lastIndexOf('\n', range[0]! - 1) + 1);
    const end = range[1]! > 0 && text[range[1]! - 1] === '\n' ? range[1]! : text.indexOf('\n', range[1]!) + 1 || text.length;
    to = Math.max(to, end);
  }
  return [from, to];
}

/** Lines with their line ends. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** How many lines from the start, and then from the end, the two texts share. */
function sharedLines(a: string[], b: string[]): { head: number; tail: number } {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { head, tail };
}

/** Index of the line holding offset `pos`. */
function lineOf(text: string, pos: number): number {
  return text.slice(0, pos).split('\n').length - 1;
}

describe('every example × every edit command × LF/CRLF: bytes outside the changed object are untouched', () => {
  for (const file of FILES) {
    for (const eol of ['LF', 'CRLF'] as const) {
      it(`${file} (${eol})`, () => {
        const lf = readFileSync(path.join(ROOT, file), 'utf8');
        const text = eol === 'LF' ? lf : lf.replace(/\n/g, '\r\n');
        const value = parse(lf) as Topo;
        let checked = 0;
        const problems: string[] = [];
        for (const { label, request } of requests(value)) {
          const result = planEdit(value, request);
          if (result.status === 'not-found') continue;
          const changes = result.status === 'ok' ? result.plan.changes : result.changes;
          if (changes.length === 0) continue;
          const after = applyEditToText(text, changes);
          const expected = result.status === 'ok' ? result.plan.after : undefined;
          if (expected !== undefined && JSON.stringify(parse(after)) !== JSON.stringify(expected)) problems.push(`${label}: does not read back as the planned value`);
          if (eol === 'CRLF' && /(^|[^\r])\n/.test(after)) problems.push(`${label}: a bare LF in a CRLF file`);
          const span = objectSpan(text, changes);
          const before = lines(text);
          const { head, tail } = sharedLines(before, lines(after));
          if (span === 'insert') {
            // Only new lines, all in one place: the original lines before and after it are all there.
            if (head + tail < before.length) problems.push(`${label}: an add changed original lines ${JSON.stringify(before.slice(head, before.length - tail))}`);
          } else {
            const from = lineOf(text, span[0]);
            const to = lineOf(text, span[1]);
            if (head < from || before.length - tail > to) problems.push(`${label}: changed lines ${JSON.stringify(before.slice(Math.min(head, from), Math.max(before.length - tail, to)))} (object: lines ${from + 1}-${to})`);
          }
          checked++;
        }
        expect(problems).toEqual([]);
        expect(checked).toBeGreaterThan(20);
      });
    }
  }
});

describe('the reported cases, through the CLI', () => {
  let dir: string;
  let file: string;
  let original: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mxt-splice-'));
    file = path.join(dir, 'example.mxt.yaml');
    await copyFile(path.join(ROOT, '..', 'shared', 'design', 'example.mxt.yaml'), file);
    original = await readFile(file, 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adding a send connector to the shared example only adds its lines (end-of-line comments stay put)', async () => {
    await writeFile(file, original);
    const r = await mxt(['connector', 'add', 'send', 'To Partner', '--address-spaces', 'SMTP:partner.example;5', '--source-transport-servers', 'EX01', '--dns-routing-enabled', 'false', '--smart-hosts', 'mail.partner.example', '--config', file], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    const cut = original.indexOf('receiveConnectors:');
    expect(after.slice(0, after.indexOf('  - name: To Partner'))).toBe(original.slice(0, cut));
    expect(after.endsWith(original.slice(cut))).toBe(true);
    expect(after).toContain('receiveConnectors:          # every Mailbox/Edge server also has Exchange\'s default receive');
  });

  it('server set EX01 leaves the EX02 line (and its alignment) as it was', async () => {
    await writeFile(file, original);
    const r = await mxt(['server', 'set', 'EX01', '--addresses', '10.1.0.11,10.1.0.12', '--config', file], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    expect(after).toContain('  - { name: EX02, role: Mailbox, site: Lyon,  fqdn: ex02.contoso.com, addresses: [10.2.0.12] }');
    expect(after).toContain('  - { name: EX01, role: Mailbox, site: Paris, fqdn: ex01.contoso.com, addresses: [10.1.0.11, 10.1.0.12] }');
    expect(after.split('\n').filter((l, i) => l !== original.split('\n')[i])).toHaveLength(1);
  });

  it('a CRLF file comes back CRLF only', async () => {
    await writeFile(file, original.replace(/\n/g, '\r\n'));
    for (const args of [
      ['site', 'add', 'Marseille'],
      ['connector', 'add', 'send', 'To Partner', '--address-spaces', 'SMTP:partner.example;5', '--source-transport-servers', 'EX01', '--dns-routing-enabled', 'false', '--smart-hosts', 'mail.partner.example'],
      ['connector', 'set', 'App relay EX01', '--server', 'EX01', '--remote-ip-ranges', '10.1.6.0/24', '--max-message-size', '20MB'],
      ['server', 'remove', 'EDGE01'],
    ]) {
      const r = await mxt([...args, '--config', file], { cwd: dir });
      expect([0, 1], `${args.join(' ')}: ${r.stderr}`).toContain(r.exitCode);
    }
    const after = await readFile(file, 'utf8');
    expect(after).toContain('Marseille');
    expect(after).toMatch(/\r\n/);
    expect(after).not.toMatch(/(^|[^\r])\n/);
  });
});
