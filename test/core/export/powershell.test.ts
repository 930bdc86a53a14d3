/**
 * The exported script, from in-memory configs: what the file writes becomes parameters and nothing
 * else, in R187's order; every command and parameter is one Exchange has (powershell-cmdlets.ts);
 * every line reads back balanced.
 */
import { describe, expect, it } from 'vitest';
import { exportPowerShell } from '../../../src/core/export/powershell.js';
import { parseTopology } from '../../../src/core/schema/parse.js';
import { unknownNames } from '../../helpers/powershell-lines.js';

function script(value: Record<string, unknown>): string {
  const parsed = parseTopology(value);
  if (!parsed.written || !parsed.topology) throw new Error(parsed.findings.map((f) => f.message).join('; '));
  return exportPowerShell({ raw: value, written: parsed.written, topology: parsed.topology, sourceFile: 'test.mxt.yaml', version: '0.0.0' });
}

const base = {
  sites: [{ name: 'Paris' }],
  servers: [{ name: 'EX01', site: 'Paris', addresses: ['10.1.0.11'] }],
  acceptedDomains: [{ domainName: 'contoso.com', default: true }],
};

describe('mxt export powershell (core)', () => {
  it('gives only the parameters the file writes, not the defaults mxt fills in', () => {
    const text = script({ ...base, organization: { maxRecipientEnvelopeLimit: 'unlimited' }, sites: [{ name: 'Paris', inboundMailEnabled: false }] });
    expect(text).toContain("Set-TransportConfig -MaxRecipientEnvelopeLimit 'Unlimited'\n");
    expect(text).toContain("Set-AdSite -Identity 'Paris' -InboundMailEnabled $false\n");
    expect(text).toContain("New-AcceptedDomain -Name 'contoso.com' -DomainName 'contoso.com'\n");
    expect(text).not.toMatch(/^[^#].*(MaxSendSize|HubSiteEnabled|Set-TransportService|RecipientFilter)/m);
  });

  it('quotes names with quotes, spaces and non-ASCII letters, and every line reads back balanced', () => {
    const text = script({
      ...base,
      sites: [{ name: "Saint-Étienne d'en Haut" }, { name: 'Paris' }],
      siteLinks: [{ name: 'Link ‘one’', sites: ["Saint-Étienne d'en Haut", 'Paris'], exchangeCost: 7 }],
      sendConnectors: [{ name: "Bob's “smart” host", addressSpaces: ['SMTP:*.zürich.example;5'], sourceTransportServers: ['EX01'], dnsRoutingEnabled: false, smartHosts: ['relay.example.net'], comment: "it's 東京" }],
    });
    expect(text).toContain("Set-AdSiteLink -Identity 'Link ‘‘one’’' -ExchangeCost 7\n");
    expect(text).toContain("-Name 'Bob''s “smart” host' -AddressSpaces 'SMTP:*.xn--zrich-kva.example;5'");
    expect(text).toContain("-Comment 'it''s 東京'");
    expect(unknownNames(text)).toEqual([]);
  });

  it('writes each receive connector setting under its Exchange name, and the Set-only ones after New-', () => {
    const text = script({
      ...base,
      receiveConnectors: [
        {
          name: 'Partners EX01', server: 'EX01', usage: 'Partner', bindings: ['10.1.0.11:25'], remoteIPRanges: ['192.0.2.0/24'], maxMessageSize: '50MB',
          connectionTimeout: '00:15:00', connectionInactivityTimeout: '5m', maxInboundConnectionPerSource: 'unlimited', requireTLS: true, smtpUtf8Enabled: false,
          messageRateSource: 'User', atrnEnabled: true,
        },
      ],
    });
    expect(text).toContain(
      "New-ReceiveConnector -Name 'Partners EX01' -Server 'EX01' -Usage 'Partner' -Bindings '10.1.0.11:25' -RemoteIPRanges '192.0.2.0/24' -MaxMessageSize 50MB -ConnectionTimeout '00:15:00' -ConnectionInactivityTimeout '00:05:00' -MaxInboundConnectionPerSource 'Unlimited' -RequireTLS $true -MessageRateSource 'User'\n",
    );
    expect(text).toContain("Set-ReceiveConnector -Identity 'EX01\\Partners EX01' -SmtpUtf8Enabled $false\n");
    expect(text).toContain("# not exported: atrnEnabled is mxt's own");
    expect(unknownNames(text)).toEqual([]);
  });

  it('gives New-ReceiveConnector the effective bindings and ranges when the file leaves them to the usage (R35, R181)', () => {
    const text = script({ ...base, receiveConnectors: [{ name: 'Internet EX01', server: 'EX01', usage: 'Internet', bindings: ['10.1.0.11:25'] }] });
    expect(text).toContain("-Usage 'Internet' -Bindings '10.1.0.11:25' -RemoteIPRanges '0.0.0.0-255.255.255.255'");
  });

  it('sets a default receive connector the file only modifies, by its Server\\Name identity (R20)', () => {
    const text = script({ ...base, receiveConnectors: [{ name: 'Default Frontend EX01', server: 'EX01', maxMessageSize: '20MB', protocolLoggingLevel: 'None' }] });
    expect(text).toContain("Set-ReceiveConnector -Identity 'EX01\\Default Frontend EX01' -MaxMessageSize 20MB -ProtocolLoggingLevel 'None'\n");
    expect(text).not.toContain('New-ReceiveConnector');
  });

  it('leaves the default receive connectors of a server that drops them in place, and says so', () => {
    const text = script({ ...base, servers: [{ ...base.servers[0], defaultReceiveConnectors: false }] });
    expect(text).toContain("# EX01: the config drops Exchange's default receive connectors; the script leaves them as they are");
    expect(text).not.toMatch(/^Remove-/m);
  });

  it('leaves out, with a note, an unlimited value a parameter does not take', () => {
    const text = script({ ...base, receiveConnectors: [{ name: 'Big EX01', server: 'EX01', bindings: ['10.1.0.11:2526'], maxMessageSize: 'unlimited' }] });
    expect(text).toMatch(/# not exported: maxMessageSize is unlimited/);
    expect(text).not.toMatch(/-MaxMessageSize/);
  });

  it('writes what runs on an Edge server, and connectors sourced from it, as comments tagged with where they run', () => {
    const text = script({
      ...base,
      transportService: { messageExpirationTimeout: '3d' },
      servers: [...base.servers, { name: 'EDGE01', role: 'Edge', addresses: ['203.0.113.10'] }],
      edgeSubscriptions: [{ edgeServer: 'EDGE01', site: 'Paris', createInternetSendConnector: false }],
      sendConnectors: [{ name: 'Edge to partner', addressSpaces: ['partner.example'], sourceTransportServers: ['EDGE01'] }],
      receiveConnectors: [{ name: 'Extra EDGE01', server: 'EDGE01', bindings: ['203.0.113.10:2525'], transportRole: 'HubTransport' }],
    });
    expect(text).toContain("Set-TransportService -Identity 'EX01' -MessageExpirationTimeout '3.00:00:00'\n");
    expect(text).toContain("# [EDGE01] Set-TransportService -Identity 'EDGE01' -MessageExpirationTimeout '3.00:00:00'\n");
    expect(text).toContain("# [EDGE01] New-ReceiveConnector -Name 'Extra EDGE01' -Server 'EDGE01' -Bindings '203.0.113.10:2525'");
    expect(text).toContain("# [after the Edge subscription] New-SendConnector -Name 'Edge to partner' -AddressSpaces 'SMTP:partner.example;1' -SourceTransportServers 'EDGE01'\n");
    expect(text).toContain("# [a Mailbox server in Paris] New-EdgeSubscription -FileData ([System.IO.File]::ReadAllBytes('C:\\EdgeSubscription-EDGE01.xml')) -Site 'Paris' -CreateInternetSendConnector $false\n");
    expect(text.split('\n').filter((l) => /^[A-Z]/.test(l) && /EDGE01/.test(l))).toEqual([]);
    expect(unknownNames(text)).toEqual([]);
  });

  it('creates a database on a standalone server, or on its DAG\'s first preferred member with copies in order (R6)', () => {
    const text = script({
      ...base,
      servers: [...base.servers, { name: 'EX02', site: 'Paris' }, { name: 'EX03', site: 'Paris' }],
      databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX02', 'EX03'] }],
      mailboxDatabases: [
        { name: 'DB1', masterServerOrAvailabilityGroup: 'EX01' },
        { name: 'DB2', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['EX03', 'EX02'] },
      ],
    });
    const lines = text.split('\n').filter((l) => /Database|MailboxDatabase/.test(l) && !l.startsWith('#'));
    expect(lines).toEqual([
      "New-DatabaseAvailabilityGroup -Name 'DAG1'",
      "Add-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX02'",
      "Add-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX03'",
      "New-MailboxDatabase -Name 'DB1' -Server 'EX01'",
      "Mount-Database -Identity 'DB1'",
      "New-MailboxDatabase -Name 'DB2' -Server 'EX03'",
      "Mount-Database -Identity 'DB2'",
      "Add-MailboxDatabaseCopy -Identity 'DB2' -MailboxServer 'EX02' -ActivationPreference 2",
    ]);
  });

  it('runs in R187\'s order: domains, transport config, sites, transport service, databases, receive, send, Edge', () => {
    const text = script({
      ...base,
      organization: { maxSendSize: '20MB' },
      transportService: { transientFailureRetryCount: 3 },
      remoteDomains: [{ name: 'Fabrikam', domainName: 'fabrikam.com' }],
      sites: [{ name: 'Paris', hubSiteEnabled: true }],
      receiveConnectors: [{ name: 'Relay EX01', server: 'EX01', bindings: ['10.1.0.11:25'], remoteIPRanges: ['10.1.5.0/24'] }],
      sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['EX01'] }],
    });
    const order = ['New-AcceptedDomain', 'New-RemoteDomain', 'Set-TransportConfig', 'Set-AdSite', 'Set-TransportService', 'New-ReceiveConnector', 'New-SendConnector'].map((c) => text.indexOf(`\n${c} `));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('asks for a smart host password and gives -DNSRoutingEnabled beside -SmartHostAuthMechanism (R180)', () => {
    const text = script({
      ...base,
      sendConnectors: [{ name: 'Auth', addressSpaces: ['*'], smartHosts: ['relay.example.net'], smartHostAuthMechanism: 'BasicAuth', authenticationCredential: { username: 'u@contoso.com', passwordFile: '/run/secrets/pw' } }],
    });
    expect(text).toContain("-SmartHostAuthMechanism 'BasicAuth' -DNSRoutingEnabled $true -AuthenticationCredential (Get-Credential -UserName 'u@contoso.com' -Message 'Smart host password for send connector Auth (mxt reads it from /run/secrets/pw)')");
    expect(unknownNames(text)).toEqual([]);
  });
});
