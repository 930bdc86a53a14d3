/**
 * `--hosts FILE`: a static table that answers host-name and MX look-ups instead of DNS (product.md
 * `relay start`), for labs and tests, and says where other relay nodes of the topology listen.
 *
 * ```yaml
 * hosts:                       # name → address, optionally address:port (the port replaces the hop's)
 *   mail.fabrikam.com: 127.0.10.20:2526
 * mx:                          # domain → "preference host"; ["0 ."] is a null MX (RFC 7505)
 *   example.org: ["10 mx1.example.org", "20 mx2.example.org"]
 * servers:                     # topology servers running elsewhere (relay up): address and port offset
 *   EX01: { address: 127.0.10.1, portOffset: 10000 }
 * ```
 * Security: reads one local file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../errors.js';

const schema = z.strictObject({
  hosts: z.record(z.string(), z.string()).default({}),
  mx: z.record(z.string(), z.array(z.string())).default({}),
  servers: z.record(z.string(), z.strictObject({ address: z.string(), portOffset: z.number().int().default(0) })).default({}),
});

export interface HostAddress {
  address: string;
  port?: number;
}

export interface MxRecord {
  priority: number;
  exchange: string;
}

export interface HostsTable {
  hosts: Map<string, HostAddress>;
  mx: Map<string, MxRecord[]>;
  servers: Map<string, { address: string; portOffset: number }>;
}

export function emptyHostsTable(): HostsTable {
  return { hosts: new Map(), mx: new Map(), servers: new Map() };
}

function splitHostPort(text: string): HostAddress {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return { address: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : undefined };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon) return { address: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
  return { address: text };
}

export function parseHostsTable(text: string, file: string): HostsTable {
  const parsed = schema.safeParse(parse(text) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`, 'see `mxt relay start --help` for the --hosts format');
  }
  const table = emptyHostsTable();
  for (const [name, value] of Object.entries(parsed.data.hosts)) table.hosts.set(name.toLowerCase().replace(/\.$/, ''), splitHostPort(value));
  for (const [domain, records] of Object.entries(parsed.data.mx)) {
    table.mx.set(
      domain.toLowerCase(),
      records.map((r) => {
        const m = /^(\d+)\s+(\S+)$/.exec(r.trim());
        if (!m) throw new UserError(`${file}: mx.${domain}: "${r}" is not "PREFERENCE HOST"`, 'e.g. "10 mx1.example.org"');
        return { priority: Number(m[1]), exchange: m[2] === '.' ? '' : m[2]!.replace(/\.$/, '') };
      }),
    );
  }
  for (const [name, s] of Object.entries(parsed.data.servers)) table.servers.set(name.toLowerCase(), s);
  return table;
}

export function readHostsTable(file: string): HostsTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`--hosts ${file}: ${(e as Error).message}`);
  }
  return parseHostsTable(text, file);
}
