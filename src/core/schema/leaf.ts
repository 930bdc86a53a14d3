/**
 * Leaf schemas shared by every section: sizes, durations, address spaces, IP ranges, bindings, names.
 * A parse failure that a validation rule of the spec owns carries that rule's id in `params.ruleId`,
 * so a schema error is reported under the same id as the rule (V30, V40, …).
 */
import { z } from 'zod';
import { parseMailbox } from '../model/address.js';
import { parseAddressSpace, type AddressSpace } from '../model/address-space.js';
import { parseBinding, parseIpRange } from '../model/ip-range.js';
import { parseDuration, parseSize } from '../model/units.js';

export const size = () =>
  z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const parsed = parseSize(value);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.error, input: value, params: { hint: 'sizes are 35MB, 36700160, unlimited or "35 MB (36,700,160 bytes)"' } });
      return z.NEVER;
    })
    .meta({ description: 'A size: 35MB, 36700160 (bytes), unlimited, or Exchange\'s "35 MB (36,700,160 bytes)"', examples: ['35MB', 'unlimited'] });

export const duration = () =>
  z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const parsed = parseDuration(value);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.error, input: value, params: { hint: 'durations are 5m, 4h, 2d or a TimeSpan 00:05:00 / 2.00:00:00' } });
      return z.NEVER;
    })
    .meta({ description: 'A duration: 5m, 4h, 2d, or a TimeSpan 00:05:00 / 2.00:00:00 (a number is seconds)', examples: ['5m', '2.00:00:00'] });

/** C0 controls, DEL and C1 controls: never part of a name (they would drive the terminal of whoever lists it). */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export const name = () =>
  z
    .string()
    .trim()
    .min(1, 'a name cannot be empty')
    .max(256)
    .superRefine((value, ctx) => {
      const at = value.search(CONTROL_CHARACTER);
      if (at >= 0) {
        const code = value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
        ctx.addIssue({ code: 'custom', message: `a name may not contain control characters: U+${code} at position ${at + 1}`, params: { hint: 'remove the control character (C0, C1 or DEL) from the name' } });
      }
    });

export const addressSpace = () =>
  z
    .union([
      z.string(),
      z.strictObject({
        type: z.string().default('SMTP').meta({ description: 'Address type; SMTP unless given' }),
        address: z.string().meta({ description: '`*`, `contoso.com`, `*.contoso.com` or `--` (Edge only)' }),
        cost: z.number().int().default(1).meta({ description: 'Address space cost, 1–100' }),
      }),
    ])
    .transform((value, ctx): AddressSpace => {
      const parsed = parseAddressSpace(value);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({
        code: 'custom',
        message: parsed.error,
        input: value,
        params: { ruleId: 'V30', hint: 'write [Type:]Address[;Cost], e.g. "SMTP:*.contoso.com;10": a wildcard only as "*." and a cost of 1–100' },
      });
      return z.NEVER;
    })
    .meta({ description: 'Address space `[Type:]Address[;Cost]` (R100)', examples: ['SMTP:*;100', 'SMTP:*.contoso.com;10', 'fabrikam.com'] });

export const ipRange = () =>
  z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseIpRange(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, params: { hint: 'write 10.1.5.7, 10.1.5.0/24, 10.1.5.1-10.1.5.99, 2001:db8::/32' } });
    })
    .meta({ description: 'An address, a CIDR range or a first-last range, IPv4 or IPv6', examples: ['10.1.5.0/24', '192.168.1.10-192.168.1.20'] });

export const ipAddress = () =>
  z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseIpRange(value);
      if (!parsed.ok || parsed.value.first !== parsed.value.last || value.includes('/')) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a single IPv4 or IPv6 address` });
      }
    })
    .meta({ description: 'One IPv4 or IPv6 address', examples: ['10.1.0.11'] });

export const binding = () =>
  z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseBinding(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, params: { hint: 'a binding is IP:port, e.g. 0.0.0.0:25 or [::]:25' } });
    })
    .meta({ description: 'Local IP:port a receive connector listens on', examples: ['0.0.0.0:25', '[::]:25'] });

export const hostName = () =>
  z
    .string()
    .trim()
    .min(1)
    .meta({ description: 'A host name (FQDN) or an IP address literal' });

/**
 * A recipient's SMTP address, by the one address rule of RCPT TO and routing (core/model/address.ts),
 * stored in its canonical form in lower case, as the directory is looked up.
 */
export const mailboxAddress = () => {
  // The check and the rewrite see the same value, one right after the other: parse it once.
  let last: { value: string; parsed: ReturnType<typeof parseMailbox> } | undefined;
  const parse = (value: string) => (last?.value === value ? last.parsed : (last = { value, parsed: parseMailbox(value, { utf8: true }) }).parsed);
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const parsed = parse(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `"${value}" is not an email address: ${parsed.reason}`, params: { hint: 'write local@domain, e.g. alice@contoso.com' } });
    })
    // overwrite (not transform) keeps the JSON Schema's defaults of the lists around it.
    .overwrite((value) => {
      const parsed = parse(value);
      return parsed.ok ? parsed.mailbox.canonical.toLowerCase() : value;
    })
    .meta({ description: 'An SMTP address local@domain (RFC 5321; UTF-8 per RFC 6531)', examples: ['alice@contoso.com'] });
};
