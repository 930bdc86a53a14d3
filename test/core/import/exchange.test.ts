/** The mapping of `mxt import exchange` (core/import): kinds, defaults left out, default receive connectors, located problems. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importExchange, type DumpFile } from '../../../src/core/import/exchange.js';
import { kindOfName, kindOfObject } from '../../../src/core/import/kinds.js';
import { checkConfig } from '../../../src/core/validate/check.js';
import { ROOT } from '../../helpers/cli.js';

const DIR = path.join(ROOT, 'test/fixtures/exchange-dump');
const fixtures: DumpFile[] = readdirSync(DIR)
  .sort()
  .map((f) => ({ file: f, value: JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as unknown }));
const fixture = (name: string) => fixtures.find((f) => f.file === name)!.value as Record<string, unknown>[];

describe('import exchange: recognising the dumps', () => {
  it('by the properties only one cmdlet has together', () => {
    expect(kindOfObject({ AddressSpaces: [], SourceTransportServers: [] })).toBe('SendConnector');
    expect(kindOfObject({ Bindings: [], RemoteIPRanges: [] })).toBe('ReceiveConnector');
    expect(kindOfObject({ DomainName: 'contoso.com', DomainType: 'Authoritative' })).toBe('AcceptedDomain');
    expect(kindOfObject({ Name: 'Paris-Lyon', ADCost: 10, Sites: [] })).toBe('AdSiteLink');
    expect(kindOfObject({ Name: 'EX01', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 1544.4)', Site: 'x', Domain: 'contoso.com' })).toBe('ExchangeServer');
    expect(kindOfObject({ Name: 'EDGE01', Site: 'Paris', Domain: 'contoso.com' })).toBe('EdgeSubscription');
    expect(kindOfObject({ Name: 'x' })).toBeUndefined();
    for (const f of fixtures) for (const object of [fixture(f.file)].flat()) expect(kindOfObject(object), f.file).toBe(kindOfName(f.file));
  });

  it('by the file name or the key of a combined file', () => {
    expect(kindOfName('Get-SendConnector.json')).toBe('SendConnector');
    expect(kindOfName('dumps/contoso-receive-connectors.json')).toBe('ReceiveConnector');
    expect(kindOfName('Get-AdSiteLink')).toBe('AdSiteLink');
    expect(kindOfName('sites.json')).toBe('AdSite');
    expect(kindOfName('Get-DatabaseAvailabilityGroup.json')).toBe('DatabaseAvailabilityGroup');
    expect(kindOfName('notes.json')).toBeUndefined();
    // Objects trimmed by Select-Object are still read, by the name of their file.
    const trimmed = importExchange([{ file: 'Get-AdSite.json', value: [{ Name: 'Paris' }, { Name: 'Lyon', HubSiteEnabled: true }] }]);
    expect(trimmed.config.sites).toEqual([{ name: 'Paris' }, { name: 'Lyon', hubSiteEnabled: true }]);
    const combined = importExchange([{ file: 'all.json', value: { 'Get-AdSite': { Name: 'Paris' }, 'Get-AcceptedDomain': [{ DomainName: 'contoso.com', DomainType: 'Authoritative', Default: true }] } }]);
    expect(combined.problems).toEqual([]);
    expect(combined.config).toEqual({ sites: [{ name: 'Paris' }], acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }] });
  });

  it('an object no cmdlet is recognised in, and a value that cannot be read, come back with file and JSON path', () => {
    const outcome = importExchange([
      { file: 'misc.json', value: [{ Name: 'x', Foo: 1 }, 'text'] },
      { file: 'Get-AcceptedDomain.json', value: { value: [{ DomainName: 'contoso.com', DomainType: 0 }], Count: 1 } },
    ]);
    expect(outcome.problems.map((p) => [p.ruleId, p.file, p.path])).toEqual([
      ['import-unrecognised', 'misc.json', [0]],
      ['import-unrecognised', 'misc.json', [1]],
      ['import-value', 'Get-AcceptedDomain.json', ['value', 0, 'DomainType']],
    ]);
    expect(outcome.problems[2]!.hint).toContain('EnumsAsStrings');
  });
});

describe('import exchange: the contoso dumps', () => {
  const outcome = importExchange(fixtures);
  const config = outcome.config as Record<string, unknown> & { servers: Record<string, unknown>[]; receiveConnectors: Record<string, unknown>[]; sendConnectors: Record<string, unknown>[] };

  it('give a config that validates, with its sections in the examples\' order', () => {
    expect(outcome.problems).toEqual([]);
    expect(Object.keys(config)).toEqual(['organization', 'transportService', 'sites', 'siteLinks', 'servers', 'databaseAvailabilityGroups', 'mailboxDatabases', 'acceptedDomains', 'recipients', 'sendConnectors', 'receiveConnectors', 'edgeSubscriptions']);
    expect(checkConfig(config).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(outcome.dropped).toBeGreaterThan(500);
  });

  it('leave out what equals the implied defaults (R166: each role keeps its own retry intervals unless the org sets one)', () => {
    expect(config.organization).toEqual({ name: 'Contoso', maxSendSize: '35MB', maxReceiveSize: '36MB' });
    // EDGE01 runs at the Mailbox intervals: set org-wide, not once per server.
    expect(config.transportService).toEqual({ transientFailureRetryInterval: '5m', outboundConnectionFailureRetryInterval: '10m' });
    expect(config.servers.every((s) => s.transportService === undefined)).toBe(true);
    expect(config.sites).toEqual([{ name: 'Paris' }, { name: 'Lyon' }, { name: 'Nice' }]);
  });

  it('leave out the default receive connectors as Exchange made them (R20), and keep the one added', () => {
    expect(config.receiveConnectors.map((c) => c.name)).toEqual(['App relay EX01']);
    expect(config.servers.some((s) => 'defaultReceiveConnectors' in s)).toBe(false);
    // R41/R43: the anonymous group's own rights are not repeated as adPermissions.
    expect(config.receiveConnectors[0]!.adPermissions).toEqual([{ user: 'NT AUTHORITY\\ANONYMOUS LOGON', extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'] }]);
  });

  it('a changed default connector is listed with what changed; a server that lost a default lists all it has', () => {
    const receive = fixture('Get-ReceiveConnector.json');
    const changed = receive.map((c) => (c.Name === 'Client Frontend EX02' ? { ...c, MaxMessageSize: '50 MB (52,428,800 bytes)' } : c));
    const one = importExchange([...fixtures.filter((f) => f.file !== 'Get-ReceiveConnector.json'), { file: 'Get-ReceiveConnector.json', value: changed }]);
    expect((one.config.receiveConnectors as unknown[]).slice(1)).toEqual([{ name: 'Client Frontend EX02', server: 'EX02', maxMessageSize: '50MB' }]);

    const without = receive.filter((c) => c.Name !== 'Client Proxy EX02');
    const dropped = importExchange([...fixtures.filter((f) => f.file !== 'Get-ReceiveConnector.json'), { file: 'Get-ReceiveConnector.json', value: without }]);
    const servers = dropped.config.servers as Record<string, unknown>[];
    expect(servers.find((s) => s.name === 'EX02')!.defaultReceiveConnectors).toBe(false);
    const ex02 = (dropped.config.receiveConnectors as Record<string, unknown>[]).filter((c) => c.server === 'EX02');
    expect(ex02.map((c) => c.name)).toEqual(['Default EX02', 'Default Frontend EX02', 'Outbound Proxy Frontend EX02', 'Client Frontend EX02']);
    expect(ex02[0]).toMatchObject({ transportRole: 'HubTransport', bindings: ['[::]:2525', '0.0.0.0:2525'], maxRecipientsPerMessage: 5000 });
    expect(checkConfig(dropped.config).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('the EdgeSync connectors are the subscription\'s (R116): not listed, and they tell the subscription without Get-EdgeSubscription', () => {
    expect(config.sendConnectors.map((c) => c.name)).toEqual(['To Fabrikam']);
    expect(config.edgeSubscriptions).toEqual([{ edgeServer: 'EDGE01', site: 'Paris' }]);
    const inferred = importExchange(fixtures.filter((f) => f.file !== 'Get-EdgeSubscription.json'));
    expect(inferred.config.edgeSubscriptions).toEqual([{ edgeServer: 'EDGE01', site: 'Paris' }]);
    const noInbound = importExchange([
      ...fixtures.filter((f) => f.file !== 'Get-SendConnector.json'),
      { file: 'Get-SendConnector.json', value: fixture('Get-SendConnector.json').filter((c) => c.Name !== 'EdgeSync - Inbound to Paris') },
    ]);
    expect(noInbound.config.edgeSubscriptions).toEqual([{ edgeServer: 'EDGE01', site: 'Paris', createInboundSendConnector: false }]);
  });

  it('a server that overrides a transport setting gets it under its own transportService', () => {
    const service = fixture('Get-TransportService.json').map((s) => (s.Name === 'EX02' ? { ...s, MessageRetryInterval: '00:20:00' } : s));
    const outcome2 = importExchange([...fixtures.filter((f) => f.file !== 'Get-TransportService.json'), { file: 'Get-TransportService.json', value: service }]);
    const ex02 = (outcome2.config.servers as Record<string, unknown>[]).find((s) => s.name === 'EX02');
    expect(ex02!.transportService).toEqual({ messageRetryInterval: '20m' });
  });
});
