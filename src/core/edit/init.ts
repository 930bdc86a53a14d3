/**
 * The starter config of `mxt init`: an organization, its sites and the site links the admin named
 * (never invented: their costs decide routing), one or more Mailbox servers per site, the default
 * accepted domain, an Internet send connector (usage Internet, `SMTP:*`, sourced on the first
 * site's servers so that V34 holds) and, when asked, a first mailbox with the database holding it
 * (without recipients every internal address is refused as unknown, R62).
 */
import { nameKey, sameName } from '../model/names.js';
import { sendConnectorPreset } from './presets.js';

export interface InitInput {
  organization: string;
  domain: string;
  sites: string[];
  /** Server names with their site; default one per site, EX01, EX02, … */
  servers: { name: string; site: string }[];
  /** The site links, as the admin gave them; none for a single site. */
  siteLinks?: SiteLinkInput[];
  /** A first mailbox, in `database` (created on the first server). */
  mailbox?: { address: string; database: string };
}

export interface SiteLinkInput {
  name: string;
  sites: [string, string];
  cost: number;
}

/** AD's default cost of a site link (DEFAULTIPSITELINK). */
export const DEFAULT_SITE_LINK_COST = 100;

/** The chain Paris-Lyon, Lyon-Nice … at AD's default cost: what the wizard offers, never written unasked. */
export function chainOfLinks(sites: readonly string[]): SiteLinkInput[] {
  return sites.slice(1).map((site, i) => ({ name: `${sites[i]}-${site}`, sites: [sites[i]!, site], cost: DEFAULT_SITE_LINK_COST }));
}

export function formatSiteLinks(links: readonly SiteLinkInput[]): string {
  return links.map((l) => `${l.sites[0]}-${l.sites[1]}:${l.cost}`).join(',');
}

/**
 * `Paris-Lyon:10,Lyon-Nice` → links (cost 100 when left out). A site name may itself hold "-"
 * (Default-First-Site-Name), so the split is the one whose both sides are sites of `sites`.
 */
export function parseSiteLinks(text: string, sites: readonly string[]): { links: SiteLinkInput[]; problems: string[] } {
  const links: SiteLinkInput[] = [];
  const problems: string[] = [];
  const site = (name: string) => sites.find((s) => sameName(s, name.trim()));
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = item.lastIndexOf(':');
    const pair = colon >= 0 ? item.slice(0, colon) : item;
    const costText = colon >= 0 ? item.slice(colon + 1).trim() : String(DEFAULT_SITE_LINK_COST);
    const cost = Number(costText);
    let joined: [string, string] | undefined;
    for (let i = pair.indexOf('-'); i > 0 && !joined; i = pair.indexOf('-', i + 1)) {
      const a = site(pair.slice(0, i));
      const b = site(pair.slice(i + 1));
      if (a && b) joined = [a, b];
    }
    if (!joined) problems.push(`--site-links: "${item}" is not SITE-SITE[:COST] with two of the sites ${sites.join(', ')}`);
    else if (sameName(joined[0], joined[1])) problems.push(`--site-links: "${item}" joins a site to itself`);
    else if (!/^\d+$/.test(costText) || cost < 1 || cost > 99_999) problems.push(`--site-links: the cost in "${item}" is not a whole number from 1 to 99,999`);
    else links.push({ name: `${joined[0]}-${joined[1]}`, sites: joined, cost });
  }
  return { links, problems };
}

/** `alice@contoso.com[:DB01]` → the first mailbox (database DB01 unless named). */
export function parseMailbox(text: string, domain: string): { mailbox?: { address: string; database: string }; problem?: string } {
  const [address = '', database = 'DB01', ...rest] = text.trim().split(':').map((s) => s.trim());
  const at = address.lastIndexOf('@');
  if (rest.length > 0 || at <= 0 || !database) return { problem: `--mailbox: "${text}" is not ADDRESS[:DATABASE], e.g. alice@${domain}:DB01` };
  if (!sameName(address.slice(at + 1), domain)) return { problem: `--mailbox: ${address} is not in the accepted domain ${domain}` };
  return { mailbox: { address: address.toLowerCase(), database } };
}

export function defaultServers(sites: readonly string[]): { name: string; site: string }[] {
  return sites.map((site, i) => ({ name: `EX${String(i + 1).padStart(2, '0')}`, site }));
}

/** `EX01:Paris,EX02:Lyon` → servers; a problem message per entry without a site. */
export function parseServerList(text: string): { servers: { name: string; site: string }[]; problems: string[] } {
  const servers: { name: string; site: string }[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, site] = item.split(':').map((s) => s.trim());
    if (!name || !site) problems.push(`--servers: "${item}" is not NAME:SITE (e.g. EX01:Paris)`);
    else servers.push({ name, site });
  }
  return { servers, problems };
}

/** V2 for the starter config: the servers whose site is not one of the sites given. */
export function serversOutsideSites(servers: readonly { name: string; site: string }[], sites: readonly string[]): { name: string; site: string }[] {
  return servers.filter((server) => !sites.some((site) => sameName(site, server.site)));
}

export function starterTopology(input: InitInput): Record<string, unknown> {
  const domain = input.domain.toLowerCase();
  const links = (input.siteLinks ?? []).map((l) => ({ name: l.name, sites: [...l.sites], cost: l.cost }));
  const firstSite = nameKey(input.sites[0] ?? '');
  const internetSources = input.servers.filter((s) => nameKey(s.site) === firstSite).map((s) => s.name);
  const { draft: internet } = sendConnectorPreset({
    name: 'To Internet',
    usage: 'Internet',
    addressSpaces: ['SMTP:*;1'],
    sourceTransportServers: internetSources.length > 0 ? internetSources : input.servers.slice(0, 1).map((s) => s.name),
  });
  return {
    // The product example's limits: the default 10 MB org limits would stop the 35 MB connector (R131).
    organization: { name: input.organization, maxSendSize: '35MB', maxReceiveSize: '36MB' },
    sites: input.sites.map((name) => ({ name })),
    ...(links.length > 0 ? { siteLinks: links } : {}),
    servers: input.servers.map((s) => ({ name: s.name, role: 'Mailbox', site: s.site, fqdn: `${s.name.toLowerCase()}.${domain}` })),
    ...(input.mailbox && input.servers[0] ? { mailboxDatabases: [{ name: input.mailbox.database, masterServerOrAvailabilityGroup: input.servers[0].name }] } : {}),
    acceptedDomains: [{ domainName: domain, domainType: 'Authoritative', default: true }],
    ...(input.mailbox ? { recipients: { mailboxes: [{ address: input.mailbox.address, database: input.mailbox.database }] } } : {}),
    sendConnectors: [internet],
  };
}
