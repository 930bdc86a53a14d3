/** AD sites and IP site links (R2, R3, R183). */
import { z } from 'zod';
import { name, size } from './leaf.js';

export const siteSchema = z
  .strictObject({
    name: name().meta({ description: 'AD site name' }),
    hubSiteEnabled: z.boolean().default(false).meta({ description: 'Messages stop in this site when it lies on the least-cost path (R85)' }),
    inboundMailEnabled: z.boolean().default(true).meta({ description: 'false: the site\'s servers receive no mail (R92)' }),
  })
  .meta({ description: 'An Active Directory site' });

const linkCost = () =>
  z
    .number()
    .int()
    .superRefine((cost, ctx) => {
      if (cost < 1 || cost > 99_999) {
        ctx.addIssue({ code: 'custom', message: `a site link cost is 1–99,999, not ${cost}`, params: { ruleId: 'V3', hint: 'Set-AdSiteLink accepts costs from 1 to 99,999' } });
      }
    });

export const siteLinkSchema = z
  .strictObject({
    name: name(),
    sites: z.array(name()).meta({ description: 'Two or more sites joined at one cost' }),
    cost: linkCost().default(100).meta({ description: 'ADCost of the link (default 100)' }),
    exchangeCost: linkCost().optional().meta({ description: 'Overrides cost for Exchange routing (R90)' }),
    maxMessageSize: size().default(Infinity).meta({ description: 'Largest message the link carries; at least 64KB (R87)', default: 'unlimited' }),
  })
  .meta({ description: 'An IP site link (Set-AdSiteLink)' });
