/** Accepted domains: V40, V41, V42, V43 and `accepted-domain-overlap` (R61–R63, A16). */
import type { Finding } from '../findings/finding.js';
import { asciiDomain, domainKey } from '../model/address.js';
import { isDomainName, matchSpecificity } from '../model/address-space.js';
import { nameKey } from '../model/names.js';
import type { AcceptedDomain, SendConnector, Server, Topology } from '../model/topology.js';
import { staticIgnore } from '../route/connectors.js';
import type { Rule } from './rule.js';
import { directory, finding } from './support.js';

/** The set of domains an accepted domain covers (R62, A16): `*.x` and `x` with matchSubDomains are the same set. */
function coverage(domain: Pick<AcceptedDomain, 'domainName' | 'matchSubDomains'>): { suffix: string; subdomains: boolean } {
  const name = domainKey(domain.domainName);
  return name.startsWith('*.') ? { suffix: name.slice(2), subdomains: true } : { suffix: name, subdomains: domain.matchSubDomains };
}

/** V40 (R62): `contoso.com` or `*.contoso.com`, no embedded wildcard, at most 256 characters; a U-label domain is checked in its A-label form (IDNA). */
export const acceptedDomainSyntax: Rule = ({ written }) =>
  written.acceptedDomains.flatMap((domain, i) => {
    const name = domain.domainName;
    const given = name.startsWith('*.') ? name.slice(2) : name;
    const bare = asciiDomain(given) ?? given;
    const problem =
      name.length > 256
        ? `is ${name.length} characters long, above the 256 allowed`
        : name === '*'
          ? 'is "*": an accepted domain names a domain, and "*" would accept mail for every domain (an open relay)'
          : bare.includes('*')
            ? 'has an embedded wildcard: a wildcard is allowed only as the first label, "*.contoso.com"'
            : !isDomainName(bare)
              ? 'is not a domain name'
              : undefined;
    return problem
      ? [finding('V40', ['acceptedDomains', i, 'domainName'], `accepted domain "${name}" ${problem}`, 'write a domain such as contoso.com, or *.contoso.com for it and all its subdomains')]
      : [];
  });

/** V41 (R63): exactly one accepted domain is the default. */
export const oneDefaultDomain: Rule = ({ written }) => {
  const defaults = written.acceptedDomains.map((d, i) => ({ d, i })).filter(({ d }) => d.default);
  if (defaults.length === 0) {
    return [
      finding(
        'V41',
        ['acceptedDomains'],
        written.acceptedDomains.length === 0 ? 'there is no accepted domain: the organization needs one default accepted domain' : 'no accepted domain is the default: exactly one must be',
        written.acceptedDomains.length === 0 ? 'add acceptedDomains: [{ domainName: contoso.com, default: true }]' : 'add "default: true" to the organization\'s primary domain',
      ),
    ];
  }
  const first = defaults[0]!.d.domainName;
  return defaults.slice(1).map(({ d, i }) =>
    finding('V41', ['acceptedDomains', i, 'default'], `accepted domain ${d.domainName} is a second default (${first} is one already): exactly one accepted domain is the default`, `remove "default: true" from all but one; keep it on ${first} or here`),
  );
};

/** `accepted-domain-overlap` (R62): two accepted domains covering the very same domains. Nested ones are fine. */
export const acceptedDomainOverlap: Rule = ({ written }) => {
  const seen = new Map<string, { index: number; name: string }>();
  const findings: Finding[] = [];
  written.acceptedDomains.forEach((domain, i) => {
    const { suffix, subdomains } = coverage(domain);
    const key = `${subdomains ? '*.' : ''}${suffix}`;
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, { index: i, name: domain.domainName });
      return;
    }
    const same = nameKey(earlier.name) === nameKey(domain.domainName);
    findings.push(
      finding(
        'accepted-domain-overlap',
        ['acceptedDomains', i, 'domainName'],
        same
          ? `accepted domain ${domain.domainName} is listed twice (also acceptedDomains[${earlier.index}])`
          : `accepted domain ${domain.domainName}${domain.matchSubDomains ? ' with matchSubDomains' : ''} covers exactly the domains of ${earlier.name} (acceptedDomains[${earlier.index}])`,
        'keep one entry per domain, with the domain type you mean',
      ),
    );
  });
  return findings;
};

/**
 * Send connectors that can carry mail out (R102): enabled, with address spaces, with smart hosts when
 * DNS routing is off, with a source server that exists. The Edge inbound connector points back
 * into the organization (R116), so it never reaches a relay domain's other system.
 */
function usableConnectors(topology: Topology): SendConnector[] {
  const dir = directory(topology);
  const sourcesOf = (c: SendConnector) => c.sourceTransportServers.map((s) => dir.servers.get(nameKey(s))).filter((s): s is Server => s !== undefined);
  // R102 as the router applies it; the Edge inbound connector leads back in (R117), never out.
  return topology.sendConnectors.filter((c) => c.edgeSync?.direction !== 'Inbound' && c.addressSpaces.length > 0 && staticIgnore(c, sourcesOf(c)) === undefined);
}

function relayReachable(type: 'ExternalRelay' | 'InternalRelay', ruleId: 'V42' | 'V43', consequence: string): Rule {
  return ({ written, topology }) => {
    const connectors = usableConnectors(topology);
    const findings: Finding[] = [];
    written.acceptedDomains.forEach((domain, i) => {
      if (domain.domainType !== type) return;
      const bare = coverage(domain).suffix;
      const matching = connectors.filter((c) => c.addressSpaces.some((space) => matchSpecificity(space, bare) !== undefined));
      // R117: the Edge's Inbound connector carries every InternalRelay domain back into the organization, so an
      // Edge Internet connector is no way out for one: the message bounces between Mailbox and Edge servers.
      const bounces = type === 'InternalRelay' && matching.length > 0 && matching.every((c) => c.edgeSync?.direction === 'ToInternet');
      if (bounces) {
        findings.push(
          finding(
            ruleId,
            ['acceptedDomains', i, 'domainType'],
            `InternalRelay domain ${domain.domainName} leaves only by ${matching.map((c) => c.name).join(', ')}, and the Edge sends it straight back by its Inbound connector (R117): recipients of it that are not in the organization loop until the hop count runs out`,
            `add a send connector with address space ${bare} sourced on a Mailbox server (smart hosts of the system that holds those mailboxes), or change domainType`,
          ),
        );
        return;
      }
      if (matching.length > 0) return;
      findings.push(
        finding(
          ruleId,
          ['acceptedDomains', i, 'domainType'],
          `${type} domain ${domain.domainName} matches no usable send connector: ${consequence}`,
          `add a send connector with address space ${bare} (smart hosts of the system that holds those mailboxes), or change domainType`,
        ),
      );
    });
    return findings;
  };
}

/** V42 (R61): an ExternalRelay domain needs a send connector. */
export const externalRelayReachable = relayReachable('ExternalRelay', 'V42', 'all mail for it is unreachable');
/** V43 (R61): an InternalRelay domain needs a send connector for the recipients not in the organization. */
export const internalRelayReachable = relayReachable('InternalRelay', 'V43', 'recipients of it that are not in the organization are unreachable');
