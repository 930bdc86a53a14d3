/** The `mxt init` wizard: organization, default domain, sites, servers per site. Returns a draft; never writes. */
import { isDomainName } from '../../core/model/address-space.js';
import { defaultServers, parseServerList, serversOutsideSites, type InitInput } from '../../core/edit/init.js';
import { splitList } from '../../core/edit/parse-field.js';
import { askText } from './ask.js';

export interface InitDraft {
  organization?: string;
  domain?: string;
  sites?: string[];
  servers?: InitInput['servers'];
}

export async function askInit(draft: InitDraft): Promise<InitInput> {
  const organization = draft.organization ?? (await askText('Organization name', { validate: (v) => v.trim() !== '' || 'a name is required' })).trim();
  const domain = draft.domain ?? (await askText('Default accepted domain', { default: `${organization.toLowerCase().replace(/[^a-z0-9-]/g, '')}.com`, validate: (v) => isDomainName(v.trim()) || `"${v}" is not a domain name` })).trim();
  const sites = draft.sites ?? splitList(await askText('AD sites, comma-separated', { default: 'Default-First-Site-Name', validate: (v) => splitList(v).length > 0 || 'name at least one site' }));
  const servers =
    draft.servers ??
    parseServerList(
      await askText('Mailbox servers as NAME:SITE, comma-separated', {
        default: defaultServers(sites).map((s) => `${s.name}:${s.site}`).join(','),
        validate: (v) => {
          const parsed = parseServerList(v);
          if (parsed.problems.length > 0) return parsed.problems[0]!;
          const unknown = serversOutsideSites(parsed.servers, sites)[0];
          return unknown ? `site ${unknown.site} is not one of ${sites.join(', ')}` : parsed.servers.length > 0 || 'name at least one server';
        },
      }),
    ).servers;
  return { organization, domain, sites, servers };
}
