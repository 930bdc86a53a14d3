import { describe, expect, it } from 'vitest';
import { planRoute } from '../../../src/core/route/index.js';
import { contosoDomain, hopsOf, mailbox, MB, plan1, topology, twoSites } from './fixtures.js';

const sized = () =>
  twoSites({
    organization: { maxSendSize: '20MB', maxReceiveSize: '25MB', maxRecipientEnvelopeLimit: 2 },
    mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
    recipients: {
      mailboxes: [
        { address: 'small@contoso.com', database: 'DB', maxReceiveSize: '5MB' },
        { address: 'big@contoso.com', database: 'DB', maxSendSize: '50MB' },
        { address: 'plain@contoso.com', database: 'DB' },
      ],
    },
    sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'], maxMessageSize: 'unlimited' }],
  });

describe('size limits (R87, R104, R130–R132)', () => {
  it('R131 a mailbox\'s own MaxReceiveSize decides: 5.2.3 RecipSizeLimit', () => {
    const d = plan1(sized(), 'MBX-LYO', 'small@contoso.com', { size: 6 * MB });
    expect(d).toMatchObject({ status: 'rejected', reason: { enhancedCode: '5.2.3' } });
    expect(d.reason!.text).toMatch(/RecipSizeLimit/);
  });
  it('R131 without its own limit the organization MaxReceiveSize applies (SendSizeLimit.Org)', () => {
    expect(plan1(sized(), 'MBX-LYO', 'plain@contoso.com', { size: 18 * MB }).status).toBe('routed');
    const d = plan1(sized(), 'MBX-LYO', 'plain@contoso.com', { size: 19 * MB, sender: 'big@contoso.com' });
    expect(d.status).toBe('routed');
    const org = plan1(sized(), 'MBX-LYO', 'x@fabrikam.com', { size: 26 * MB, sender: 'big@contoso.com' });
    expect(org.reason!.text).toMatch(/SendSizeLimit\.Org/);
  });
  it('R131 the sender\'s own MaxSendSize replaces the organization MaxSendSize', () => {
    expect(plan1(sized(), 'MBX-LYO', 'plain@contoso.com', { size: 21 * MB }).reason?.text).toMatch(/SendSizeLimit\.Org/);
    expect(plan1(sized(), 'MBX-LYO', 'plain@contoso.com', { size: 21 * MB, sender: 'big@contoso.com' }).status).toBe('routed');
  });
  it('R130 R132 recipients beyond MaxRecipientEnvelopeLimit are refused with 5.5.3', () => {
    const p = planRoute(sized(), { from: 'MBX-PAR', recipients: ['plain@contoso.com', 'big@contoso.com', 'small@contoso.com'] });
    expect(p.decisions.map((d) => d.status)).toEqual(['routed', 'routed', 'rejected']);
    expect(p.decisions[2]!.reason!.enhancedCode).toBe('5.5.3');
  });
  it('R87 a site link limit applies to the whole path, even with direct relay (not only the first link)', () => {
    const t = topology({
      sites: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
      siteLinks: [
        { name: 'A-B', sites: ['A', 'B'], cost: 1 },
        { name: 'B-C', sites: ['B', 'C'], cost: 1, maxMessageSize: '1MB' },
      ],
      servers: [mailbox('MBX-A', 'A'), mailbox('MBX-C', 'C')],
      mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'MBX-C' }],
      acceptedDomains: [contosoDomain],
      recipients: { mailboxes: [{ address: 'c@contoso.com', database: 'DB' }] },
    });
    expect(plan1(t, 'MBX-A', 'c@contoso.com', { size: 2 * MB })).toMatchObject({ status: 'rejected', reason: { enhancedCode: '5.3.4', rule: 'R87' } });
    expect(plan1(t, 'MBX-A', 'c@contoso.com').maxMessageSize).toBe(MB);
  });
});

/** W4 layout plus an extra server per site. */
const w4 = (extra: Record<string, unknown> = {}) =>
  topology({
    sites: [{ name: 'Paris' }, { name: 'Lyon' }, { name: 'Nice' }, { name: 'Mid' }],
    siteLinks: [
      { name: 'NIC-MID', sites: ['Nice', 'Mid'], cost: 2 },
      { name: 'MID-LYO', sites: ['Mid', 'Lyon'], cost: 3 },
      { name: 'NIC-PAR', sites: ['Nice', 'Paris'], cost: 9 },
      { name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 },
    ],
    servers: [mailbox('MBX-PAR1', 'Paris'), mailbox('MBX-LYO1', 'Lyon'), mailbox('MBX-LYO2', 'Lyon'), mailbox('MBX-NIC1', 'Nice'), mailbox('MBX-MID1', 'Mid')],
    databaseAvailabilityGroups: [{ name: 'DAG-X', members: ['MBX-PAR1', 'MBX-LYO1'] }],
    mailboxDatabases: [
      { name: 'DB-X', masterServerOrAvailabilityGroup: 'DAG-X', activationPreference: ['MBX-PAR1', 'MBX-LYO1'] },
      { name: 'DB-L', masterServerOrAvailabilityGroup: 'MBX-LYO2' },
    ],
    acceptedDomains: [contosoDomain],
    recipients: { mailboxes: [{ address: 'x@contoso.com', database: 'DB-X' }, { address: 'l@contoso.com', database: 'DB-L' }] },
    ...extra,
  });

describe('outages (R6, R88, R92)', () => {
  it('R88 no target in the primary site answers: the group\'s servers in its other sites are tried', () => {
    const d = plan1(w4(), 'MBX-NIC1', 'x@contoso.com', { down: ['MBX-LYO1'] });
    expect(d.nextHop).toMatchObject({ targets: ['MBX-LYO1'], fallbacks: ['MBX-PAR1', 'MBX-LYO2'] });
    expect(d.hops[0]).toMatchObject({ action: 'relay', target: 'MBX-PAR1' });
    expect(d.hops[0]!.note).toMatch(/R88/);
  });
  it('R88 no server of the group answers: back off along the path and wait in the first site that answers', () => {
    const d = plan1(w4(), 'MBX-NIC1', 'l@contoso.com', { down: ['Lyon'] });
    expect(d.sitePath).toEqual(['Nice', 'Mid', 'Lyon']);
    expect(hopsOf(d)).toEqual([
      ['MBX-NIC1', 'relay', 'SmtpRelayToRemoteAdSite'],
      ['MBX-MID1', 'queue', 'SmtpRelayToMailboxDeliveryGroup'],
    ]);
  });
  it('R88 nothing on the path answers: the message waits on the categorizing server (Retry)', () => {
    const d = plan1(w4(), 'MBX-NIC1', 'l@contoso.com', { down: ['Lyon', 'Mid'] });
    expect(d.status).toBe('routed');
    expect(d.hops).toEqual([expect.objectContaining({ server: 'MBX-NIC1', action: 'queue', target: 'Retry' })]);
  });
  it('R92 InboundMailEnabled false makes a site\'s servers unavailable targets', () => {
    const t = w4({ sites: [{ name: 'Paris' }, { name: 'Lyon', inboundMailEnabled: false }, { name: 'Nice' }, { name: 'Mid' }] });
    const d = plan1(t, 'MBX-NIC1', 'x@contoso.com');
    expect(d.nextHop!.targets).toEqual(['MBX-LYO1']);
    expect(d.hops[0]).toMatchObject({ target: 'MBX-PAR1' });
  });
  it('R88 a send connector that is down keeps the message queued on its source server', () => {
    const t = twoSites({ sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-LYO'] }] });
    const d = plan1(t, 'MBX-PAR', 'x@fabrikam.com', { down: ['Out'] });
    expect(hopsOf(d).at(-1)).toEqual(['MBX-LYO', 'queue', 'DnsConnectorDelivery']);
  });
  it('R6 R88 every copy of a DAG database down: still routed to the DAG; backs off to the first site on the path that answers and waits there', () => {
    const d = plan1(w4(), 'MBX-NIC1', 'x@contoso.com', { down: ['Lyon', 'Paris'] });
    expect(d).toMatchObject({ status: 'routed', deliveryType: 'SmtpRelayToDag', nextHop: { domain: 'DAG-X' } });
    expect(d.sitePath).toEqual(['Nice', 'Mid', 'Lyon']);
    expect(hopsOf(d)).toEqual([
      ['MBX-NIC1', 'relay', 'SmtpRelayToRemoteAdSite'],
      ['MBX-MID1', 'queue', 'SmtpRelayToDag'],
    ]);
    expect(d.hops[1]).toMatchObject({ target: 'Retry', nextHopDomain: 'DAG-X' });
  });
  it('R6 an unknown name in --down is a usage error listing the known names', () => {
    expect(() => plan1(w4(), 'MBX-NIC1', 'x@contoso.com', { down: ['Atlantis'] })).toThrow(/no server, site or send connector/);
  });
});

describe('bifurcation (R89, R150)', () => {
  it('R89 R150 recipients with the same next hop share one queue; different next hops split', () => {
    const t = twoSites({
      databaseAvailabilityGroups: [{ name: 'DAG', members: ['MBX-LYO'] }],
      mailboxDatabases: [{ name: 'DB', masterServerOrAvailabilityGroup: 'DAG', activationPreference: ['MBX-LYO'] }],
      recipients: { mailboxes: [{ address: 'a@contoso.com', database: 'DB' }, { address: 'b@contoso.com', database: 'DB' }] },
      sendConnectors: [{ name: 'Out', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] }],
    });
    const p = planRoute(t, { from: 'MBX-PAR', recipients: ['a@contoso.com', 'x@fabrikam.com', 'b@contoso.com', 'y@fabrikam.com', 'z@tailspin.com'] });
    expect(p.queues).toEqual([
      { deliveryType: 'SmtpRelayToDag', domain: 'DAG', recipients: ['a@contoso.com', 'b@contoso.com'] },
      { deliveryType: 'DnsConnectorDelivery', domain: 'fabrikam.com', recipients: ['x@fabrikam.com', 'y@fabrikam.com'] },
      { deliveryType: 'DnsConnectorDelivery', domain: 'tailspin.com', recipients: ['z@tailspin.com'] },
    ]);
  });
});
