import { describe, expect, it } from 'vitest';
import { chooseTransportService } from '../../../src/core/policy/transport-choice.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

// Paris — Lyon (hub) — Nice, and Paris — Nice dearer: Paris→Nice runs through the Lyon hub.
const t = topology({
  sites: [{ name: 'Paris' }, { name: 'Lyon', hubSiteEnabled: true }, { name: 'Nice' }, { name: 'Lille' }],
  siteLinks: [
    { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
    { name: 'LYO-NIC', sites: ['Lyon', 'Nice'], cost: 10 },
    { name: 'PAR-NIC', sites: ['Paris', 'Nice'], cost: 50 },
    { name: 'PAR-LIL', sites: ['Paris', 'Lille'], cost: 5 },
  ],
  servers: [mailbox('PAR1', 'Paris'), mailbox('PAR2', 'Paris'), mailbox('LYO1', 'Lyon'), mailbox('NIC1', 'Nice'), mailbox('NIC2', 'Nice'), mailbox('LIL1', 'Lille')],
  databaseAvailabilityGroups: [{ name: 'DAG-NIC', members: ['NIC1', 'NIC2'] }],
  mailboxDatabases: [
    { name: 'DB-NIC', masterServerOrAvailabilityGroup: 'DAG-NIC', activationPreference: ['NIC1', 'NIC2'] },
    { name: 'DB-LIL', masterServerOrAvailabilityGroup: 'LIL1' },
    { name: 'DB-PAR', masterServerOrAvailabilityGroup: 'PAR2' },
  ],
  acceptedDomains: [contosoDomain],
  recipients: {
    mailboxes: [
      { address: 'nina@contoso.com', database: 'DB-NIC' },
      { address: 'lila@contoso.com', database: 'DB-LIL' },
      { address: 'paul@contoso.com', database: 'DB-PAR' },
    ],
  },
});
const server = (name: string) => t.servers.find((s) => s.name === name)!;

describe('R125 Front End Transport picks a Transport service by the recipients', () => {
  it('R125 one mailbox recipient: a server of its delivery group, here the Lille mailbox delivery group', () => {
    const choice = chooseTransportService(t, server('PAR1'), ['lila@contoso.com'], 'FrontendTransport');
    expect(choice).toMatchObject({ rule: 'R125', servers: ['LIL1'], basis: 'deliveryGroup', deliveryGroup: { type: 'MailboxDeliveryGroup' }, decidedBy: ['lila@contoso.com'] });
  });

  it('R125 with R85: a hub site on the path to the recipient\'s group takes its place', () => {
    const choice = chooseTransportService(t, server('PAR1'), ['nina@contoso.com'], 'FrontendTransport');
    expect(choice).toMatchObject({ servers: ['LYO1'], basis: 'hubSite', deliveryGroup: { type: 'RoutableDag', name: 'DAG-NIC' } });
  });

  it('R125 several mailbox recipients: the closest of their delivery groups wins', () => {
    const choice = chooseTransportService(t, server('LIL1'), ['nina@contoso.com', 'paul@contoso.com'], 'FrontendTransport');
    // From Lille, Paris (cost 5) is closer than Nice (25 through the Lyon hub).
    expect(choice).toMatchObject({ servers: ['PAR1', 'PAR2'], basis: 'deliveryGroup', deliveryGroup: { type: 'MailboxDeliveryGroup', name: 'site:paris; version:15' } });
  });

  it('R125 no mailbox recipient: a Mailbox server of the FET\'s own site', () => {
    const choice = chooseTransportService(t, server('PAR1'), ['someone@fabrikam.com'], 'FrontendTransport');
    expect(choice).toMatchObject({ servers: ['PAR1', 'PAR2'], basis: 'localSite', decidedBy: [] });
  });

  it('R125 only the first 20 recipients decide', () => {
    const outsiders = Array.from({ length: 20 }, (_, i) => `x${i}@fabrikam.com`);
    expect(chooseTransportService(t, server('PAR1'), [...outsiders, 'lila@contoso.com'], 'FrontendTransport').basis).toBe('localSite');
    expect(chooseTransportService(t, server('PAR1'), [...outsiders.slice(1), 'lila@contoso.com'], 'FrontendTransport').servers).toEqual(['LIL1']);
  });

  it('R92/R6 a server marked down is not offered; a DAG database fails over to its next copy', () => {
    const choice = chooseTransportService(t, server('PAR1'), ['someone@fabrikam.com'], 'FrontendTransport', ['PAR2']);
    expect(choice.servers).toEqual(['PAR1']);
    const fromNice = chooseTransportService(t, server('NIC1'), ['nina@contoso.com'], 'FrontendTransport', ['NIC2']);
    expect(fromNice.servers).toEqual(['NIC1']);
  });
});

describe('R126 Mailbox Transport Submission', () => {
  it('R126 chooses like the FET when a mailbox recipient decides', () => {
    expect(chooseTransportService(t, server('PAR1'), ['lila@contoso.com'], 'MailboxTransportSubmission')).toMatchObject({ rule: 'R126', servers: ['LIL1'] });
  });

  it('R126 with no mailbox recipient falls back to its own delivery group (its DAG)', () => {
    expect(chooseTransportService(t, server('NIC1'), ['someone@fabrikam.com'], 'MailboxTransportSubmission')).toMatchObject({ servers: ['NIC1', 'NIC2'], basis: 'localDeliveryGroup' });
  });
});
