/**
 * Internationalized domains (IDNA) in the config: an accepted domain (R62), a send connector address
 * space (R101) or a directory address written with U-labels (`bücher.example`) is the same domain as
 * its A-label form (`xn--bcher-kva.example`), which is how addresses are compared
 * (core/model/address.ts), so an address matches in either form.
 */
import { describe, expect, it } from 'vitest';
import { parseAddressSpace } from '../../../src/core/model/address-space.js';
import { decideRcpt, matchAcceptedDomain } from '../../../src/core/policy/decisions.js';
import { sessionPermissions } from '../../../src/core/policy/permissions.js';
import { resolveRecipient } from '../../../src/core/route/recipients.js';
import { routingIndex } from '../../../src/core/route/routing-index.js';
import { findingsOf } from '../../helpers/topology.js';
import { contosoDomain, mailbox, plan1, topology } from './fixtures.js';

const U = 'bücher.example';
const A = 'xn--bcher-kva.example';

const config = {
  sites: [{ name: 'Paris' }],
  servers: [mailbox('MBX-PAR', 'Paris')],
  acceptedDomains: [contosoDomain, { domainName: U, domainType: 'Authoritative' as const }, { domainName: '*.zürich.example', domainType: 'InternalRelay' as const }],
  mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
  recipients: { mailboxes: [{ address: `jö@${U}`, database: 'DB1' }] },
  sendConnectors: [
    { name: 'To Zürich', addressSpaces: ['SMTP:*.zürich.example;5'], sourceTransportServers: ['MBX-PAR'] },
    { name: 'Internet', addressSpaces: ['*'], sourceTransportServers: ['MBX-PAR'] },
    { name: 'To Müller', addressSpaces: ['müller.example'], sourceTransportServers: ['MBX-PAR'] },
  ],
  receiveConnectors: [{ name: 'Anon', server: 'MBX-PAR', bindings: ['0.0.0.0:2600'], remoteIPRanges: ['10.0.0.0/8'], permissionGroups: ['AnonymousUsers' as const] }],
};
const t = topology(config);
const connector = t.receiveConnectors.find((c) => c.name === 'Anon')!;
const permissions = sessionPermissions(connector, 'anonymous');
const rcpt = (recipient: string, utf8: boolean) => decideRcpt({ topology: t, server: t.servers[0]!, connector, permissions, recipient, acceptedSoFar: 0, utf8 });

describe('IDNA: config domains written as U-labels match addresses in either form', () => {
  it('validation accepts U-label accepted domains and address spaces (V40, V30)', () => {
    expect(findingsOf(config).filter((f) => f.ruleId === 'V40' || f.ruleId === 'V30')).toEqual([]);
    expect(parseAddressSpace('SMTP:*.Zürich.example;5')).toEqual({ ok: true, value: { type: 'SMTP', address: '*.xn--zrich-kva.example', cost: 5 } });
    expect(parseAddressSpace('b\u00fccher..example').ok).toBe(false);
  });

  it('R62: an accepted domain written bücher.example takes a@bücher.example (SMTPUTF8) and a@xn--bcher-kva.example alike', () => {
    for (const [recipient, utf8] of [[`jö@${U}`, true], [`a@${A}`, false], ['a@B\u00dcCHER.example', true]] as const) {
      expect(rcpt(recipient, utf8)).toMatchObject({ accepted: true, acceptedDomain: { domain: { domainName: U }, kind: 'exact' } });
    }
    expect(matchAcceptedDomain(t, `mail.${A}`)).toBeUndefined();
    expect(matchAcceptedDomain(t, 'mail.xn--zrich-kva.example')).toMatchObject({ domain: { domainName: '*.zürich.example' }, kind: 'wildcard' });
  });

  it('R62, R64: the categorizer finds the accepted domain and the mailbox whichever form the address uses', () => {
    const index = routingIndex(t);
    for (const address of [`jö@${U}`, `jö@${A}`, `JÖ@${A.toUpperCase()}`]) {
      expect(resolveRecipient(index, address)).toMatchObject({ domain: A, recipientType: 'Mailbox', accepted: { domainName: U } });
    }
    expect(resolveRecipient(index, `nobody@${A}`)).toMatchObject({ recipientType: 'Unknown', accepted: { domainName: U } });
  });

  it('R101: an address space written with U-labels takes the recipient in either form', () => {
    expect(plan1(t, 'MBX-PAR', 'x@müller.example')).toMatchObject({ status: 'routed', connector: 'To Müller' });
    expect(plan1(t, 'MBX-PAR', 'x@xn--mller-kva.example')).toMatchObject({ status: 'routed', connector: 'To Müller' });
    expect(plan1(t, 'MBX-PAR', 'x@mail.xn--zrich-kva.example')).toMatchObject({ status: 'routed', connector: 'To Zürich', recipientType: 'InternalRelay' });
  });

  it('accepted-domain-overlap sees bücher.example and xn--bcher-kva.example as one domain', () => {
    const twice = { ...config, acceptedDomains: [...config.acceptedDomains, { name: 'Again', domainName: A }] };
    expect(findingsOf(twice).filter((f) => f.ruleId === 'accepted-domain-overlap').map((f) => f.path.join('.'))).toEqual(['acceptedDomains.3.domainName']);
  });
});
