/**
 * The starter config of `mxt init`: an organization, its sites joined in a chain of site links, one
 * or more Mailbox servers per site, the default accepted domain and an Internet send connector
 * (usage Internet, `SMTP:*`, sourced on the first site's servers so that V34 holds).
 */
import { nameKey, sameName } from '../model/names.js';
import { sendConnectorPreset } from './presets.js';

export interface InitInput {
  organization: string;
  domain: string;
  sites: string[];
  /** Server names with their site; default one per site, EX01, EX02, … */
  servers: { name: string; site: string }[];
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
  const links = input.sites.slice(1).map((site, i) => ({ name: `${input.sites[i]}-${site}`, sites: [input.sites[i], site], cost: 10 }));
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
    acceptedDomains: [{ domainName: domain, domainType: 'Authoritative', default: true }],
    sendConnectors: [internet],
  };
}
