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
import { parse, parseDocument, visit, type Node } from 'yaml';
import { applyEditToText } from '../../src/config/apply-edit.js';
import { DAG, DATABASE, DOMAIN, RECEIVE_CONNECTOR, SEND_CONNECTOR, SERVER, SITE, SITE_LINK, type EditKind } from '../../src/core/edit/kinds.js';
import { applyChanges, planEdit, type EditRequest, type ValueChange } from '../../src/core/edit/plan.js';
import { prng } from '../../src/core/synthetic/org.js';
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

/**
 * [from, to) of the lines of the object a change is about, in the original text; 'insert' for an add
 * that must only insert lines. In a flow list the separating comma on a neighbour's line belongs to
 * the change too (`[a, b]` → `[a, b, c]` rewrites the line it is on).
 */
function objectSpan(text: string, changes: { op: string; path: (string | number)[] }[]): [number, number] | 'insert' {
  const doc = parseDocument(text);
  let from = Infinity;
  let to = -1;
  const cover = (range: readonly number[]) => {
    from = Math.min(from, text.lastIndexOf('\n', range[0]! - 1) + 1);
    const end = range[1]! > 0 && text[range[1]! - 1] === '\n' ? range[1]! : text.indexOf('\n', range[1]!) + 1 || text.length;
    to = Math.max(to, end);
  };
  for (const change of changes) {
    if (change.op === 'set' && change.path.length === 1) continue;
    const seq = doc.getIn(change.path.slice(0, 1), true) as (Node & { items: Node[]; flow?: boolean }) | undefined;
    if (change.op === 'append') {
      if (seq?.flow && seq.items.length > 0) cover(seq.items[seq.items.length - 1]!.range!);
      else if (seq?.flow) cover(seq.range!);
      continue;
    }
    const index = Number(change.path[1]);
    const entry = seq!.items[index]!;
    if (change.op === 'delete' && change.path.length === 2 && seq!.items.length === 1) {
      // Removing the only entry makes `key: []` of the section's key line.
      cover([text.lastIndexOf(String(change.path[0]) + ':', seq!.range![0]), seq!.range![1]]);
    }
    // A block item's own lines start at its dash, which may stand alone on the line above.
    const dash = /-\s*$/.exec(text.slice(0, entry.range![0]));
    cover(!seq!.flow && dash ? [dash.index, entry.range![1]!] : entry.range!);
    if (seq!.flow) for (const near of [seq!.items[index - 1], seq!.items[index + 1]]) if (near) cover(near.range!);
  }
  return to < 0 ? 'insert' : [from, to];
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

/**
 * One edit on one text: undefined when the result is right, else what is wrong ('skipped' when the
 * request does not apply). Right: it reads back as the planned value, CRLF files have no bare LF,
 * and the lines outside the changed object are the original's.
 */
function checkEdit(text: string, value: Topo, request: EditRequest, crlf: boolean): string | undefined | 'skipped' {
  const result = planEdit(value, request);
  if (result.status === 'not-found') return 'skipped';
  return checkChanges(text, result.status === 'ok' ? result.plan.changes : result.changes, result.status === 'ok' ? result.plan.after : undefined, crlf);
}

/** As checkEdit, for changes planned elsewhere; `planned`: the value the result must read back as (when known). */
function checkChanges(text: string, changes: ValueChange[], planned: unknown, crlf: boolean): string | undefined | 'skipped' {
  if (changes.length === 0) return 'skipped';
  const after = applyEditToText(text, changes);
  if (planned !== undefined && JSON.stringify(parse(after)) !== JSON.stringify(planned)) return 'does not read back as the planned value';
  if (crlf && /(^|[^\r])\n/.test(after)) return 'a bare LF in a CRLF file';
  const span = objectSpan(text, changes);
  const before = lines(text);
  const { head, tail } = sharedLines(before, lines(after));
  if (span === 'insert') {
    // Only new lines, all in one place: the original lines before and after it are all there.
    return head + tail < before.length ? `an add changed original lines ${JSON.stringify(before.slice(head, before.length - tail))}` : undefined;
  }
  // Exactly: the original up to the object, something, the original after it.
  if (after.startsWith(text.slice(0, span[0])) && after.endsWith(text.slice(span[1])) && after.length >= span[0] + text.length - span[1]) return undefined;
  return `changed ${JSON.stringify(after.slice(head === 0 ? 0 : after.indexOf(before[head]!) , Math.min(after.length, span[1] + 200)))} outside the object ${JSON.stringify(text.slice(span[0], span[1]))}`;
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
          const problem = checkEdit(text, value, request, eol === 'CRLF');
          if (problem === 'skipped') continue;
          if (problem) problems.push(`${label}: ${problem}`);
          checked++;
        }
        expect(problems).toEqual([]);
        expect(checked).toBeGreaterThan(20);
      });
    }
  }
});

/**
 * The same check over 1,000 layouts nobody wrote by hand (fixed seed): each example re-laid out at
 * random (flow or block entries and lists, quoting, end-of-line comments, blank lines, indentation,
 * padding, CRLF), then one random edit command of the list above.
 */
describe('fuzz: 1,000 random layouts × a random edit command', () => {
  const CASES = 1000;
  const rnd = prng(0x73706c63); // "splc"
  const int = (n: number) => Math.floor(rnd() * n);
  const sources = FILES.map((f) => readFileSync(path.join(ROOT, f), 'utf8'));

  function relayout(text: string): string {
    const doc = parseDocument(text);
    visit(doc, {
      Map(_key, node) {
        if (rnd() < 0.3) node.flow = !node.flow;
      },
      Seq(_key, node) {
        if (rnd() < 0.3) node.flow = !node.flow;
      },
      Scalar(_key, node) {
        if (typeof node.value === 'string' && rnd() < 0.2) node.type = rnd() < 0.5 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
        if (rnd() < 0.08) node.comment = ` note ${int(100)}`;
        if (rnd() < 0.05) node.spaceBefore = true;
      },
    });
    const out = doc.toString({ lineWidth: 0, indent: rnd() < 0.3 ? 4 : 2, indentSeq: rnd() < 0.7, flowCollectionPadding: rnd() < 0.5 });
    return rnd() < 0.3 ? out.replace(/\n/g, '\r\n') : out;
  }

  /** The planner's changes without its validation (which costs most of a case): the edit's shape is all that matters here. */
  function changesOf(value: Topo, request: EditRequest): ValueChange[] | undefined {
    const { kind } = request;
    const list = value[kind.section];
    if (request.action === 'add') return Array.isArray(list) ? [{ op: 'append', path: [kind.section], value: request.values }] : [{ op: 'set', path: [kind.section], value: [request.values] }];
    const index = (list ?? []).findIndex((e) => kind.identity.every((k) => String(e[k]).toLowerCase() === String(request.identity[k]).toLowerCase()));
    if (index < 0) return undefined;
    if (request.action === 'remove') return [{ op: 'delete', path: [kind.section, index] }];
    const entry = list![index]!;
    return [
      ...Object.entries(request.values).filter(([k, v]) => JSON.stringify(entry[k]) !== JSON.stringify(v)).map(([k, v]) => ({ op: 'set' as const, path: [kind.section, index, k], value: v })),
      ...(request.unset ?? []).filter((k) => k in entry && !(k in request.values)).map((k) => ({ op: 'delete' as const, path: [kind.section, index, k] })),
    ];
  }

  it(`${CASES} cases: every result reads back as planned, bytes outside the changed object untouched`, () => {
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < CASES; i++) {
      const text = relayout(sources[int(sources.length)]!);
      const value = parse(text) as Topo;
      const all = requests(value);
      const { label, request } = all[int(all.length)]!;
      let problem: string | undefined;
      try {
        const changes = changesOf(value, request);
        if (!changes) continue;
        const result = checkChanges(text, changes, applyChanges(value, changes), text.includes('\r\n'));
        if (result === 'skipped') continue;
        problem = result;
      } catch (error) {
        problem = `threw ${(error as Error).stack}`;
      }
      checked++;
      if (problem && problems.length < 10) problems.push(`case ${i} ${label}: ${problem}\n${text}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(CASES * 0.8);
  });
});

describe('a replaced value keeps how it was written', () => {
  const text = readFileSync(path.join(ROOT, 'examples', 'contoso.mxt.yaml'), 'utf8');
  it('a list of double-quoted strings stays double-quoted; a plain scalar stays plain; the rest of the line stays', () => {
    let after = applyEditToText(text, [{ op: 'set', path: ['sendConnectors', 0, 'addressSpaces'], value: ['SMTP:fabrikam.com;2', 'SMTP:*.fabrikam.com;3'] }]);
    expect(after.replace('["SMTP:fabrikam.com;2", "SMTP:*.fabrikam.com;3"]', '["SMTP:fabrikam.com;1"]')).toBe(text);
    after = applyEditToText(text, [{ op: 'set', path: ['servers', 1, 'site'], value: 'Nice' }]);
    expect(after.replace('site: Nice,  fqdn', 'site: Lyon,  fqdn')).toBe(text);
  });
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
