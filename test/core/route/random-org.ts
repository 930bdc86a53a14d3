/**
 * Random small organizations for routing property tests (fast-check): sites with hub flags, links with
 * costs, ExchangeCost and size limits, Mailbox servers, an optional subscribed Edge server, a DAG,
 * databases, accepted domains of every type, mailboxes, nested (and cyclic) groups, scoped and disabled
 * send connectors with size limits. `edits` are the single changes of issue 7 item 2.
 */
import fc from 'fast-check';
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';

const NAMES = ['Amber', 'beech', 'Cedar', 'delta', 'Elm'];
const SPACES = ['*', 'fabrikam.com', '*.fabrikam.com', 'eu.fabrikam.com', 'relay.contoso.com', '*.contoso.com'];
const DOMAIN_TYPES = ['Authoritative', 'InternalRelay', 'ExternalRelay'] as const;

export interface RandomOrg {
  sites: number;
  hubs: boolean[];
  links: { a: number; b: number; cost: number; ex: number | null; size: number | null }[];
  servers: number[];
  edge: number | null;
  dagMembers: number[];
  relayType: (typeof DOMAIN_TYPES)[number];
  expansion: number | null;
  connectors: { sources: number[]; space: string; cost: number; size: number | null; enabled: boolean; scoped: boolean; smartHost: boolean }[];
}

export const randomOrg: fc.Arbitrary<RandomOrg> = fc
  .integer({ min: 2, max: 5 })
  .chain((sites) =>
    fc.record({
      sites: fc.constant(sites),
      hubs: fc.array(fc.integer({ min: 0, max: 3 }).map((x) => x === 0), { minLength: sites, maxLength: sites }),
      links: fc.array(
        fc.record({
          a: fc.nat(sites - 1),
          b: fc.nat(sites - 1),
          cost: fc.integer({ min: 1, max: 6 }),
          ex: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
          size: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      servers: fc.array(fc.nat(sites - 1), { minLength: 1, maxLength: 5 }),
      edge: fc.option(fc.nat(sites - 1), { nil: null }),
      dagMembers: fc.array(fc.nat(4), { maxLength: 3 }),
      relayType: fc.constantFrom(...DOMAIN_TYPES),
      expansion: fc.option(fc.nat(4), { nil: null }),
      connectors: fc.array(
        fc.record({
          sources: fc.array(fc.nat(4), { minLength: 1, maxLength: 2 }),
          space: fc.constantFrom(...SPACES),
          cost: fc.integer({ min: 1, max: 20 }),
          size: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
          enabled: fc.boolean(),
          scoped: fc.boolean(),
          smartHost: fc.boolean(),
        }),
        { maxLength: 4 },
      ),
    }),
  );

export function randomConfig(o: RandomOrg): WrittenTopologyInput {
  const servers = o.servers.map((site, i) => ({ name: `MBX-${i}`, role: 'Mailbox' as const, site: NAMES[site]!, fqdn: `mbx-${i}.contoso.com` }));
  const names = servers.map((s) => s.name);
  const members = [...new Set(o.dagMembers.filter((m) => m < servers.length))].map((m) => names[m]!);
  const pick = (i: number) => names[i % names.length]!;
  return {
    organization: { maxSendSize: 'unlimited', maxReceiveSize: 'unlimited' },
    sites: NAMES.slice(0, o.sites).map((name, i) => ({ name, hubSiteEnabled: o.hubs[i] ?? false })),
    siteLinks: o.links
      .filter((l) => l.a !== l.b)
      .map((l, i) => ({ name: `L${i}`, sites: [NAMES[l.a]!, NAMES[l.b]!], cost: l.cost, ...(l.ex ? { exchangeCost: l.ex } : {}), ...(l.size ? { maxMessageSize: `${l.size}MB` } : {}) })),
    servers: [...servers, ...(o.edge !== null ? [{ name: 'EDGE-1', role: 'Edge' as const, fqdn: 'edge-1.contoso.com' }] : [])],
    ...(o.edge !== null ? { edgeSubscriptions: [{ edgeServer: 'EDGE-1', site: NAMES[o.edge]!, createInternetSendConnector: true, createInboundSendConnector: true }] } : {}),
    databaseAvailabilityGroups: members.length ? [{ name: 'DAG', members }] : [],
    mailboxDatabases: [
      ...(members.length ? [{ name: 'DB-DAG', masterServerOrAvailabilityGroup: 'DAG', activationPreference: members }] : []),
      { name: 'DB-0', masterServerOrAvailabilityGroup: names[0]! },
    ],
    acceptedDomains: [
      { domainName: 'contoso.com', domainType: 'Authoritative', default: true },
      { domainName: 'relay.contoso.com', domainType: o.relayType },
    ],
    recipients: {
      mailboxes: [
        ...(members.length ? [{ address: 'dag@contoso.com', database: 'DB-DAG' }, { address: 'dag2@contoso.com', database: 'DB-DAG' }] : []),
        { address: 'zero@contoso.com', database: 'DB-0' },
        { address: 'inrelay@relay.contoso.com', database: 'DB-0' },
      ],
      distributionGroups: [
        { address: 'g1@contoso.com', members: ['zero@contoso.com', 'g2@contoso.com', 'x@fabrikam.com'], ...(o.expansion !== null ? { expansionServer: pick(o.expansion) } : {}) },
        { address: 'g2@contoso.com', members: ['g1@contoso.com', 'someone@relay.contoso.com'] },
      ],
    },
    sendConnectors: o.connectors.map((c, i) => ({
      name: `C${i}`,
      addressSpaces: [`${c.space};${c.cost}`],
      sourceTransportServers: [...new Set(c.sources.map(pick))],
      enabled: c.enabled,
      isScopedConnector: c.scoped,
      ...(c.smartHost ? { dnsRoutingEnabled: false, smartHosts: [`smarthost-${i}.example.net`] } : {}),
      ...(c.size ? { maxMessageSize: `${c.size}MB` } : {}),
    })),
  };
}

type Config = WrittenTopologyInput & Record<string, unknown>;
type Edit = (cfg: Config, n: number) => string | undefined;

const at = <T>(list: T[] | undefined, n: number): T | undefined => (list && list.length ? list[n % list.length] : undefined);

/** The single edits of issue 7 item 2; each returns what it did, or undefined when it does not apply. */
export const EDITS: Record<string, Edit> = {
  enabled: (cfg, n) => {
    const c = at(cfg.sendConnectors as { enabled?: boolean; name: string }[], n);
    if (!c) return undefined;
    c.enabled = !(c.enabled ?? true);
    return `${c.name}.enabled = ${c.enabled}`;
  },
  isScopedConnector: (cfg, n) => {
    const c = at(cfg.sendConnectors as { isScopedConnector?: boolean; name: string }[], n);
    if (!c) return undefined;
    c.isScopedConnector = !c.isScopedConnector;
    return `${c.name}.isScopedConnector = ${c.isScopedConnector}`;
  },
  hubSiteEnabled: (cfg, n) => {
    const s = at(cfg.sites as { hubSiteEnabled?: boolean; name: string }[], n);
    if (!s) return undefined;
    s.hubSiteEnabled = !s.hubSiteEnabled;
    return `${s.name}.hubSiteEnabled = ${s.hubSiteEnabled}`;
  },
  linkCost: (cfg, n) => {
    const l = at(cfg.siteLinks as { cost?: number; name: string }[], n);
    if (!l) return undefined;
    l.cost = 1 + ((l.cost ?? 1) + n) % 7;
    return `${l.name}.cost = ${l.cost}`;
  },
  exchangeCost: (cfg, n) => {
    const l = at(cfg.siteLinks as { exchangeCost?: number; name: string }[], n);
    if (!l) return undefined;
    if (l.exchangeCost !== undefined && n % 3 === 0) delete l.exchangeCost;
    else l.exchangeCost = 1 + (n % 7);
    return `${l.name}.exchangeCost = ${l.exchangeCost}`;
  },
  sizeLimit: (cfg, n) => {
    const list = (n % 2 ? cfg.sendConnectors : cfg.siteLinks) as { maxMessageSize?: string; name: string }[];
    const x = at(list, n >> 1);
    if (!x) return undefined;
    x.maxMessageSize = `${1 + (n % 40)}MB`;
    return `${x.name}.maxMessageSize = ${x.maxMessageSize}`;
  },
  addressSpace: (cfg, n) => {
    const c = at(cfg.sendConnectors as { addressSpaces: string[]; name: string }[], n);
    if (!c) return undefined;
    const [space, cost] = c.addressSpaces[0]!.split(';');
    c.addressSpaces = n % 2 ? [`${SPACES[n % SPACES.length]};${cost}`] : [`${space};${1 + (n % 20)}`];
    return `${c.name}.addressSpaces = ${c.addressSpaces[0]}`;
  },
  sourceServers: (cfg, n) => {
    const c = at(cfg.sendConnectors as { sourceTransportServers: string[]; name: string }[], n);
    const servers = (cfg.servers as { name: string; role: string }[]).filter((s) => s.role === 'Mailbox');
    if (!c || servers.length === 0) return undefined;
    c.sourceTransportServers = [servers[n % servers.length]!.name];
    return `${c.name}.sourceTransportServers = ${c.sourceTransportServers}`;
  },
  domainType: (cfg, n) => {
    const d = (cfg.acceptedDomains as { domainType: string }[])[1]!;
    d.domainType = DOMAIN_TYPES.filter((t) => t !== d.domainType)[n % 2]!;
    return `relay.contoso.com.domainType = ${d.domainType}`;
  },
  dagMembers: (cfg, n) => {
    const dag = at(cfg.databaseAvailabilityGroups as { members: string[] }[], 0);
    const servers = (cfg.servers as { name: string; role: string }[]).filter((s) => s.role === 'Mailbox').map((s) => s.name);
    if (!dag) return undefined;
    const s = servers[n % servers.length]!;
    if (dag.members.includes(s)) {
      if (dag.members.length === 1) return undefined;
      dag.members = dag.members.filter((m) => m !== s);
    } else dag.members = [...dag.members, s];
    return `DAG.members = ${dag.members}`;
  },
  edgeSubscription: (cfg, n) => {
    const subs = cfg.edgeSubscriptions as { site: string }[] | undefined;
    if (!subs?.length) return undefined;
    if (n % 2) {
      cfg.edgeSubscriptions = [];
      return 'edge subscription removed';
    }
    const sites = (cfg.sites as { name: string }[]).map((s) => s.name);
    subs[0]!.site = sites[n % sites.length]!;
    return `edge subscription site = ${subs[0]!.site}`;
  },
};
