/**
 * Issue 8, item 1: a schema error no longer hides the semantic findings of the rest of the file.
 * The broken entry is left out; what could depend on it is not reported rather than reported wrongly.
 */
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/core/findings/finding.js';
import { checkConfig } from '../../../src/core/validate/check.js';
import { base, withBase } from './fixture.js';

const summary = (value: unknown) => checkConfig(value).findings.map((f) => `${f.ruleId} ${formatPath(f.path)}`).sort();

describe('checkConfig: schema errors and the semantic findings of what parsed, in one run', () => {
  it('a valid config: the topology and no findings (nothing changes for good files)', () => {
    const checked = checkConfig(base());
    expect(checked.findings).toEqual([]);
    expect(checked.topology).toBeDefined();
  });

  it('an address space with a space, a quoted number and an unknown key, beside semantic errors elsewhere', () => {
    const config = withBase({
      sites: [{ name: 'Nice', bogus: 1 }],
      siteLinks: [{ name: 'Paris-Nice', sites: ['Paris', 'Nice'], cost: '10' }],
      servers: [{ name: 'EX03', role: 'Mailbox', site: 'Nowhere' }],
      sendConnectors: [
        { name: 'To Fabrikam', addressSpaces: ['SMTP:fab rikam.com;1'], sourceTransportServers: ['EX01'] },
        { name: 'Both', addressSpaces: ['SMTP:b.example;1'], sourceTransportServers: ['EX09'], requireTLS: true, ignoreSTARTTLS: true },
      ],
    });
    const checked = checkConfig(config);
    expect(checked.topology).toBeUndefined();
    expect(summary(config)).toEqual([
      'V30 sendConnectors[1].addressSpaces[0]',
      'V31 sendConnectors[2].requireTLS',
      'schema-type siteLinks[1].cost',
      'schema-unknown-key sites[2].bogus',
      'unknown-reference sendConnectors[2].sourceTransportServers[0]',
      'unknown-reference servers[2].site',
    ].sort());
  });

  it('findings keep the file\'s indices after an earlier entry of the same list is left out', () => {
    const config = withBase({ servers: [{ name: 'EX03', role: 'Mailbox', site: 'Paris', unknown: true }, { name: 'EX04', role: 'Mailbox', site: 'Atlantis' }] });
    expect(summary(config)).toEqual(['schema-unknown-key servers[2].unknown', 'unknown-reference servers[3].site']);
  });

  it('references to a left-out object are not reported as dangling (a broken site, its servers)', () => {
    const config = withBase({ sites: [{ name: 'Nice', hubSiteEnabled: 'yes' }], servers: [{ name: 'EX03', role: 'Mailbox', site: 'Nice' }] });
    // EX03 is in Nice, which is left out: "names site Nice, which does not exist" would be wrong.
    expect(summary(config)).toEqual(['schema-type sites[2].hubSiteEnabled']);
  });

  it('a rule that concludes from an absence is silent when its section lost an entry (V41 with a broken default domain)', () => {
    const config = { ...base(), acceptedDomains: [{ domainName: 'contoso.com', default: true, domainType: 'Authoritive' }] };
    const ruleIds = summary(config).map((s) => s.split(' ')[0]);
    expect(ruleIds).toContain('schema-type');
    expect(ruleIds).not.toContain('V41');
    expect(ruleIds).not.toContain('recipient-domain');
  });

  it('an organization key of the wrong type leaves the org-limit rule out, not the rest', () => {
    const config = withBase({
      organization: { name: 'Contoso', maxSendSize: 'huge' },
      sendConnectors: [{ name: 'Big', addressSpaces: ['SMTP:big.example;1'], sourceTransportServers: ['EX01'], maxMessageSize: '2GB', requireTLS: true, ignoreSTARTTLS: true }],
    });
    const ids = summary(config);
    expect(ids).toContain('schema-type organization.maxSendSize');
    expect(ids).toContain('V31 sendConnectors[1].requireTLS');
    expect(ids.some((s) => s.startsWith('connector-above-org-limit'))).toBe(false);
  });

  it('a whole named section of the wrong type: only the schema error (anything could name its entries)', () => {
    expect(summary({ ...base(), sites: 'Paris' })).toEqual(['schema-type sites']);
  });

  it('a misspelt top-level section: the unknown key, and no dangling references to it', () => {
    const { sites, ...rest } = base();
    expect(summary({ ...rest, sties: sites })).toEqual(['schema-unknown-key sties']);
  });
});
