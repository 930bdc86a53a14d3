/**
 * The `mxt init` wizard: organization, default domain, sites, servers per site, the site links
 * between the sites (with their costs: never invented) and a first mailbox. Returns a draft; never
 * writes. Every answer is checked as it is typed with the same parsers as the flags.
 */
import { isDomainName } from '../../core/model/address-space.js';
import { chainOfLinks, defaultServers, formatSiteLinks, parseMailbox, parseServerList, parseSiteLinks, serversOutsideSites, type InitInput } from '../../core/edit/init.js';
import { splitList } from '../../core/edit/parse-field.js';
import { nameKey } from '../../core/model/names.js';
import { askText } from './ask.js';

export interface InitDraft {
  organization?: string;
  domain?: string;
  sites?: string[];
  servers?: InitInput['servers'];
  siteLinks?: InitInput['siteLinks'];
  /** null: the admin said "no mailbox" (`--mailbox ""` is refused; the wizard's empty answer). */
  mailbox?: InitInput['mailbox'] | null;
}

const problemOf = (problems: string[]) => (problems[0] ? problems[0].replace(/^--[\w-]+: /, '') : true);

export async function askInit(draft: InitDraft): Promise<InitInput> {
  const organization = draft.organization ?? (await askText('Organization name', { validate: (v) => v.trim() !== '' || 'a name is required' })).trim();
  const domain = draft.domain ?? (await askText('Default accepted domain', { default: `${organization.toLowerCase().replace(/[^a-z0-9-]/g, '')}.com`, validate: (v) => isDomainName(v.trim()) || `"${v}" is not a domain name` })).trim();
  const sites =
    draft.sites ??
    splitList(
      await askText('AD sites, comma-separated', {
        default: 'Default-First-Site-Name',
        validate: (v) => {
          const names = splitList(v);
          if (names.length === 0) return 'name at least one site';
          const twice = names.find((n, i) => names.findIndex((m) => nameKey(m) === nameKey(n)) !== i);
          return twice === undefined || `${twice} is named twice`;
        },
      }),
    );
  const servers =
    draft.servers ??
    parseServerList(
      await askText('Mailbox servers as NAME:SITE, comma-separated', {
        default: defaultServers(sites).map((s) => `${s.name}:${s.site}`).join(','),
        validate: (v) => {
          const parsed = parseServerList(v);
          if (parsed.problems.length > 0) return problemOf(parsed.problems);
          const unknown = serversOutsideSites(parsed.servers, sites)[0];
          return unknown ? `site ${unknown.site} is not one of ${sites.join(', ')}` : parsed.servers.length > 0 || 'name at least one server';
        },
      }),
    ).servers;
  const siteLinks =
    draft.siteLinks ??
    (sites.length < 2
      ? []
      : parseSiteLinks(
          await askText('Site links as SITE-SITE:COST, comma-separated (routing takes the cheapest path; AD\'s default cost is 100)', {
            default: formatSiteLinks(chainOfLinks(sites)),
            validate: (v) => problemOf(parseSiteLinks(v, sites).problems),
          }),
          sites,
        ).links);
  let mailbox = draft.mailbox === null ? undefined : draft.mailbox;
  if (draft.mailbox === undefined) {
    const text = await askText('First mailbox as ADDRESS[:DATABASE] (without recipients every internal address is refused; empty for none)', {
      default: `administrator@${domain.toLowerCase()}:DB01`,
      validate: (v) => v.trim() === '' || problemOf(parseMailbox(v, domain).problem ? [parseMailbox(v, domain).problem!] : []),
    });
    mailbox = text.trim() === '' ? undefined : parseMailbox(text, domain).mailbox;
  }
  return { organization, domain, sites, servers, siteLinks, ...(mailbox ? { mailbox } : {}) };
}
