import { describe, expect, it } from 'vitest';
import { pathsOf, rule, withBase } from './fixture.js';

const recipients = (r: Record<string, unknown>, domains: unknown[] = []) => withBase({ recipients: r, acceptedDomains: domains });

describe('recipients', () => {
  it('recipient-domain flags mailbox, proxy and group addresses outside the accepted domains', () => {
    const config = recipients({
      mailboxes: [{ address: 'bob@fabrikam.com', database: 'DB01', emailAddresses: ['bob@contoso.com', 'bob@tailspin.com'] }],
      distributionGroups: [{ address: 'team@fabrikam.com' }],
    });
    expect(pathsOf(config, 'recipient-domain')).toEqual([
      'recipients.mailboxes[0].address',
      'recipients.mailboxes[0].emailAddresses[1]',
      'recipients.distributionGroups[0].address',
    ]);
  });

  it('recipient-domain flags a mailbox in an ExternalRelay domain, even below a wildcard authoritative one', () => {
    const config = recipients({ mailboxes: [{ address: 'eve@partner.contoso.com', database: 'DB01' }] }, [{ domainName: '*.contoso.com' }, { domainName: 'partner.contoso.com', domainType: 'ExternalRelay' }]);
    const found = rule(config, 'recipient-domain');
    expect(found.map((f) => f.path.join('.'))).toEqual(['recipients.mailboxes.0.address']);
    expect(found[0]!.message).toContain('ExternalRelay');
  });

  it('recipient-domain accepts subdomains of a wildcard or matchSubDomains domain, and InternalRelay domains', () => {
    const config = recipients(
      { mailboxes: [{ address: 'bob@sales.contoso.com', database: 'DB01', emailAddresses: ['bob@eu.fabrikam.com', 'bob@legacy.org'] }] },
      [{ domainName: '*.contoso.com' }, { domainName: 'fabrikam.com', matchSubDomains: true }, { domainName: 'legacy.org', domainType: 'InternalRelay' }],
    );
    expect(rule(config, 'recipient-domain')).toEqual([]);
  });

  it('recipient-unique flags an address held by two recipients (proxy addresses included)', () => {
    const config = recipients({
      mailboxes: [{ address: 'alice@contoso.com', database: 'DB01', emailAddresses: ['sales@contoso.com'] }],
      distributionGroups: [{ address: 'SALES@contoso.com' }],
      mailContacts: [{ address: 'alice@contoso.com', externalEmailAddress: 'alice@fabrikam.com' }],
    });
    expect(pathsOf(config, 'recipient-unique')).toEqual(['recipients.distributionGroups[0].address', 'recipients.mailContacts[0].address']);
  });

  it('recipient-unique accepts a mailbox repeating its own primary address among its proxies', () => {
    expect(rule(recipients({ mailboxes: [{ address: 'alice@contoso.com', database: 'DB01', emailAddresses: ['alice@contoso.com'] }] }), 'recipient-unique')).toEqual([]);
  });

  it('group-membership-cycle warns about a group that contains itself through nested groups', () => {
    const config = recipients({
      distributionGroups: [
        { address: 'a@contoso.com', members: ['b@contoso.com'] },
        { address: 'b@contoso.com', members: ['c@contoso.com'] },
        { address: 'c@contoso.com', members: ['A@contoso.com'] },
      ],
    });
    expect(pathsOf(config, 'group-membership-cycle')).toEqual(['recipients.distributionGroups[0].members', 'recipients.distributionGroups[1].members', 'recipients.distributionGroups[2].members']);
    expect(rule(config, 'group-membership-cycle')[0]!.message).toMatch(/a@contoso.com → b@contoso.com → c@contoso.com → a@contoso.com/);
  });

  it('group-membership-cycle accepts nesting without a cycle (a diamond)', () => {
    const config = recipients({
      distributionGroups: [
        { address: 'top@contoso.com', members: ['l@contoso.com', 'r@contoso.com'] },
        { address: 'l@contoso.com', members: ['leaf@contoso.com'] },
        { address: 'r@contoso.com', members: ['leaf@contoso.com'] },
        { address: 'leaf@contoso.com', members: [] },
      ],
    });
    expect(rule(config, 'group-membership-cycle')).toEqual([]);
  });

  it('V45 flags an Edge server as expansion server', () => {
    const config = withBase({ servers: [{ name: 'EDGE01', role: 'Edge' }], recipients: { distributionGroups: [{ address: 'all@contoso.com', expansionServer: 'EDGE01' }] } });
    expect(pathsOf(config, 'V45')).toEqual(['recipients.distributionGroups[0].expansionServer']);
  });

  it('V45 accepts a Mailbox expansion server', () => {
    expect(rule(withBase({ recipients: { distributionGroups: [{ address: 'all@contoso.com', expansionServer: 'ex02' }] } }), 'V45')).toEqual([]);
  });
});
