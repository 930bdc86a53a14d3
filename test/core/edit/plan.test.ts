import { describe, expect, it } from 'vitest';
import { DOMAIN, RECEIVE_CONNECTOR, SEND_CONNECTOR, SERVER, SITE, SITE_LINK } from '../../../src/core/edit/kinds.js';
import { parseFieldValue } from '../../../src/core/edit/parse-field.js';
import { applyChanges, planEdit } from '../../../src/core/edit/plan.js';
import { receiveConnectorPreset, sendConnectorPreset } from '../../../src/core/edit/presets.js';
import { parseMailbox, parseSiteLinks, starterTopology } from '../../../src/core/edit/init.js';
import { check } from '../../../src/core/edit/plan.js';
import { contosoDomain, mailbox } from '../../helpers/topology.js';

const base = () => ({
  organization: { name: 'Contoso' },
  sites: [{ name: 'Paris' }, { name: 'Lyon' }],
  siteLinks: [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 10 }],
  servers: [mailbox('EX01', 'Paris'), mailbox('EX02', 'Lyon')],
  acceptedDomains: [contosoDomain],
});

describe('planEdit (pure plan of add/set/remove)', () => {
  it('add appends the entry, keys in table order', () => {
    const result = planEdit(base(), { action: 'add', kind: SITE, values: { hubSiteEnabled: true, name: 'Nice' } });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.plan.changes).toEqual([{ op: 'append', path: ['sites'], value: { name: 'Nice', hubSiteEnabled: true } }]);
    expect(Object.keys((result.plan.after as { sites: object[] }).sites[2]!)).toEqual(['name', 'hubSiteEnabled']);
  });

  it('add creates a missing section', () => {
    const result = planEdit(base(), { action: 'add', kind: DOMAIN, values: { domainName: 'fabrikam.com', domainType: 'InternalRelay' } });
    expect(result.status).toBe('ok');
    const none = { ...base(), acceptedDomains: undefined };
    const created = planEdit(none, { action: 'add', kind: DOMAIN, values: { domainName: 'contoso.com', default: true } });
    expect(created.status === 'ok' && created.plan.changes[0]).toEqual({ op: 'set', path: ['acceptedDomains'], value: [{ domainName: 'contoso.com', default: true }] });
  });

  it('V1: adding a name that exists (any case) is refused', () => {
    const result = planEdit(base(), { action: 'add', kind: SITE, values: { name: 'paris' } });
    expect(result.status).toBe('refused');
    expect(result.status === 'refused' && result.findings[0]!.ruleId).toBe('V1');
  });

  it('V3: an edit that adds a schema error is refused with its findings', () => {
    const result = planEdit(base(), { action: 'add', kind: SITE_LINK, values: { name: 'bad', sites: ['Paris', 'Lyon'], cost: 0 } });
    expect(result.status).toBe('refused');
    expect(result.status === 'refused' && result.findings.map((f) => `${f.ruleId} ${f.message}`).join()).toMatch(/V3 a site link cost is 1–99,999/);
  });

  it('an edit on a config that already has errors is allowed when it adds none', () => {
    const broken = { ...base(), siteLinks: [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 0 }] };
    expect(check(broken).some((f) => f.severity === 'error')).toBe(true);
    expect(planEdit(broken, { action: 'add', kind: SITE, values: { name: 'Nice' } }).status).toBe('ok');
  });

  it('set changes only what differs; a no-op set has no changes', () => {
    const same = planEdit(base(), { action: 'set', kind: SITE_LINK, identity: { name: 'paris-lyon' }, values: { cost: 10 } });
    expect(same.status === 'ok' && same.plan.changes).toEqual([]);
    const changed = planEdit(base(), { action: 'set', kind: SITE_LINK, identity: { name: 'Paris-Lyon' }, values: { cost: 20, exchangeCost: 5 }, unset: [] });
    expect(changed.status === 'ok' && changed.plan.changes).toEqual([
      { op: 'set', path: ['siteLinks', 0, 'cost'], value: 20 },
      { op: 'set', path: ['siteLinks', 0, 'exchangeCost'], value: 5 },
    ]);
    const unset = planEdit(base(), { action: 'set', kind: SITE_LINK, identity: { name: 'Paris-Lyon' }, values: {}, unset: ['cost'] });
    expect(unset.status === 'ok' && unset.plan.changes).toEqual([{ op: 'delete', path: ['siteLinks', 0, 'cost'] }]);
  });

  it('remove deletes by identity; an unknown identity is not-found', () => {
    const removed = planEdit(base(), { action: 'remove', kind: DOMAIN, identity: { domainName: 'CONTOSO.com' } });
    expect(removed.status).not.toBe('not-found');
    expect(planEdit(base(), { action: 'remove', kind: SITE, identity: { name: 'Nowhere' } }).status).toBe('not-found');
  });

  it('receive connectors are identified by server + name', () => {
    const value = { ...base(), receiveConnectors: [{ name: 'Relay', server: 'EX01', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.1.5.0/24'], permissionGroups: ['ExchangeUsers'] }] };
    expect(planEdit(value, { action: 'remove', kind: RECEIVE_CONNECTOR, identity: { server: 'EX02', name: 'Relay' } }).status).toBe('not-found');
    expect(planEdit(value, { action: 'remove', kind: RECEIVE_CONNECTOR, identity: { server: 'ex01', name: 'relay' } }).status).toBe('ok');
  });

  it('applyChanges leaves its input alone', () => {
    const value = base();
    const frozen = JSON.stringify(value);
    applyChanges(value, [{ op: 'delete', path: ['sites', 0] }]);
    expect(JSON.stringify(value)).toBe(frozen);
  });
});

describe('usage presets', () => {
  it('R35 Client: ExchangeUsers, Tls+BasicAuth+BasicAuthRequireTLS+Integrated, bindings fixed to 0.0.0.0:587', () => {
    const { draft, problems } = receiveConnectorPreset({ name: 'c', usage: 'Client' }, 'Mailbox');
    expect(problems).toEqual([]);
    expect(draft).toMatchObject({ permissionGroups: ['ExchangeUsers'], authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'], bindings: ['0.0.0.0:587'] });
    expect(receiveConnectorPreset({ usage: 'Client', bindings: ['0.0.0.0:25'] }, 'Mailbox').problems[0]).toMatch(/fixes the bindings/);
    expect(receiveConnectorPreset({ usage: 'Client' }, 'Edge').problems[0]).toMatch(/Edge/);
  });

  it('R35 Internal: no ExchangeLegacyServers on an Edge; Internet: AnonymousUsers, no ranges written', () => {
    expect(receiveConnectorPreset({ usage: 'Internal' }, 'Edge').draft.permissionGroups).toEqual(['ExchangeServers']);
    expect(receiveConnectorPreset({ usage: 'Internal' }, 'Mailbox').draft).toMatchObject({ permissionGroups: ['ExchangeLegacyServers', 'ExchangeServers'], authMechanism: ['Tls', 'ExchangeServer'], bindings: ['0.0.0.0:25'] });
    const internet = receiveConnectorPreset({ usage: 'Internet', bindings: ['10.1.0.11:25'] }, 'Mailbox');
    expect(internet.draft).toMatchObject({ permissionGroups: ['AnonymousUsers'], authMechanism: ['Tls'] });
    expect(internet.draft.remoteIPRanges).toBeUndefined();
    expect(receiveConnectorPreset({ usage: 'Internet', remoteIPRanges: ['10.0.0.0/8'] }, 'Mailbox').problems).toHaveLength(1);
  });

  it('R35 Custom is the default: no permission group, Tls', () => {
    expect(receiveConnectorPreset({}, 'Mailbox').draft).toMatchObject({ usage: 'Custom', permissionGroups: [], authMechanism: ['Tls'] });
    expect(receiveConnectorPreset({ usage: 'Partner' }, 'Mailbox').draft).toMatchObject({ permissionGroups: ['Partners'], authMechanism: ['Tls'] });
  });

  it('R110/A2: send usage Internal is unlimited, the others 35MB; no address space or TLS invented', () => {
    expect(sendConnectorPreset({ usage: 'Internal' }).draft.maxMessageSize).toBe('unlimited');
    for (const usage of ['Custom', 'Internet', 'Partner']) {
      const { draft } = sendConnectorPreset({ usage });
      expect(draft.maxMessageSize).toBe('35MB');
      expect(draft.addressSpaces).toBeUndefined();
      expect(draft.requireTLS).toBeUndefined();
      expect(draft.domainSecureEnabled).toBeUndefined();
    }
    expect(sendConnectorPreset({ smartHosts: ['relay.contoso.com'] }).draft.dnsRoutingEnabled).toBe(false);
    expect(sendConnectorPreset({ maxMessageSize: '20MB', usage: 'Internal' }).draft.maxMessageSize).toBe('20MB');
  });
});

describe('flag values parse with the model parsers', () => {
  const spec = (parse: Parameters<typeof parseFieldValue>[0]['parse']) => ({ key: 'k', flag: 'k', parse, description: '' });
  it('V30 address spaces, R34 ranges, sizes', () => {
    expect(parseFieldValue(spec('addressSpaces'), 'SMTP:*;10,fabrikam.com')).toEqual({ ok: true, value: ['SMTP:*;10', 'fabrikam.com'] });
    expect(parseFieldValue(spec('addressSpaces'), 'SMTP:a*b;10').ok).toBe(false);
    expect(parseFieldValue(spec('ipRanges'), '10.1.0.0/16,10.0.0.1-10.0.0.9').ok).toBe(true);
    expect(parseFieldValue(spec('ipRanges'), '10.1.0.0/33').ok).toBe(false);
    expect(parseFieldValue(spec('size'), '20MB')).toEqual({ ok: true, value: '20MB' });
    expect(parseFieldValue(spec('size'), '20QB').ok).toBe(false);
    expect(parseFieldValue(spec('bool'), 'false')).toEqual({ ok: true, value: false });
    expect(parseFieldValue({ ...spec('enums'), choices: ['Tls', 'BasicAuth'] }, 'tls,basicauth')).toEqual({ ok: true, value: ['Tls', 'BasicAuth'] });
  });
});

describe('mxt init starter topology', () => {
  it('is valid: sites joined by the links given (none invented), servers, default domain, Internet connector (usage Internet, SMTP:*)', () => {
    const siteLinks = parseSiteLinks('Paris-Lyon:10,Lyon-Nice:10', ['Paris', 'Lyon', 'Nice']).links;
    const value = starterTopology({ organization: 'Contoso', domain: 'Contoso.com', sites: ['Paris', 'Lyon', 'Nice'], servers: [{ name: 'EX01', site: 'Paris' }, { name: 'EX02', site: 'Lyon' }, { name: 'EX03', site: 'Nice' }], siteLinks });
    expect(check(value).filter((f) => f.severity === 'error')).toEqual([]);
    expect(value.siteLinks).toEqual([
      { name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 10 },
      { name: 'Lyon-Nice', sites: ['Lyon', 'Nice'], cost: 10 },
    ]);
    expect(value.sendConnectors).toEqual([expect.objectContaining({ usage: 'Internet', addressSpaces: ['SMTP:*;1'], sourceTransportServers: ['EX01'], maxMessageSize: '35MB' })]);
    expect(value.acceptedDomains).toEqual([{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }]);
    expect(value.recipients).toBeUndefined();
  });

  it('site links SITE-SITE[:COST]: a site name holding "-" splits on the known sites; bad links are named', () => {
    expect(parseSiteLinks('Default-First-Site-Name-Lyon:5,Lyon-Nice', ['Default-First-Site-Name', 'Lyon', 'Nice'])).toEqual({
      links: [
        { name: 'Default-First-Site-Name-Lyon', sites: ['Default-First-Site-Name', 'Lyon'], cost: 5 },
        { name: 'Lyon-Nice', sites: ['Lyon', 'Nice'], cost: 100 },
      ],
      problems: [],
    });
    expect(parseSiteLinks('Paris-Rome:10,Paris-Paris,Paris-Lyon:0', ['Paris', 'Lyon']).problems).toHaveLength(3);
  });

  it('R62 a first mailbox makes internal addresses deliverable: database on the first server, recipient in it', () => {
    const mailbox = parseMailbox('Alice@Contoso.com', 'contoso.com').mailbox;
    expect(mailbox).toEqual({ address: 'alice@contoso.com', database: 'DB01' });
    expect(parseMailbox('alice@fabrikam.com', 'contoso.com').problem).toMatch(/not in the accepted domain/);
    const value = starterTopology({ organization: 'C', domain: 'contoso.com', sites: ['Paris'], servers: [{ name: 'EX01', site: 'Paris' }], mailbox });
    expect(check(value).filter((f) => f.severity === 'error')).toEqual([]);
    expect(value.mailboxDatabases).toEqual([{ name: 'DB01', masterServerOrAvailabilityGroup: 'EX01' }]);
    expect(value.recipients).toEqual({ mailboxes: [{ address: 'alice@contoso.com', database: 'DB01' }] });
  });
});

describe('refusal compares findings by rule and subject, not by count (issue 8, item 2)', () => {
  it('removing a server whose dangling reference was an error and adding one of its own is refused', () => {
    // Before: EX03 names a missing site (one unknown-reference). After the edit that error is gone,
    // but the connector now names a removed server: as many errors, a different one.
    const before = { ...base(), servers: [...base().servers, mailbox('EX03', 'Atlantis')], sendConnectors: [{ name: 'Out', addressSpaces: ['SMTP:*;1'], sourceTransportServers: ['EX01'] }] };
    const result = planEdit(before, { action: 'remove', kind: SERVER, identity: { name: 'EX01' } });
    expect(result.status).toBe('refused');
    expect(result.status === 'refused' && result.findings.map((f) => f.ruleId)).toEqual(['unknown-reference']);
  });

  it('an error that only moved (the entry is at another index after a removal) is not new', () => {
    const before = { ...base(), servers: [mailbox('EX00', 'Paris'), ...base().servers, mailbox('EX03', 'Atlantis')] };
    const result = planEdit(before, { action: 'remove', kind: SERVER, identity: { name: 'EX00' } });
    expect(result.status).toBe('ok');
  });

  it('on a config with a schema error, a dangling reference is still refused', () => {
    const before = { ...base(), siteLinks: [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: '10' }] };
    expect(check(before).map((f) => f.ruleId)).toEqual(['schema-type']);
    const result = planEdit(before, { action: 'add', kind: SERVER, values: { name: 'EX09', role: 'Mailbox', site: 'Nowhere' } });
    expect(result.status).toBe('refused');
  });
});
