/**
 * Issue 8 item 4, strict values: each input that used to pass (or failed with a useless message)
 * is now refused with a finding located at file:line:col, through the real loader and renderer.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { parseFieldValue } from '../../src/core/edit/parse-field.js';
import { renderFindingsText } from '../../src/cli/render/findings-text.js';
import type { Finding } from '../../src/core/findings/finding.js';

const BASE = `organization: { name: Contoso }
sites: [{ name: Paris }, { name: Lyon }]
siteLinks: [{ name: PAR-LYO, sites: [Paris, Lyon], cost: 10 }]
servers:
  - { name: EX01, role: Mailbox, site: Paris, fqdn: ex01.contoso.com }
  - { name: EX02, role: Mailbox, site: Lyon, fqdn: ex02.contoso.com }
acceptedDomains: [{ domainName: contoso.com, default: true }]
`;

async function load(extra: string): Promise<Finding[]> {
  return (await loadConfigText(`${BASE}${extra}`, 'strict.yaml')).findings;
}

/** The one finding at `path`, with its location line (1-based) checked against the text. */
function at(findings: Finding[], path: string): Finding {
  const found = findings.filter((f) => f.path.join('.') === path);
  expect(found, JSON.stringify(findings.map((f) => [f.path.join('.'), f.ruleId, f.message]))).toHaveLength(1);
  expect(found[0]!.location?.file).toBe('strict.yaml');
  expect(found[0]!.location?.line).toBeGreaterThan(7);
  return found[0]!;
}

const receive = (ranges: string) => `receiveConnectors:\n  - name: Relay\n    server: EX01\n    bindings: ["0.0.0.0:2600"]\n    permissionGroups: [AnonymousUsers]\n    remoteIPRanges: ${ranges}\n`;

describe('strict IP ranges (R30, R34)', () => {
  it.each([
    ['10.9.0.0/16/garbage', 'CIDR'],
    ['10.9.0.0//16', 'CIDR'],
    ['10.9.0.0/016', 'CIDR'],
    ['fe80::1%eth0', 'not an address'],
    ['fe80::%25eth0/64', 'CIDR'],
    ['[10.0.0.1]', 'not an address'],
    ['[2001:db8::]/32', 'CIDR'],
    ['10.0.0.1-[10.0.0.9]', 'range'],
  ])('"%s" is refused at its line (it used to be accepted)', async (range, words) => {
    const findings = await load(receive(`["${range}"]`));
    const f = at(findings, 'receiveConnectors.0.remoteIPRanges.0');
    expect(f).toMatchObject({ severity: 'error', location: { line: 13 } });
    expect(f.message).toContain(words);
  });
  it('the good forms still pass', async () => {
    const findings = await load(receive('["10.9.0.0/16", "10.1.0.5", "10.2.0.1-10.2.0.9", "2001:db8::/32", "::ffff:10.0.0.1"]'));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('strict numbers and durations', () => {
  it('a duration of 99999999999999999999d is refused, not stored as a float', async () => {
    const f = at(await load('transportService: { messageExpirationTimeout: 99999999999999999999d }\n'), 'transportService.messageExpirationTimeout');
    expect(f.message).toMatch(/too long a duration/);
  });
  it.each([
    ['siteLinkCost', 'siteLinks: [{ name: X, sites: [Paris, Lyon], cost: .nan }]', 'siteLinks.0.cost', '.nan'],
    ['size', 'organization: { name: Contoso, maxSendSize: .inf }', 'organization.maxSendSize', '.inf'],
    ['duration', 'transportService: { messageExpirationTimeout: -.inf }', 'transportService.messageExpirationTimeout', '-.inf'],
  ])('%s: YAML %s is named as written, not "number null"', async (_, line, path, written) => {
    const text = `${BASE.replace(/^organization.*\n/, '').replace(/^siteLinks.*\n/m, '')}${line}\n`;
    const findings = (await loadConfigText(text, 'strict.yaml')).findings;
    const f = findings.find((x) => x.path.join('.') === path);
    expect(f, JSON.stringify(findings)).toBeDefined();
    expect(f!.message).toContain(written);
    expect(f!.message).not.toMatch(/null/);
    expect(f!.location?.line).toBeGreaterThan(1);
  });
});

describe('names', () => {
  it.each([
    ['ESC', '\\e[2J'],
    ['NUL', '\\0'],
    ['DEL', '\\x7f'],
    ['C1 CSI', '\\x9b'],
    ['newline', 'a\\nb'],
  ])('a name with a %s control character is refused, and the message does not carry it raw', async (_, escape) => {
    const findings = await load(`databaseAvailabilityGroups: [{ name: "DAG${escape}1", members: [EX01] }]\n`);
    const f = at(findings, 'databaseAvailabilityGroups.0.name');
    expect(f.message).toMatch(/control character.*U\+00/);
    expect(f.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it.each([
    ['Cyrillic Е in EX01', 'Е', 'mixes Latin and Cyrillic'],
    ['zero-width space', 'E\u200bX01', 'invisible'],
    ['right-to-left mark', 'EX01\u200f', 'invisible'],
    ['fullwidth letters', 'ＥＸ01', 'NFKC'],
  ])('a server name with a %s gets name-confusable naming its twin', async (_, written, because) => {
    const name = written.length === 1 ? `${written}X01` : written;
    expect((await load('')).some((f) => f.ruleId === 'name-confusable')).toBe(false);
    const text = BASE.replace('{ name: EX02, role: Mailbox, site: Lyon, fqdn: ex02.contoso.com }', `{ name: ${JSON.stringify(name)}, role: Mailbox, site: Lyon, fqdn: ex02.contoso.com }`);
    const twins = (await loadConfigText(text, 'strict.yaml')).findings.filter((f) => f.ruleId === 'name-confusable');
    expect(twins).toHaveLength(1);
    expect(twins[0]).toMatchObject({ severity: 'warning', path: ['servers', 1, 'name'], location: { line: 6 } });
    expect(twins[0]!.message).toContain('looks like server "EX01" at servers[0]');
    expect(twins[0]!.message).toContain(because);
  });

  it('names of different kinds, and unrelated non-ASCII names, are not twins', async () => {
    const text = BASE.replace('{ name: Lyon }', '{ name: Lyon }, { name: Zürich }, { name: Zurich }, { name: Αθήνα }');
    const findings = (await loadConfigText(text, 'strict.yaml')).findings;
    expect(findings.filter((f) => f.ruleId === 'name-confusable')).toEqual([]);
  });
});

describe('secrets', () => {
  const secretConnector = (credential: string) =>
    `sendConnectors:\n  - name: To Fabrikam\n    addressSpaces: ["SMTP:fabrikam.com;1"]\n    sourceTransportServers: [EX01]\n    dnsRoutingEnabled: false\n    smartHosts: [mail.fabrikam.com]\n    smartHostAuthMechanism: BasicAuth\n    authenticationCredential: ${credential}\n`;

  it.each([
    ['flow mapping', '{ username: relay@contoso.com, password: "Hunter2-S3cret!" }'],
    ['block mapping', '\n      username: relay@contoso.com\n      password: Hunter2-S3cret!'],
    ['block scalar', '\n      username: relay@contoso.com\n      password: |\n        Hunter2-S3cret!'],
    ['quoted key', '{ "username": "relay@contoso.com", "password": "Hunter2-S3cret!" }'],
  ])('a literal password: (%s) is refused as secret-in-config and never printed', async (_, credential) => {
    const text = `${BASE}${secretConnector(credential)}`;
    const loaded = await loadConfigText(text, 'strict.yaml');
    const f = at(loaded.findings, 'sendConnectors.0.authenticationCredential.password');
    expect(f).toMatchObject({ ruleId: 'secret-in-config', severity: 'error' });
    const rendered = renderFindingsText(loaded.findings, new Map([['strict.yaml', text]]), 0);
    expect(rendered).toContain('secret-in-config');
    expect(rendered).toContain('********');
    expect(rendered).not.toContain('Hunter2');
  });

  it('a credential written as a string holding password= is refused without showing it', async () => {
    const loaded = await loadConfigText(`${BASE}${secretConnector('"username=relay@contoso.com,password=Hunter2-S3cret!"')}`, 'strict.yaml');
    const f = at(loaded.findings, 'sendConnectors.0.authenticationCredential');
    expect(f.message).not.toContain('Hunter2');
  });

  it.each(['username=relay@contoso.com,password=Hunter2-S3cret!', 'Hunter2-S3cret!', 'username=relay@contoso.com,passwordEnv=X,Hunter2-S3cret!', 'Hunter2-S3cret!=x'])(
    '--authentication-credential %s: the error never echoes the secret',
    (flag) => {
      const parsed = parseFieldValue({ key: 'authenticationCredential', flag: 'authentication-credential', parse: 'credential', help: '' } as never, flag);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error).toMatch(/^--authentication-credential: entry \d of \d/);
        expect(parsed.error).not.toContain('Hunter2');
      }
    },
  );
});
