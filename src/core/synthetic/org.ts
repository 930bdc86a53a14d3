/**
 * A synthetic organization of any size, for benchmarks and `npm run gen`: `sites` AD sites with five
 * Mailbox servers each, a DAG per two sites (one database per DAG, two mailboxes per database), a
 * partner send connector per two sites, an Internet connector per 100 sites, a hub site per 100 sites,
 * and a sparse random site link graph (a random spanning tree plus half as many extra links).
 * Pure and deterministic: the same {sites, seed} gives the same config, byte for byte.
 */
import type { WrittenTopologyInput } from '../schema/topology.js';

export interface SyntheticOrgOptions {
  sites: number;
  seed: number;
  /** Mailbox servers per site (default 5). */
  serversPerSite?: number;
}

/** mulberry32: a small, well-mixed 32-bit PRNG; enough for reproducible test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function syntheticOrg(options: SyntheticOrgOptions): WrittenTopologyInput {
  const random = prng(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const n = Math.max(1, Math.floor(options.sites));
  const per = options.serversPerSite ?? 5;
  const width = String(n).length;
  const site = (i: number) => `S${pad(i, width)}`;
  const server = (i: number, k: number) => `${site(i)}-MBX${k + 1}`;

  const sites = Array.from({ length: n }, (_, i) => ({ name: site(i), hubSiteEnabled: n >= 100 && i % 100 === 50 }));
  const siteLinks: NonNullable<WrittenTopologyInput['siteLinks']> = [];
  const seen = new Set<string>();
  const link = (a: number, b: number) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || seen.has(key)) return;
    seen.add(key);
    siteLinks.push({
      name: `L-${site(Math.min(a, b))}-${site(Math.max(a, b))}`,
      sites: [site(a), site(b)],
      cost: int(1, 100),
      ...(random() < 0.1 ? { maxMessageSize: `${int(10, 100)}MB` } : {}),
    });
  };
  for (let i = 1; i < n; i++) link(i, int(0, i - 1));
  for (let e = 0; e < Math.floor(n / 2); e++) link(int(0, n - 1), int(0, n - 1));

  const servers = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < per; k++) {
      servers.push({ name: server(i, k), role: 'Mailbox' as const, site: site(i), fqdn: `${server(i, k).toLowerCase()}.contoso.com`, defaultReceiveConnectors: false });
    }
  }
  const dags = [];
  const databases = [];
  const mailboxes = [];
  for (let i = 0; i < n; i += 2) {
    const members = [];
    for (const s of [i, i + 1]) if (s < n) for (let k = 0; k < per; k++) members.push(server(s, k));
    const dag = `DAG-${site(i)}`;
    dags.push({ name: dag, members });
    const db = `DB-${site(i)}`;
    databases.push({ name: db, masterServerOrAvailabilityGroup: dag, activationPreference: members.slice(0, 3) });
    for (let m = 0; m < 2; m++) mailboxes.push({ address: `user${m}.${site(i).toLowerCase()}@contoso.com`, database: db });
  }
  const sendConnectors: NonNullable<WrittenTopologyInput['sendConnectors']> = [];
  for (let i = 0; i < n; i += 2) {
    sendConnectors.push({
      name: `To Partner ${site(i)}`,
      addressSpaces: [`SMTP:partner-${site(i).toLowerCase()}.example;1`, `SMTP:*.partner-${site(i).toLowerCase()}.example;5`],
      sourceTransportServers: [server(i, 0), server(i, 1)],
      ...(random() < 0.5 ? { dnsRoutingEnabled: true } : { dnsRoutingEnabled: false, smartHosts: [`relay.partner-${site(i).toLowerCase()}.example`] }),
    });
  }
  for (let i = 0; i < n; i += 100) {
    sendConnectors.push({ name: `Internet ${site(i)}`, addressSpaces: [`SMTP:*;${int(1, 20)}`], sourceTransportServers: [server(i, 0)], usage: 'Internet' as const });
  }
  return {
    organization: { name: 'Synthetic' },
    sites,
    siteLinks,
    servers,
    databaseAvailabilityGroups: dags,
    mailboxDatabases: databases,
    acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', default: true }],
    recipients: { mailboxes },
    sendConnectors,
  };
}
