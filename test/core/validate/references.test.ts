import { describe, expect, it } from 'vitest';
import { base, mailbox, pathsOf, rule, withBase } from './fixture.js';

describe('unknown-reference: dangling names of every kind', () => {
  it('unknown-reference accepts the base config (every name resolves)', () => {
    expect(rule(base(), 'unknown-reference')).toEqual([]);
  });

  it('unknown-reference flags a server in an unknown site, with a suggestion', () => {
    const [f, ...rest] = rule(withBase({ servers: [mailbox('EX03', 'Pari')] }), 'unknown-reference');
    expect(rest).toEqual([]);
    expect(f!.path).toEqual(['servers', 2, 'site']);
    expect(f!.message).toContain('did you mean "Paris"?');
    expect(f!.hint).toContain('"Paris"');
  });

  it('unknown-reference flags unknown sites of a site link', () => {
    expect(pathsOf(withBase({ siteLinks: [{ name: 'L2', sites: ['Lyon', 'Nice'] }] }), 'unknown-reference')).toEqual(['siteLinks[1].sites[1]']);
  });

  it('unknown-reference flags unknown DAG members, database hosts and activation preferences', () => {
    const config = withBase({
      databaseAvailabilityGroups: [{ name: 'DAG1', members: ['EX01', 'EX09'] }],
      mailboxDatabases: [
        { name: 'DB02', masterServerOrAvailabilityGroup: 'DAG2' },
        { name: 'DB03', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['EX01', 'EX08'] },
      ],
    });
    expect(pathsOf(config, 'unknown-reference')).toEqual([
      'databaseAvailabilityGroups[0].members[1]',
      'mailboxDatabases[1].masterServerOrAvailabilityGroup',
      'mailboxDatabases[2].activationPreference[1]',
    ]);
  });

  it('unknown-reference flags a mailbox in an unknown database and a group with an unknown expansion server', () => {
    const config = withBase({
      recipients: {
        mailboxes: [{ address: 'bob@contoso.com', database: 'DB09' }],
        distributionGroups: [{ address: 'all@contoso.com', expansionServer: 'EX09' }],
      },
    });
    expect(pathsOf(config, 'unknown-reference')).toEqual(['recipients.mailboxes[0].database', 'recipients.distributionGroups[0].expansionServer']);
  });

  it('unknown-reference flags unknown connector servers and Edge subscription servers', () => {
    const config = withBase({
      sendConnectors: [{ name: 'To Fabrikam', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['EX01', 'EX7'] }],
      receiveConnectors: [{ name: 'Relay', server: 'EX7', bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.1.5.0/24'], permissionGroups: ['AnonymousUsers'] }],
      edgeSubscriptions: [{ edgeServer: 'EDGE09', site: 'Paris' }],
    });
    expect(pathsOf(config, 'unknown-reference')).toEqual(['sendConnectors[1].sourceTransportServers[1]', 'receiveConnectors[0].server', 'edgeSubscriptions[0].edgeServer']);
  });

  it('unknown-reference accepts names written in another case', () => {
    const config = withBase({
      servers: [mailbox('EX03', 'paris')],
      sendConnectors: [{ name: 'To Fabrikam', addressSpaces: ['fabrikam.com'], sourceTransportServers: ['ex03'] }],
    });
    expect(rule(config, 'unknown-reference')).toEqual([]);
  });
});
