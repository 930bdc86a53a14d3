/** AD sites and site links: V3, V4, V5, V6 and `site-link-sites` (R2, R3, R80, R84, R85). */
import type { Finding } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import { formatSize } from '../model/units.js';
import type { Rule } from './rule.js';
import { hubSitesOffEveryPath } from './site-paths.js';
import { directory, finding, list } from './support.js';

const MIN_LINK_SIZE = 64 * 1024;

/** `site-link-sites` (R3): a link joins at least two distinct sites, each listed once. */
export const siteLinkSites: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const findings: Finding[] = [];
  written.siteLinks.forEach((link, i) => {
    const keys = link.sites.map(nameKey);
    // Unknown names are unknown-reference's; saying "fewer than two" on top would repeat it.
    if (keys.some((k) => !dir.sites.has(k))) return;
    const repeated = keys.findIndex((k, j) => keys.indexOf(k) !== j);
    const distinct = new Set(keys).size;
    if (distinct < 2) {
      findings.push(
        finding(
          'site-link-sites',
          ['siteLinks', i, 'sites'],
          `site link ${link.name} joins ${distinct === 0 ? 'no site' : `only ${link.sites[0]}`}: a site link joins two or more sites`,
          'list at least two different sites, or remove the link',
        ),
      );
    } else if (repeated >= 0) {
      findings.push(
        finding('site-link-sites', ['siteLinks', i, 'sites', repeated], `site link ${link.name} lists ${link.sites[repeated]} twice`, 'list each site once'),
      );
    }
  });
  return findings;
};

/** V3 (R3, R87): a site link carries at least 64 KB (costs are checked by the schema). */
export const siteLinkLimits: Rule = ({ written }) =>
  written.siteLinks.flatMap((link, i) =>
    link.maxMessageSize < MIN_LINK_SIZE
      ? [
          finding(
            'V3',
            ['siteLinks', i, 'maxMessageSize'],
            `site link ${link.name} has maxMessageSize ${formatSize(link.maxMessageSize)}, below the 64KB minimum`,
            'set maxMessageSize to 64KB or more, or unlimited',
          ),
        ]
      : [],
  );

/** V4 (R80): every site with Mailbox servers reaches every other one through site links. */
export const sitesConnected: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const serverSites = written.sites.map((s, index) => ({ site: s, index })).filter(({ site }) => dir.mailboxSites.has(nameKey(site.name)));
  if (serverSites.length < 2) return [];
  const neighbours = new Map<string, Set<string>>();
  for (const link of written.siteLinks) {
    const keys = link.sites.map(nameKey).filter((k) => dir.sites.has(k));
    for (const a of keys) for (const b of keys) if (a !== b) neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
  }
  // Plain BFS from the first site with servers: only connected components matter here.
  const start = nameKey(serverSites[0]!.site.name);
  const reached = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of neighbours.get(queue.shift()!) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  const connected = serverSites.filter(({ site }) => reached.has(nameKey(site.name))).map(({ site }) => site.name);
  return serverSites
    .filter(({ site }) => !reached.has(nameKey(site.name)))
    .map(({ site, index }) =>
      finding(
        'V4',
        ['sites', index],
        `site ${site.name} has Mailbox servers but no site link path to ${list(connected)}: mail between them is unreachable`,
        `add a site link joining ${site.name} to one of ${list(connected)} (or a site linked to them)`,
      ),
    );
};

/** V5 (R84): a hub site without a Mailbox server is ignored. */
export const hubSiteHasServer: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  return written.sites.flatMap((site, i) =>
    site.hubSiteEnabled && !dir.mailboxSites.has(nameKey(site.name))
      ? [
          finding(
            'V5',
            ['sites', i, 'hubSiteEnabled'],
            `hub site ${site.name} has no Mailbox server, so it is never used as a hub`,
            `add a Mailbox server to ${site.name}, or set hubSiteEnabled: false`,
          ),
        ]
      : [],
  );
};

/** V6 (R85): a hub site that lies strictly inside no least-cost path between two server sites never stops a message. */
export const hubSiteOnAPath: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const off = hubSitesOffEveryPath(topology);
  return written.sites.flatMap((site, i) =>
    site.hubSiteEnabled && dir.mailboxSites.has(nameKey(site.name)) && off.has(nameKey(site.name)) && dir.sites.get(nameKey(site.name))?.index === i
      ? [
          finding(
            'V6',
            ['sites', i, 'hubSiteEnabled'],
            `hub site ${site.name} lies on no least-cost path between two other sites with Mailbox servers, so no message ever stops there`,
            `lower the cost of the links through ${site.name} (exchangeCost, R90) so paths cross it, or set hubSiteEnabled: false`,
          ),
        ]
      : [],
  );
};
