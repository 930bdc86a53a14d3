/** Accepted and remote domains (R61–R63, R65, R184). */
import { z } from 'zod';

export const acceptedDomainSchema = z
  .strictObject({
    name: z.string().trim().min(1).optional().meta({ description: 'Object name; default: the domain name' }),
    domainName: z.string().trim().min(1).meta({ description: '`contoso.com` or `*.contoso.com`', examples: ['contoso.com', '*.contoso.com'] }),
    domainType: z.enum(['Authoritative', 'InternalRelay', 'ExternalRelay']).default('Authoritative'),
    default: z.boolean().default(false).meta({ description: 'The default domain; exactly one (V41)' }),
    addressBookEnabled: z.boolean().optional().meta({ description: 'Recipient Lookup; default true for Authoritative, false otherwise' }),
    matchSubDomains: z.boolean().default(false).meta({ description: 'Treat every subdomain as this domain (A16)' }),
  })
  .meta({ description: 'An accepted domain' });

export const remoteDomainSchema = z
  .strictObject({
    name: z.string().trim().min(1),
    domainName: z.string().trim().min(1),
  })
  .meta({ description: 'A remote domain: shapes content only, never routing (R65)' });
