import { describe, expect, it } from 'vitest';
import { contosoDomain, hopsOf, mailbox, plan1, topology } from './fixtures.js';

/** Paris (MBX-PAR1 in DAG1, MBX-PAR2 standalone hosting DB-P2), Lyon (MBX-LYO1 in DAG1). */
const org = (extra: Record<string, unknown> = {}) =>
  topology({
    sites: [{ name: 'Paris' }, { name: 'Lyon' }],
    siteLinks: [{ name: 'PAR-LYO', sites: ['Paris', 'Lyon'], cost: 10 }],
    servers: [mailbox('MBX-PAR1', 'Paris'), mailbox('MBX-PAR2', 'Paris'), mailbox('MBX-LYO1', 'Lyon'), mailbox('MBX-LYO2', 'Lyon')],
    databaseAvailabilityGroups: [{ name: 'DAG1', members: ['MBX-PAR1', 'MBX-LYO1'] }],
    mailboxDatabases: [
      { name: 'DB1', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['MBX-PAR1', 'MBX-LYO1'] },
      { name: 'DB-P2', masterServerOrAvailabilityGroup: 'MBX-PAR2' },
    ],
    acceptedDomains: [contosoDomain],
    recipients: {
      mailboxes: [
        { address: 'dag@contoso.com', database: 'DB1' },
        { address: 'solo@contoso.com', database: 'DB-P2' },
      ],
      distributionGroups: [
        { address: 'team@contoso.com', members: ['dag@contoso.com', 'solo@contoso.com'], expansionServer: 'MBX-LYO2' },
        { address: 'local@contoso.com', members: ['solo@contoso.com', 'inner@contoso.com'] },
        { address: 'inner@contoso.com', members: ['local@contoso.com', 'dag@contoso.com'] },
      ],
    },
    ...extra,
  });

describe('routing to mailbox databases (R6, R71, R72, R95–R99)', () => {
  it('R96 a DAG member in another site delivers itself to the active copy (SmtpDeliveryToMailbox)', () => {
    const d = plan1(org(), 'MBX-LYO1', 'dag@contoso.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpDeliveryToMailbox', deliveryGroup: { type: 'RoutableDag', name: 'DAG1' } });
    expect(d.nextHop).toMatchObject({ domain: 'DB1', targets: ['MBX-PAR1'] });
    expect(d.hops.at(-1)?.target).toBe('MBX-PAR1:475');
  });
  it('R72 R97 a server outside the DAG relays to the DAG members of the primary site, even in its own site', () => {
    const d = plan1(org(), 'MBX-PAR2', 'dag@contoso.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpRelayToDag', sitePath: ['Paris'], cost: 0 });
    expect(d.nextHop).toMatchObject({ domain: 'DAG1', targets: ['MBX-PAR1'], fallbacks: ['MBX-LYO1'] });
  });
  it('R91 the local site is primary before any remote site of the DAG', () => {
    const d = plan1(org(), 'MBX-LYO2', 'dag@contoso.com');
    expect(d.nextHop!.targets).toEqual(['MBX-LYO1']);
    expect(hopsOf(d)).toEqual([
      ['MBX-LYO2', 'relay', 'SmtpRelayToDag'],
      ['MBX-LYO1', 'deliver', 'SmtpDeliveryToMailbox'],
    ]);
  });
  it('R71 R96 a DAG member in the same site as a standalone database server delivers itself (mailbox delivery group)', () => {
    const d = plan1(org(), 'MBX-PAR1', 'solo@contoso.com');
    expect(d).toMatchObject({ deliveryType: 'SmtpDeliveryToMailbox', deliveryGroup: { type: 'MailboxDeliveryGroup' } });
    expect(d.deliveryGroup!.servers).toEqual(['MBX-PAR1', 'MBX-PAR2']);
  });
  it('R95 R98 A1 from another site: SmtpRelayToMailboxDeliveryGroup "site:paris; version:15"', () => {
    const d = plan1(org(), 'MBX-LYO1', 'solo@contoso.com');
    expect(d.deliveryType).toBe('SmtpRelayToMailboxDeliveryGroup');
    expect(d.nextHop!.domain.replace(/\s/g, '')).toBe('site:paris;version:15');
    expect(d.nextHop!.targets).toEqual(['MBX-PAR1', 'MBX-PAR2']);
  });
  it('R6 the active copy is the first server of activationPreference', () => {
    expect(plan1(org(), 'MBX-LYO1', 'dag@contoso.com').nextHop!.targets).toEqual(['MBX-PAR1']);
  });
  it('R6 when that server is down the next copy is active', () => {
    const d = plan1(org(), 'MBX-LYO1', 'dag@contoso.com', { down: ['MBX-PAR1'] });
    expect(d.nextHop!.targets).toEqual(['MBX-LYO1']);
    expect(d.hops.at(-1)?.target).toBe('MBX-LYO1:475');
  });
  it('R99 a group with an expansion server is relayed there (SmtpRelayToServers, FQDN) and expanded; members are planned from it', () => {
    const d = plan1(org(), 'MBX-PAR1', 'team@contoso.com');
    expect(d).toMatchObject({ recipientType: 'DistributionGroup', deliveryType: 'SmtpRelayToServers', routingDestination: { type: 'ExpansionServer', name: 'MBX-LYO2' } });
    expect(d.nextHop).toMatchObject({ domain: 'mbx-lyo2.contoso.com', targets: ['MBX-LYO2'] });
    expect(d.hops.at(-1)).toMatchObject({ server: 'MBX-LYO2', action: 'expand' });
    expect(d.members!.map((m) => [m.recipient, m.hops[0]!.server, m.deliveryType])).toEqual([
      ['dag@contoso.com', 'MBX-LYO2', 'SmtpRelayToDag'],
      ['solo@contoso.com', 'MBX-LYO2', 'SmtpRelayToMailboxDeliveryGroup'],
    ]);
  });
  it('R99 on the expansion server itself the group is expanded at once', () => {
    const d = plan1(org(), 'MBX-LYO2', 'team@contoso.com');
    expect(d.hops).toHaveLength(1);
    expect(d.hops[0]).toMatchObject({ action: 'expand', server: 'MBX-LYO2' });
    expect(d.members).toHaveLength(2);
  });
  it('R99 a group without expansion server is expanded on the categorizing server; nested groups once each', () => {
    const d = plan1(org(), 'MBX-PAR2', 'local@contoso.com');
    expect(d.hops[0]).toMatchObject({ action: 'expand', server: 'MBX-PAR2' });
    const inner = d.members!.find((m) => m.recipient === 'inner@contoso.com')!;
    expect(inner.members!.map((m) => m.recipient)).toEqual(['dag@contoso.com']);
  });
  it('R6 R88 no copy can be active (its only server is down): still routed to its DAG, the message waits at the point of failure', () => {
    const t = org({ mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'DAG1', activationPreference: ['MBX-PAR1'] }] });
    const d = plan1(t, 'MBX-LYO2', 'dag@contoso.com', { down: ['MBX-PAR1'] });
    expect(d).toMatchObject({ status: 'routed', deliveryGroup: { name: 'DAG1' } });
    // The DAG member in Lyon takes it and waits for the database's copy (R88, R96).
    expect(d.hops.at(-1)).toMatchObject({ server: 'MBX-LYO1', action: 'queue', target: 'Retry', nextHopDomain: 'DB1' });
  });
});
