/**
 * Where a queue's next hop is on the network: the ordered list of address:port endpoints to try.
 *
 * - Servers of the topology (relay hops, R16; Mailbox Transport Delivery, R13): port 2525 on a
 *   Mailbox server's Transport service, 25 on an Edge, 475 for mailbox delivery (R15), moved by
 *   `--address`/`--port-offset` or the hosts table's `servers` (product.md `relay start`).
 *   Targets are load-balanced (shuffled), fallbacks (R88) come after them in order.
 * - Smart hosts (R107): in the order configured, at the connector's port; an FQDN is resolved as MX
 *   (its MX hosts by preference), then A/AAAA when it has no MX record.
 * - DNS routing (R107): MX records of the recipient domain by preference (equal ones shuffled),
 *   each host's A/AAAA; no MX record → the domain's own A/AAAA (implicit MX, RFC 5321 §5.1); a null
 *   MX (RFC 7505) or a domain that does not exist fails permanently.
 * The hosts table (`--hosts`) answers before DNS for names and MX records.
 *
 * Security: DNS queries to the servers the transport service names (or the system's).
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { SendConnector, Server, Topology } from '../../core/model/topology.js';
import { nameKey } from '../../core/model/names.js';
import type { NextHopRoute } from '../categorizer/resolve.js';
import type { HostsTable, MxRecord } from './hosts-file.js';

export interface Endpoint {
  /** An IP address. */
  host: string;
  port: number;
  /** The name the hop is known by (TLS server name, logs, Remote-MTA). */
  name: string;
}

export type Resolution =
  | { ok: true; endpoints: Endpoint[]; connector?: SendConnector }
  | { ok: false; permanent: boolean; code: number; enhancedCode: string; text: string };

export interface EndpointOptions {
  topology: Topology;
  self: Server;
  hosts: HostsTable;
  /** `--address`: where the topology's own servers listen. */
  address?: string;
  /** `--port-offset`. */
  portOffset: number;
  random: () => number;
}

/** R15 */
export const PORT_TRANSPORT = 2525;
export const PORT_EDGE = 25;
export const PORT_MAILBOX_DELIVERY = 475;

const MAX_ENDPOINTS = 10;

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

type Lookup = Pick<dns.Resolver, 'resolveMx' | 'resolve4' | 'resolve6'>;
const resolvers = new Map<string, Lookup>();

/** The resolver for a connector: the transport service's external or internal DNS servers, else the system's. */
function resolverFor(self: Server, connector: SendConnector | undefined): Lookup {
  const servers = connector?.useExternalDNSServersEnabled ? self.transportService.externalDNSServers : self.transportService.internalDNSServers;
  const key = servers.join(',');
  let r = resolvers.get(key);
  if (!r) {
    const resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
    if (servers.length) resolver.setServers(servers);
    r = resolver;
    resolvers.set(key, r);
  }
  return r;
}

function dnsCode(e: unknown): string {
  return (e as { code?: string }).code ?? 'EUNKNOWN';
}

const temporaryDns = (name: string, e: unknown): Resolution => ({
  ok: false,
  permanent: false,
  code: 451,
  enhancedCode: '4.4.0',
  text: `DNS query failed for ${name} (${dnsCode(e)})`,
});

/** A/AAAA of a host name (hosts table first); [] when it has none. */
async function addresses(name: string, opts: EndpointOptions, lookup: Lookup): Promise<{ address: string; port?: number }[]> {
  if (isIP(name)) return [{ address: name }];
  const fixed = opts.hosts.hosts.get(name.toLowerCase().replace(/\.$/, ''));
  if (fixed) return [fixed];
  const out: { address: string }[] = [];
  let lastError: unknown;
  for (const fn of [lookup.resolve4.bind(lookup), lookup.resolve6.bind(lookup)]) {
    try {
      for (const a of await fn(name)) out.push({ address: a });
    } catch (e) {
      if (dnsCode(e) !== 'ENODATA' && dnsCode(e) !== 'ENOTFOUND') lastError = e;
    }
  }
  if (out.length === 0 && lastError) throw lastError;
  return out;
}

async function mxRecords(domain: string, opts: EndpointOptions, lookup: Lookup): Promise<MxRecord[] | 'none' | 'nxdomain'> {
  const fixed = opts.hosts.mx.get(domain.toLowerCase());
  if (fixed) return fixed.length ? fixed : 'none';
  if (opts.hosts.hosts.has(domain.toLowerCase())) return 'none';
  try {
    const records = await lookup.resolveMx(domain);
    return records.length ? records : 'none';
  } catch (e) {
    if (dnsCode(e) === 'ENODATA') return 'none';
    if (dnsCode(e) === 'ENOTFOUND') return 'nxdomain';
    throw e;
  }
}

/** RFC 5321 §5.1: MX hosts by preference, equal preferences in random order. */
export function orderMx(records: readonly MxRecord[], random: () => number): MxRecord[] {
  const byPref = new Map<number, MxRecord[]>();
  for (const r of records) byPref.set(r.priority, [...(byPref.get(r.priority) ?? []), r]);
  return [...byPref.keys()].sort((a, b) => a - b).flatMap((p) => shuffle(byPref.get(p)!, random));
}

const mxHosts = (records: readonly MxRecord[], random: () => number): string[] =>
  orderMx(records, random)
    .map((r) => r.exchange)
    .filter((h) => h !== '' && h !== '.');

/** The A/AAAA endpoints of hosts in order (at most MAX_ENDPOINTS), and the last lookup error. */
async function hostEndpoints(hosts: readonly string[], port: number, opts: EndpointOptions, lookup: Lookup): Promise<{ endpoints: Endpoint[]; error?: unknown }> {
  const endpoints: Endpoint[] = [];
  let error: unknown;
  for (const h of hosts) {
    try {
      for (const a of await addresses(h, opts, lookup)) endpoints.push({ host: a.address, port: a.port ?? port, name: h });
    } catch (e) {
      error = e;
    }
    if (endpoints.length >= MAX_ENDPOINTS) break;
  }
  return { endpoints, error };
}

/**
 * R107: a smart host given by FQDN is resolved as MX, then A/AAAA (an IP literal is used as is). Its
 * MX hosts are tried by preference; a name without MX records is used itself; a null MX (RFC 7505)
 * or a name that does not exist yields no endpoint, and the next smart host is tried.
 */
async function smartHostEndpoints(name: string, port: number, opts: EndpointOptions, lookup: Lookup): Promise<{ endpoints: Endpoint[]; error?: unknown }> {
  if (isIP(name)) return hostEndpoints([name], port, opts, lookup);
  let records: MxRecord[] | 'none' | 'nxdomain';
  try {
    records = await mxRecords(name, opts, lookup);
  } catch (e) {
    return { endpoints: [], error: e };
  }
  if (records === 'nxdomain') return { endpoints: [] };
  return hostEndpoints(records === 'none' ? [name] : mxHosts(records, opts.random), port, opts, lookup);
}

async function dnsEndpoints(domain: string, port: number, opts: EndpointOptions, connector: SendConnector | undefined): Promise<Resolution> {
  const lookup = resolverFor(opts.self, connector);
  let records: MxRecord[] | 'none' | 'nxdomain';
  try {
    records = await mxRecords(domain, opts, lookup);
  } catch (e) {
    return temporaryDns(domain, e);
  }
  if (records === 'nxdomain') {
    return { ok: false, permanent: true, code: 550, enhancedCode: '5.4.4', text: `SMTPSEND.DNS.NonExistentDomain; nonexistent domain ${domain}` };
  }
  if (records !== 'none' && records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
    // RFC 7505 §3: a domain that publishes a null MX accepts no mail.
    return { ok: false, permanent: true, code: 556, enhancedCode: '5.1.10', text: `Recipient domain ${domain} has a null MX and accepts no mail` };
  }
  const { endpoints, error: lastError } = await hostEndpoints(records === 'none' ? [domain] : mxHosts(records, opts.random), port, opts, lookup);
  if (endpoints.length === 0) {
    if (lastError) return temporaryDns(domain, lastError);
    return records === 'none'
      ? { ok: false, permanent: true, code: 550, enhancedCode: '5.4.4', text: `SMTPSEND.DNS.NonExistentDomain; no MX or address record for ${domain}` }
      : { ok: false, permanent: false, code: 451, enhancedCode: '4.4.0', text: `DNS query failed: no address for the MX hosts of ${domain}` };
  }
  return { ok: true, endpoints: endpoints.slice(0, MAX_ENDPOINTS), connector };
}

/** Where a server of the topology listens for `port` (its own address, or the lab's mapping). */
export function serverEndpoint(server: Server, port: number, opts: EndpointOptions): Endpoint {
  const mapped = opts.hosts.servers.get(server.name.toLowerCase());
  if (mapped) return { host: mapped.address, port: port + mapped.portOffset, name: server.fqdn };
  if (opts.address) return { host: opts.address, port: port + opts.portOffset, name: server.fqdn };
  const fixed = opts.hosts.hosts.get(server.fqdn.toLowerCase()) ?? opts.hosts.hosts.get(server.name.toLowerCase());
  if (fixed) return { host: fixed.address, port: fixed.port ?? port + opts.portOffset, name: server.fqdn };
  return { host: server.addresses?.[0] ?? server.fqdn, port: port + opts.portOffset, name: server.fqdn };
}

/** The topology's server of this FQDN, when the hosts table says where it runs (`servers:`, relay up). */
function labServer(opts: EndpointOptions, fqdn: string): Server | undefined {
  const key = nameKey(fqdn);
  return opts.topology.servers.find((s) => nameKey(s.fqdn) === key && opts.hosts.servers.has(nameKey(s.name)));
}

function findServer(topology: Topology, name: string): Server | undefined {
  const key = nameKey(name);
  return topology.servers.find((s) => nameKey(s.name) === key);
}

function findConnector(topology: Topology, name: string | null): SendConnector | undefined {
  if (!name) return undefined;
  const key = nameKey(name);
  return topology.sendConnectors.find((c) => nameKey(c.name) === key);
}

/** The endpoints of one queue's next hop, or why there are none. */
export async function resolveEndpoints(hop: NextHopRoute, opts: EndpointOptions): Promise<Resolution> {
  const connector = findConnector(opts.topology, hop.connector);
  switch (hop.deliveryType) {
    case 'DnsConnectorDelivery':
      return dnsEndpoints(hop.domain, connector?.port ?? 25, opts, connector);
    case 'SmartHostConnectorDelivery': {
      const port = connector?.port ?? 25;
      const lookup = resolverFor(opts.self, connector);
      const smartHosts = connector?.smartHosts.length ? connector.smartHosts : hop.targets.map((t) => t.replace(/:\d+$/, ''));
      const endpoints: Endpoint[] = [];
      let lastError: unknown;
      for (const raw of smartHosts) {
        const name = raw.replace(/^\[|\]$/g, '');
        // A smart host that is a server of a lab (e.g. the Edge subscription's Mailbox servers,
        // R118) listens where the lab put it, its ports shifted, not where DNS would say.
        const node = labServer(opts, name);
        if (node) {
          endpoints.push(serverEndpoint(node, port, opts));
          continue;
        }
        const found = await smartHostEndpoints(name, port, opts, lookup);
        endpoints.push(...found.endpoints);
        lastError = found.error ?? lastError;
        if (endpoints.length >= MAX_ENDPOINTS) break;
      }
      if (endpoints.length) return { ok: true, endpoints: endpoints.slice(0, MAX_ENDPOINTS), connector };
      return lastError ? temporaryDns(smartHosts.join(','), lastError) : { ok: false, permanent: false, code: 451, enhancedCode: '4.4.0', text: `No address for smart host ${smartHosts.join(',')}` };
    }
    default: {
      const port = (s: Server): number => (hop.deliveryType === 'SmtpDeliveryToMailbox' ? PORT_MAILBOX_DELIVERY : s.role === 'Edge' ? PORT_EDGE : PORT_TRANSPORT);
      const names = [...shuffle(hop.targets, opts.random), ...hop.fallbacks];
      const endpoints: Endpoint[] = [];
      for (const n of names) {
        const s = findServer(opts.topology, n.replace(/:\d+$/, ''));
        if (s) endpoints.push(serverEndpoint(s, port(s), opts));
      }
      if (endpoints.length) return { ok: true, endpoints };
      return { ok: false, permanent: false, code: 451, enhancedCode: '4.4.0', text: `No server to connect to for ${hop.domain}` };
    }
  }
}
