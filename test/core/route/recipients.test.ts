import { describe, expect, it } from 'vitest';
import { routingIndex } from '../../../src/core/route/routing-index.js';
import { matchAccepted, resolveRecipient } from '../../../src/core/route/recipients.js';
import { contosoDomain, mailbox, plan1, topology, twoSites } from './fixtures.js';

const domains = topology({
  acceptedDomains: [
    contosoDomain,
    { domainName: '*.contoso.com', domainType: 'InternalRelay' },
    { domainName: '*.eu.contoso.com', domainType: 'ExternalRelay' },
    { domainName: 'fabrikam.com', domainType: 'InternalRelay', matchSubDomains: true },
    { domainName: 'sub.fabrikam.com', domainType: 'ExternalRelay' },
  ],
});

describe('recipient resolution (R60–R64)', () => {
  it('R62 an exact accepted domain beats any wildcard', () => {
    expect(matchAccepted(routingIndex(domains), 'contoso.com')?.domainName).toBe('contoso.com');
  });
  it('R62 among wildcards the longest suffix wins', () => {
    const index = routingIndex(domains);
    expect(matchAccepted(index, 'a.eu.contoso.com')?.domainName).toBe('*.eu.contoso.com');
    expect(matchAccepted(index, 'a.us.contoso.com')?.domainName).toBe('*.contoso.com');
  });
  it('A16 matchSubDomains makes a plain domain cover its subdomains; an exact subdomain entry still wins (R62)', () => {
    const index = routingIndex(domains);
    expect(matchAccepted(index, 'x.fabrikam.com')?.domainName).toBe('fabrikam.com');
    expect(matchAccepted(index, 'sub.fabrikam.com')?.domainName).toBe('sub.fabrikam.com');
    expect(matchAccepted(routingIndex(topology({ acceptedDomains: [{ domainName: 'tailspin.com', default: true }] })), 'x.tailspin.com')).toBeUndefined();
  });
  it('R60 a domain that matches no accepted domain is External', () => {
    expect(resolveRecipient(routingIndex(domains), 'a@northwind.com').recipientType).toBe('External');
  });
  it('R61 R64 types: Authoritative unknown → Unknown, InternalRelay unknown → InternalRelay, ExternalRelay → ExternalRelay', () => {
    const index = routingIndex(domains);
    expect(resolveRecipient(index, 'nobody@contoso.com').recipientType).toBe('Unknown');
    expect(resolveRecipient(index, 'a@x.contoso.com').recipientType).toBe('InternalRelay');
    expect(resolveRecipient(index, 'a@x.eu.contoso.com').recipientType).toBe('ExternalRelay');
  });
  it('R61 an unknown recipient of an authoritative domain is rejected with 5.1.1 by the categorizer', () => {
    const d = plan1(twoSites(), 'MBX-PAR', 'nobody@contoso.com');
    expect(d).toMatchObject({ status: 'rejected', recipientType: 'Unknown', deliveryType: null });
    expect(d.reason).toMatchObject({ code: 550, enhancedCode: '5.1.1' });
  });
  it('R64 mailboxes are found by primary and proxy address; groups are DistributionGroup', () => {
    const t = twoSites({
      databaseAvailabilityGroups: [],
      mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
      recipients: { mailboxes: [{ address: 'a@contoso.com', database: 'DB1', emailAddresses: ['alias@contoso.com'] }], distributionGroups: [{ address: 'g@contoso.com', members: [] }] },
    });
    const index = routingIndex(t);
    expect(resolveRecipient(index, 'ALIAS@contoso.com').recipientType).toBe('Mailbox');
    expect(resolveRecipient(index, 'g@contoso.com').recipientType).toBe('DistributionGroup');
  });
  it('R64 a mail contact is routed to its external address by connector', () => {
    const t = twoSites({
      recipients: { mailContacts: [{ address: 'partner@contoso.com', externalEmailAddress: 'p@fabrikam.com' }] },
      sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-LYO'] }],
    });
    const d = plan1(t, 'MBX-PAR', 'partner@contoso.com');
    expect(d).toMatchObject({ recipientType: 'External', targetAddress: 'p@fabrikam.com', connector: 'Out', status: 'routed' });
  });
  it('R65 remote domains never change routing', () => {
    const connectors = { sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-LYO'] }] };
    const plain = plan1(twoSites(connectors), 'MBX-PAR', 'x@fabrikam.com');
    const withRemote = plan1(twoSites({ ...connectors, remoteDomains: [{ name: 'Fabrikam', domainName: 'fabrikam.com' }] }), 'MBX-PAR', 'x@fabrikam.com');
    expect(JSON.parse(JSON.stringify(withRemote))).toEqual(JSON.parse(JSON.stringify(plain)));
  });
  it('R121 a malformed address is rejected with 5.1.2', () => {
    const d = plan1(twoSites(), 'MBX-PAR', 'not-an-address');
    expect(d.reason?.enhancedCode).toBe('5.1.2');
  });
  it('R64 servers are unaffected by mailbox placement: a mailbox on a server elsewhere is routed, not rejected', () => {
    const t = twoSites({
      mailboxDatabases: [{ name: 'DB-LYO', masterServerOrAvailabilityGroup: 'MBX-LYO' }],
      recipients: { mailboxes: [{ address: 'l@contoso.com', database: 'DB-LYO' }] },
      servers: [mailbox('MBX-PAR', 'Paris'), mailbox('MBX-LYO', 'Lyon')],
    });
    expect(plan1(t, 'MBX-PAR', 'l@contoso.com').status).toBe('routed');
  });
});
