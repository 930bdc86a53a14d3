import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../src/core/model/topology.js';
import { decideMailFrom, decideRcpt, matchAcceptedDomain } from '../../../src/core/policy/decisions.js';
import { evaluateInboundSession, type InboundRequest } from '../../../src/core/policy/inbound-session.js';
import { sessionPermissions, type Principal } from '../../../src/core/policy/permissions.js';
import { contosoDomain, mailbox, topology } from '../../helpers/topology.js';

const t = topology({
  sites: [{ name: 'Paris' }],
  servers: [mailbox('MBX-PAR', 'Paris', { addresses: ['10.1.0.11'] })],
  acceptedDomains: [
    contosoDomain,
    { domainName: 'legacy.contoso.com', domainType: 'InternalRelay' },
    { domainName: '*.fabrikam.org', domainType: 'ExternalRelay' },
    { domainName: 'tailspin.com', domainType: 'InternalRelay', matchSubDomains: true },
  ],
  receiveConnectors: [
    { name: 'Tiny', server: 'MBX-PAR', bindings: ['0.0.0.0:2600'], remoteIPRanges: ['10.0.0.0/8'], permissionGroups: ['AnonymousUsers'], maxRecipientsPerMessage: 2, maxMessageSize: '1MB' },
    {
      name: 'No spoof',
      server: 'MBX-PAR',
      bindings: ['0.0.0.0:2601'],
      remoteIPRanges: ['10.0.0.0/8'],
      permissionGroups: [],
      adPermissions: [{ user: 'NT AUTHORITY\\ANONYMOUS LOGON', extendedRights: ['ms-Exch-SMTP-Submit'] }],
    },
  ],
});
const rc = (name: string) => t.receiveConnectors.find((c) => c.name === name)!;
const server = t.servers[0]!;
const perms = (name: string, principal: Principal) => sessionPermissions(rc(name), principal);

function session(over: Partial<InboundRequest>): ReturnType<typeof evaluateInboundSession> {
  return evaluateInboundSession(t, { server: 'MBX-PAR', port: 25, remoteAddress: '198.51.100.20', auth: 'none', sender: '', recipients: [], ...over });
}

describe('W6 relay refusal on the default Internet entry point (R20, R40, R60)', () => {
  it('W6 anonymous on port 25: fabrikam.com refused with 5.7.54, contoso.com accepted in the same transaction', () => {
    const e = session({ recipients: ['a@fabrikam.com', 'user@contoso.com'] });
    expect(e.connector?.name).toBe('Default Frontend MBX-PAR');
    expect(e.permissions?.principalNames).toEqual(['NT AUTHORITY\\ANONYMOUS LOGON']);
    expect(e.recipients.map((r) => [r.recipient, r.reply.code, r.reply.enhancedCode])).toEqual([
      ['a@fabrikam.com', 550, '5.7.54'],
      ['user@contoso.com', 250, '2.1.5'],
    ]);
    expect(e.recipients[0]!.reply.text).toBe('SMTP; Unable to relay recipient in non-accepted domain');
  });

  it('W6 the same client on port 587 gets 530 5.7.1 Client was not authenticated at MAIL FROM, for every recipient', () => {
    const e = session({ port: 587, recipients: ['a@fabrikam.com', 'user@contoso.com'] });
    expect(e.connector?.name).toBe('Client Frontend MBX-PAR');
    expect(e.mailFrom).toMatchObject({ accepted: false, failedCheck: 'submit', reply: { code: 530, enhancedCode: '5.7.1', text: 'Client was not authenticated' } });
    expect(e.recipients.every((r) => r.stage === 'mailFrom' && r.reply.code === 530 && !r.accepted)).toBe(true);
  });

  it('R60 an authenticated user on Client Frontend may relay anywhere', () => {
    const e = session({ port: 587, auth: 'user', recipients: ['a@fabrikam.com'] });
    expect(e.recipients[0]).toMatchObject({ accepted: true, reply: { code: 250 } });
  });

  it('R33 no connector: every recipient gets 421 4.3.2', () => {
    const e = session({ port: 2700, recipients: ['user@contoso.com'] });
    expect(e.connector).toBeUndefined();
    expect(e.recipients[0]).toMatchObject({ accepted: false, stage: 'connect', reply: { code: 421, enhancedCode: '4.3.2' } });
  });
});

describe('MAIL FROM (R57)', () => {
  const mail = (name: string, principal: Principal, sender: string, declaredSize?: number) =>
    decideMailFrom({ topology: t, connector: rc(name), permissions: perms(name, principal), sender, declaredSize });

  it('A13 a user authenticated on Default Frontend gets 550 5.7.1 no permission to submit', () => {
    expect(mail('Default Frontend MBX-PAR', 'user', 'alice@contoso.com')).toMatchObject({
      accepted: false,
      failedCheck: 'submit',
      reply: { code: 550, enhancedCode: '5.7.1', text: 'Client does not have permissions to submit to this server' },
    });
  });

  it('R57 order: the submit right is checked before size, sender and syntax', () => {
    expect(mail('Client Frontend MBX-PAR', 'anonymous', 'not an address', 10 ** 12).failedCheck).toBe('submit');
  });

  it('R57 order: size before the authoritative-sender check and syntax', () => {
    expect(mail('No spoof', 'anonymous', 'x@contoso.com', 40 * 1024 ** 2).failedCheck).toBe('size');
    expect(mail('Tiny', 'anonymous', 'bad address', 2 * 1024 ** 2)).toMatchObject({ failedCheck: 'size', reply: { code: 552, enhancedCode: '5.3.4' } });
  });

  it('R42 Bypass-Message-Size-Limit skips the size check (Exchange servers)', () => {
    expect(mail('Default MBX-PAR', 'exchangeServer', 'x@contoso.com', 100 * 1024 ** 2).accepted).toBe(true);
  });

  it('R57 step 3: an anonymous sender in an authoritative domain needs Accept-Authoritative-Domain-Sender', () => {
    expect(mail('No spoof', 'anonymous', 'ceo@contoso.com')).toMatchObject({
      accepted: false,
      failedCheck: 'authoritativeSender',
      reply: { code: 550, enhancedCode: '5.7.1', text: 'Client does not have permissions to send as this sender' },
    });
    // InternalRelay domain: not authoritative, so no check; the default anonymous group grants it anyway
    expect(mail('No spoof', 'anonymous', 'x@legacy.contoso.com').accepted).toBe(true);
    expect(mail('Default Frontend MBX-PAR', 'anonymous', 'ceo@contoso.com').accepted).toBe(true);
  });

  it('R57 step 5: syntax last; the null sender is valid', () => {
    expect(mail('Default Frontend MBX-PAR', 'anonymous', 'no-at-sign')).toMatchObject({ failedCheck: 'syntax', reply: { code: 501, enhancedCode: '5.1.7' } });
    expect(mail('Default Frontend MBX-PAR', 'anonymous', '').accepted).toBe(true);
  });

  it('R57 step 4: a user may send only as an address it owns unless Accept-Any-Sender', () => {
    const name = 'Client Frontend MBX-PAR';
    const decide = (sender: string) => decideMailFrom({ topology: t, connector: rc(name), permissions: perms(name, 'user'), sender, ownedAddresses: ['alice@contoso.com'] });
    expect(decide('alice@contoso.com').accepted).toBe(true);
    expect(decide('bob@contoso.com')).toMatchObject({ failedCheck: 'sendAs', reply: { code: 550, enhancedCode: '5.7.60' } });
  });
});

describe('RCPT TO (R56, R60, R62, R73)', () => {
  const rcpt = (name: string, principal: Principal, recipient: string, acceptedSoFar = 0, topo: Topology = t, role: 'Mailbox' | 'Edge' = 'Mailbox') =>
    decideRcpt({ topology: topo, server: { role }, connector: rc(name) ?? topo.receiveConnectors[0]!, permissions: perms(name, principal), recipient, acceptedSoFar });

  it('R60 accepted domains of every type are accepted without relay permission', () => {
    for (const r of ['x@contoso.com', 'x@legacy.contoso.com', 'x@eu.fabrikam.org', 'x@tailspin.com']) {
      expect(rcpt('Default Frontend MBX-PAR', 'anonymous', r).accepted, r).toBe(true);
    }
  });

  it('R60 a non-accepted domain needs Accept-Any-Recipient; refusals keep the transaction open', () => {
    expect(rcpt('Default Frontend MBX-PAR', 'anonymous', 'x@fabrikam.com')).toMatchObject({ accepted: false, failedCheck: 'relay', reply: { code: 550, enhancedCode: '5.7.54' } });
    expect(rcpt('Default MBX-PAR', 'exchangeServer', 'x@fabrikam.com').accepted).toBe(true);
  });

  it('R62 wildcard *.fabrikam.org matches the domain itself and subdomains; an exact name only itself', () => {
    expect(matchAcceptedDomain(t, 'fabrikam.org')?.domain.domainName).toBe('*.fabrikam.org');
    expect(matchAcceptedDomain(t, 'a.b.fabrikam.org')?.kind).toBe('wildcard');
    expect(matchAcceptedDomain(t, 'sub.contoso.com')).toBeUndefined();
    expect(matchAcceptedDomain(t, 'notfabrikam.org')).toBeUndefined();
    expect(rcpt('Default Frontend MBX-PAR', 'anonymous', 'x@sub.contoso.com').reply.enhancedCode).toBe('5.7.54');
  });

  it('R62 the most specific accepted domain wins: exact over wildcard, longer wildcard over shorter', () => {
    const domains = topology({
      acceptedDomains: [
        { domainName: '*.contoso.com', domainType: 'InternalRelay' },
        { domainName: '*.eu.contoso.com', domainType: 'ExternalRelay' },
        { ...contosoDomain },
      ],
    });
    expect(matchAcceptedDomain(domains, 'contoso.com')?.domain.domainType).toBe('Authoritative');
    expect(matchAcceptedDomain(domains, 'x.eu.contoso.com')?.domain.domainType).toBe('ExternalRelay');
    expect(matchAcceptedDomain(domains, 'us.contoso.com')?.domain.domainType).toBe('InternalRelay');
  });

  it('A16 matchSubDomains makes a plain domain accept its subdomains, with its own type', () => {
    const m = matchAcceptedDomain(t, 'mail.eu.tailspin.com');
    expect(m).toMatchObject({ kind: 'subdomain', domain: { domainName: 'tailspin.com', domainType: 'InternalRelay' } });
    expect(rcpt('Default Frontend MBX-PAR', 'anonymous', 'x@eu.tailspin.com').accepted).toBe(true);
  });

  it('R56 beyond MaxRecipientsPerMessage each further RCPT gets 452 4.5.3; the first N are accepted', () => {
    const e = evaluateInboundSession(t, {
      server: 'MBX-PAR', port: 2600, remoteAddress: '10.2.2.2', auth: 'none', sender: 'x@fabrikam.com',
      recipients: ['a@contoso.com', 'nope@fabrikam.com', 'b@contoso.com', 'c@contoso.com', 'd@contoso.com'],
    });
    expect(e.connector?.name).toBe('Tiny');
    expect(e.recipients.map((r) => r.reply.code)).toEqual([250, 550, 250, 452, 452]);
    expect(e.recipients[3]!.reply.enhancedCode).toBe('4.5.3');
  });

  it('R56 the limit does not apply to Exchange servers relaying inside the organization', () => {
    expect(rcpt('Default MBX-PAR', 'exchangeServer', 'x@contoso.com', 10_000).accepted).toBe(true);
    expect(rcpt('Default MBX-PAR', 'user', 'x@contoso.com', 5000).reply.code).toBe(452);
  });

  it('R53 a malformed recipient gets 501 5.1.3', () => {
    expect(rcpt('Default Frontend MBX-PAR', 'anonymous', 'nobody')).toMatchObject({ failedCheck: 'syntax', reply: { code: 501, enhancedCode: '5.1.3' } });
  });

  describe('R73 Recipient Lookup on Edge', () => {
    const edgeTopology = (recipientValidationEnabled: boolean) =>
      topology({
        sites: [{ name: 'Paris' }],
        servers: [mailbox('MBX-PAR', 'Paris'), { name: 'EDGE', role: 'Edge', fqdn: 'edge.contoso.com' }],
        databaseAvailabilityGroups: [],
        mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
        acceptedDomains: [contosoDomain, { domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }],
        recipients: { mailboxes: [{ address: 'alice@contoso.com', database: 'DB1', emailAddresses: ['a.smith@contoso.com'] }] },
        recipientFilter: { recipientValidationEnabled },
      });
    const decide = (topo: Topology, recipient: string) => {
      const connector = topo.receiveConnectors.find((c) => c.server === 'EDGE')!;
      return decideRcpt({ topology: topo, server: { role: 'Edge' }, connector, permissions: sessionPermissions(connector, 'anonymous'), recipient, acceptedSoFar: 0 });
    };

    it('R73 off by default: an unknown authoritative recipient is accepted at RCPT', () => {
      expect(decide(edgeTopology(false), 'ghost@contoso.com').accepted).toBe(true);
    });

    it('R73 on: unknown authoritative recipient → 550 5.1.1 User unknown; known addresses and proxy addresses pass', () => {
      const topo = edgeTopology(true);
      expect(decide(topo, 'ghost@contoso.com')).toMatchObject({ accepted: false, failedCheck: 'recipientLookup', reply: { code: 550, enhancedCode: '5.1.1', text: 'User unknown' } });
      expect(decide(topo, 'alice@contoso.com').accepted).toBe(true);
      expect(decide(topo, 'A.Smith@contoso.com').accepted).toBe(true);
    });

    it('R73 InternalRelay domains are never looked up, and Mailbox servers never look up', () => {
      const topo = edgeTopology(true);
      expect(decide(topo, 'ghost@legacy.contoso.com').accepted).toBe(true);
      const fe = topo.receiveConnectors.find((c) => c.name === 'Default Frontend MBX-PAR')!;
      expect(decideRcpt({ topology: topo, server: { role: 'Mailbox' }, connector: fe, permissions: sessionPermissions(fe, 'anonymous'), recipient: 'ghost@contoso.com', acceptedSoFar: 0 }).accepted).toBe(true);
    });
  });
});
