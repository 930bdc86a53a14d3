/** Recipients: `recipient-domain`, `recipient-unique`, V45 (R61, R62, R64, R99). */
import type { Finding } from '../findings/finding.js';
import { formatPath } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import type { ConfigPath } from '../model/topology.js';
import { domainOf, matchAccepted } from '../route/recipients.js';
import { acceptedDomainIndex } from '../route/routing-index.js';
import type { Rule } from './rule.js';
import { directory, finding } from './support.js';


/** `recipient-domain` (R61, R64): mailbox and group addresses are in an accepted domain that holds recipients. */
export const recipientDomain: Rule = ({ written, topology }) => {
  const findings: Finding[] = [];
  // R62: the same most-specific match the categorizer and the relay use.
  const index = acceptedDomainIndex(topology);
  const check = (address: string, path: ConfigPath, what: string) => {
    const accepted = matchAccepted(index, domainOf(address));
    if (!accepted) {
      findings.push(
        finding('recipient-domain', path, `${what} ${address} is not in an accepted domain: mail to it is relayed out of the organization, never delivered here`, `add ${domainOf(address)} to acceptedDomains, or correct the address`),
      );
    } else if (accepted.domainType === 'ExternalRelay') {
      findings.push(
        finding('recipient-domain', path, `${what} ${address} is in ExternalRelay domain ${accepted.domainName}: every address there is routed out of the organization (R64)`, `make ${accepted.domainName} Authoritative or InternalRelay, or correct the address`),
      );
    }
  };
  written.recipients.mailboxes.forEach((mailbox, i) => {
    check(mailbox.address, ['recipients', 'mailboxes', i, 'address'], 'mailbox');
    mailbox.emailAddresses.forEach((address, j) => check(address, ['recipients', 'mailboxes', i, 'emailAddresses', j], 'proxy address'));
  });
  written.recipients.distributionGroups.forEach((group, i) => check(group.address, ['recipients', 'distributionGroups', i, 'address'], 'group'));
  return findings;
};

/** `recipient-unique` (R64): one address, one recipient (proxy addresses included). */
export const recipientUnique: Rule = ({ written }) => {
  const owners = new Map<string, ConfigPath>();
  const findings: Finding[] = [];
  const claim = (address: string, path: ConfigPath) => {
    const key = address.toLowerCase();
    const earlier = owners.get(key);
    if (earlier) {
      findings.push(finding('recipient-unique', path, `address ${address} already belongs to ${formatPath(earlier)}`, 'an address identifies one recipient: remove or change one of them'));
    } else owners.set(key, path);
  };
  const r = written.recipients;
  r.mailboxes.forEach((m, i) => {
    claim(m.address, ['recipients', 'mailboxes', i, 'address']);
    m.emailAddresses.forEach((a, j) => {
      if (a.toLowerCase() !== m.address.toLowerCase()) claim(a, ['recipients', 'mailboxes', i, 'emailAddresses', j]);
    });
  });
  r.distributionGroups.forEach((g, i) => claim(g.address, ['recipients', 'distributionGroups', i, 'address']));
  r.mailContacts.forEach((c, i) => claim(c.address, ['recipients', 'mailContacts', i, 'address']));
  r.mailUsers.forEach((u, i) => claim(u.address, ['recipients', 'mailUsers', i, 'address']));
  return findings;
};

/** V45 (R99): a group's expansion server is a Mailbox server (unknown names: unknown-reference). */
export const expansionServerMailbox: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  return written.recipients.distributionGroups.flatMap((group, i) => {
    const server = group.expansionServer ? dir.servers.get(nameKey(group.expansionServer)) : undefined;
    return server && server.role !== 'Mailbox'
      ? [
          finding('V45', ['recipients', 'distributionGroups', i, 'expansionServer'], `group ${group.address} has expansion server ${server.name}, an ${server.role} server: only Mailbox servers expand groups`, 'name a Mailbox server, or remove expansionServer to expand the group where it is categorized'),
        ]
      : [];
  });
};

/**
 * `group-membership-cycle` (R64, R99): a group that contains itself through nested groups. Routing copes
 * (each group is expanded at most once per message, as Exchange's categorizer does), but the cycle is
 * almost always a mistake. Searched breadth first from each group, iteratively (no recursion, any depth).
 */
export const groupMembershipCycle: Rule = ({ written }) => {
  const groups = written.recipients.distributionGroups;
  const byAddress = new Map<string, number>();
  groups.forEach((g, i) => {
    const key = g.address.toLowerCase();
    if (!byAddress.has(key)) byAddress.set(key, i);
  });
  const nested = groups.map((g) => g.members.map((m) => byAddress.get(m.trim().toLowerCase())).filter((i): i is number => i !== undefined));
  const findings: Finding[] = [];
  groups.forEach((g, start) => {
    // Breadth first from the group's members; `via` remembers how each group was reached.
    const via = new Map<number, number>();
    const queue: number[] = [];
    for (const m of nested[start]!) if (!via.has(m)) (via.set(m, start), queue.push(m));
    for (let q = 0; q < queue.length && !via.has(start); q++) {
      for (const m of nested[queue[q]!]!) if (!via.has(m)) (via.set(m, queue[q]!), queue.push(m));
    }
    if (!via.has(start)) return;
    const chain = [start];
    for (let at = via.get(start)!; at !== start && chain.length <= groups.length; at = via.get(at)!) chain.unshift(at);
    chain.unshift(start);
    findings.push(
      finding(
        'group-membership-cycle',
        ['recipients', 'distributionGroups', start, 'members'],
        `group ${g.address} contains itself: ${chain.map((i) => groups[i]!.address).join(' → ')}`,
        'remove the nested group that leads back; a message expands each group once, so members are not duplicated, but the nesting is circular',
      ),
    );
  });
  return findings;
};
