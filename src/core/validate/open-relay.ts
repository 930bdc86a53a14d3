/**
 * V17 (R43, R60): an open relay. Relay to any recipient granted to hosts nobody vouches for: the
 * anonymous principal with ms-Exch-SMTP-Accept-Any-Recipient (R43's relay connector), or
 * ExternalAuthoritative, which makes every connecting host an externally secured server holding
 * that permission (R41), on a connector whose remote ranges cover every address or every public one.
 */
import type { Finding } from '../findings/finding.js';
import { parseIpRange } from '../model/ip-range.js';
import type { ReceiveConnector } from '../model/topology.js';
import type { Rule } from './rule.js';
import { at, finding } from './support.js';

type Interval = [bigint, bigint];

const MAX = { 4: 2n ** 32n - 1n, 6: 2n ** 128n - 1n } as const;

/** Not reachable from the Internet, or not unicast: what "all public addresses" leaves out. */
const NON_PUBLIC: Record<4 | 6, string[]> = {
  4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/3'],
  // Everything outside global unicast 2000::/3, and the documentation prefix.
  6: ['::/3', '4000::/2', '8000::/1', '2001:db8::/32'],
};

function intervals(texts: readonly string[], family: 4 | 6): Interval[] {
  return merge(texts.flatMap((t) => {
    const p = parseIpRange(t);
    return p.ok && p.value.family === family ? [[p.value.first, p.value.last] as Interval] : [];
  }));
}

function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [first, last] of sorted) {
    const prev = out[out.length - 1];
    if (prev && first <= prev[1] + 1n) prev[1] = last > prev[1] ? last : prev[1];
    else out.push([first, last]);
  }
  return out;
}

/** The parts of [0, max] that `have` leaves uncovered. */
function gaps(have: Interval[], max: bigint): Interval[] {
  const out: Interval[] = [];
  let next = 0n;
  for (const [first, last] of have) {
    if (first > next) out.push([next, first - 1n]);
    if (last + 1n > next) next = last + 1n;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

/** 'all' when the ranges cover a whole family, 'public' when they cover all its public addresses. */
function exposure(c: ReceiveConnector): 'all' | 'public' | undefined {
  let result: 'all' | 'public' | undefined;
  for (const family of [4, 6] as const) {
    const have = intervals(c.remoteIPRanges, family);
    const missing = gaps(have, MAX[family]);
    if (missing.length === 0) return 'all';
    const excused = intervals(NON_PUBLIC[family], family);
    if (missing.every(([first, last]) => excused.some(([a, b]) => a <= first && last <= b))) result = 'public';
  }
  return result;
}

const ANONYMOUS = /^(nt authority\\)?(anonymous logon|anonymous|everyone)$|^everyone$/i;
const sameRight = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const openRelay: Rule = ({ topology }) => {
  const findings: Finding[] = [];
  for (const c of topology.receiveConnectors) {
    if (!c.enabled) continue;
    const anonymous = c.adPermissions.map((p, k) => ({ p, k })).filter(({ p }) => ANONYMOUS.test(p.user.trim()));
    const grant = anonymous.find(({ p }) => p.extendedRights.some((r) => sameRight(r, 'ms-Exch-SMTP-Accept-Any-Recipient')));
    const canSubmit = c.permissionGroups.includes('AnonymousUsers') || anonymous.some(({ p }) => p.extendedRights.some((r) => sameRight(r, 'ms-Exch-SMTP-Submit')));
    const externallySecured = c.authMechanism.includes('ExternalAuthoritative');
    if (!(grant && canSubmit) && !externallySecured) continue;
    const scope = exposure(c);
    if (!scope) continue;
    const who = scope === 'all' ? 'any host' : 'any host on the Internet';
    findings.push(
      grant && canSubmit
        ? finding(
            'V17',
            at(c.origin, 'adPermissions', grant.k),
            `receive connector ${c.name} is an open relay: ${who} may connect anonymously (remoteIPRanges cover every ${scope === 'all' ? '' : 'public '}address) and ${grant.p.user} holds ms-Exch-SMTP-Accept-Any-Recipient`,
            'limit remoteIPRanges to the hosts that must relay (e.g. 10.1.5.0/24), or remove the ms-Exch-SMTP-Accept-Any-Recipient grant',
          )
        : finding(
            'V17',
            at(c.origin, 'authMechanism'),
            `receive connector ${c.name} is an open relay: with ExternalAuthoritative ${who} counts as an externally secured server (remoteIPRanges cover every ${scope === 'all' ? '' : 'public '}address) and may relay to any domain`,
            'limit remoteIPRanges to the hosts secured by external means (IPsec, VPN), or remove ExternalAuthoritative',
          ),
    );
  }
  return findings;
};
