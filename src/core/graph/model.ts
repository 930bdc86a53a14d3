/**
 * The picture of a topology as plain data, shared by the Mermaid and DOT writers: sites are clusters
 * holding their Mailbox servers, site links join clusters (label: cost, ExchangeCost when set, and a
 * MaxMessageSize below unlimited, R3), DAGs join their members, send connectors hang off their source
 * servers and point at their address spaces, Edge servers sit outside every site with an edge to the
 * site they are subscribed to (R118). An optional route (one recipient of `route plan`) is marked.
 */
import { matchSpecificity, type AddressSpace } from '../model/address-space.js';
import { compareNames, nameKey, sameName } from '../model/names.js';
import type { SendConnector, SiteLink, Topology } from '../model/topology.js';
import { formatSize } from '../model/units.js';

export type NodeKind = 'server' | 'edgeServer' | 'dag' | 'sendConnector' | 'addressSpace' | 'siteLink' | 'emptySite';
export type EdgeKind = 'siteLink' | 'dagMember' | 'connectorSource' | 'addressSpace' | 'edgeSubscription' | 'route';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** First line is the name; further lines are details. */
  lines: string[];
  /** Id of the site cluster holding it. */
  cluster?: string;
  highlighted: boolean;
}

export interface GraphCluster {
  id: string;
  site: string;
  lines: string[];
  hub: boolean;
  highlighted: boolean;
}

export interface GraphEdge {
  /** A node id or a cluster id. */
  from: string;
  to: string;
  kind: EdgeKind;
  label: string[];
  directed: boolean;
  highlighted: boolean;
}

export interface RouteHighlight {
  from: string;
  recipient: string;
  /** AD sites from the source server's site to the destination's. */
  sitePath: string[];
  /** Servers in the order the message visits them, with the delivery type that moves it on. */
  hops: { server: string; deliveryType?: string }[];
  /** The send connector the message leaves by, if any. */
  connector: string | null;
  /** One line for the caption, e.g. `routed via To Fabrikam`. */
  summary: string;
}

export interface TopologyGraph {
  title: string;
  clusters: GraphCluster[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  route?: RouteHighlight;
}

/** Link label lines (R3): cost, ExchangeCost when set, MaxMessageSize when limited. */
export function siteLinkLines(link: SiteLink): string[] {
  const lines = [link.name, link.exchangeCost !== undefined ? `cost ${link.cost}, ExchangeCost ${link.exchangeCost}` : `cost ${link.cost}`];
  if (link.maxMessageSize !== Infinity) lines.push(`max ${formatSize(link.maxMessageSize)}`);
  return lines;
}

function connectorLines(connector: SendConnector): string[] {
  const lines = [connector.name];
  if (connector.edgeSync) lines.push(`EdgeSync (${connector.edgeSync.direction === 'Inbound' ? 'inbound' : 'to Internet'})`);
  else if (!connector.dnsRoutingEnabled && connector.smartHosts.length > 0) lines.push(`smart host ${connector.smartHosts.join(', ')}:${connector.port}`);
  else lines.push('DNS (MX)');
  if (connector.maxMessageSize !== Infinity) lines.push(`max ${formatSize(connector.maxMessageSize)}`);
  if (!connector.enabled) lines.push('disabled');
  return lines;
}

function spaceText(space: AddressSpace): string {
  if (space.type !== 'SMTP') return `${space.type}:${space.address}`;
  return space.address === '*' ? '* (every domain)' : space.address;
}

export function buildTopologyGraph(topology: Topology, route?: RouteHighlight): TopologyGraph {
  const clusters: GraphCluster[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const siteId = new Map<string, string>();
  const serverId = new Map<string, string>();

  topology.sites.forEach((site, i) => {
    const id = `site_${i}`;
    siteId.set(nameKey(site.name), id);
    const lines = [site.name];
    if (site.hubSiteEnabled) lines.push('hub site');
    if (!site.inboundMailEnabled) lines.push('inbound mail off');
    clusters.push({ id, site: site.name, lines, hub: site.hubSiteEnabled, highlighted: false });
  });

  topology.servers.forEach((server, i) => {
    const id = `srv_${i}`;
    serverId.set(nameKey(server.name), id);
    if (server.role === 'Edge') {
      nodes.push({ id, kind: 'edgeServer', lines: [server.name, 'Edge Transport', server.fqdn], highlighted: false });
      const subscribed = server.site ? siteId.get(nameKey(server.site)) : undefined;
      if (subscribed) edges.push({ from: id, to: subscribed, kind: 'edgeSubscription', label: ['subscribed'], directed: false, highlighted: false });
    } else {
      const cluster = server.site ? siteId.get(nameKey(server.site)) : undefined;
      nodes.push({ id, kind: 'server', lines: [server.name, server.fqdn], ...(cluster ? { cluster } : {}), highlighted: false });
    }
  });

  // A site without servers still shows as a box (Mermaid draws no empty subgraph).
  for (const cluster of clusters) {
    if (!nodes.some((n) => n.cluster === cluster.id)) {
      nodes.push({ id: `${cluster.id}_empty`, kind: 'emptySite', lines: ['no Exchange server'], cluster: cluster.id, highlighted: false });
    }
  }

  topology.siteLinks.forEach((link, i) => {
    const ends = link.sites.map((s) => siteId.get(nameKey(s))).filter((id): id is string => id !== undefined);
    if (ends.length === 2) {
      edges.push({ from: ends[0]!, to: ends[1]!, kind: 'siteLink', label: siteLinkLines(link), directed: false, highlighted: false });
    } else if (ends.length > 2) {
      // A link naming three or more sites joins them all at one cost (R3): draw it as a hub node.
      const id = `link_${i}`;
      nodes.push({ id, kind: 'siteLink', lines: siteLinkLines(link), highlighted: false });
      for (const end of ends) edges.push({ from: id, to: end, kind: 'siteLink', label: [], directed: false, highlighted: false });
    }
  });

  topology.databaseAvailabilityGroups.forEach((dag, i) => {
    const id = `dag_${i}`;
    nodes.push({ id, kind: 'dag', lines: [dag.name, 'DAG'], highlighted: false });
    for (const member of dag.members) {
      const target = serverId.get(nameKey(member));
      if (target) edges.push({ from: id, to: target, kind: 'dagMember', label: [], directed: false, highlighted: false });
    }
  });

  const spaceId = new Map<string, string>();
  topology.sendConnectors.forEach((connector, i) => {
    const id = `sc_${i}`;
    nodes.push({ id, kind: 'sendConnector', lines: connectorLines(connector), highlighted: false });
    for (const source of connector.sourceTransportServers) {
      const from = serverId.get(nameKey(source));
      if (from) edges.push({ from, to: id, kind: 'connectorSource', label: [], directed: true, highlighted: false });
    }
    for (const space of connector.addressSpaces) {
      const key = `${space.type}:${space.address}`;
      let target = spaceId.get(key);
      if (!target) {
        target = `as_${spaceId.size}`;
        spaceId.set(key, target);
        nodes.push({ id: target, kind: 'addressSpace', lines: [spaceText(space)], highlighted: false });
      }
      edges.push({ from: id, to: target, kind: 'addressSpace', label: [`cost ${space.cost}`], directed: true, highlighted: false });
    }
  });

  const graph: TopologyGraph = { title: topology.organization.name, clusters, nodes, edges };
  if (route) highlightRoute(graph, topology, route, { siteId, serverId, spaceId });
  return graph;
}

function highlightRoute(
  graph: TopologyGraph,
  topology: Topology,
  route: RouteHighlight,
  ids: { siteId: Map<string, string>; serverId: Map<string, string>; spaceId: Map<string, string> },
): void {
  graph.route = route;
  const node = (id: string | undefined) => graph.nodes.find((n) => n.id === id);
  for (const site of route.sitePath) {
    const cluster = graph.clusters.find((c) => sameName(c.site, site));
    if (cluster) cluster.highlighted = true;
  }
  // Site links along the path: the cheapest link joining each pair of consecutive sites.
  for (let i = 0; i + 1 < route.sitePath.length; i++) {
    const [a, b] = [route.sitePath[i]!, route.sitePath[i + 1]!];
    const links = topology.siteLinks
      .map((link, index) => ({ link, index }))
      .filter(({ link }) => link.sites.some((s) => sameName(s, a)) && link.sites.some((s) => sameName(s, b)))
      .sort((x, y) => (x.link.exchangeCost ?? x.link.cost) - (y.link.exchangeCost ?? y.link.cost) || compareNames(x.link.name, y.link.name));
    const chosen = links[0];
    if (!chosen) continue;
    const [ida, idb] = [ids.siteId.get(nameKey(a)), ids.siteId.get(nameKey(b))];
    const hub = `link_${chosen.index}`;
    for (const edge of graph.edges) {
      if (edge.kind !== 'siteLink') continue;
      const joins = (x: string | undefined, y: string | undefined) => (edge.from === x && edge.to === y) || (edge.from === y && edge.to === x);
      if (joins(ida, idb) || joins(hub, ida) || joins(hub, idb)) edge.highlighted = true;
    }
    const hubNode = node(hub);
    if (hubNode) hubNode.highlighted = true;
  }
  // The hops, numbered, from server to server, each labelled with the delivery type that moved it.
  const stops = route.hops
    .map((h) => ({ id: ids.serverId.get(nameKey(h.server)), deliveryType: h.deliveryType }))
    .filter((h): h is { id: string; deliveryType: string | undefined } => h.id !== undefined)
    .filter((h, i, all) => i === 0 || all[i - 1]!.id !== h.id);
  const visited = stops.map((s) => s.id);
  for (const id of visited) {
    const n = node(id);
    if (n) n.highlighted = true;
  }
  let step = 1;
  for (let i = 0; i + 1 < stops.length; i++) {
    const how = stops[i]!.deliveryType;
    graph.edges.push({ from: stops[i]!.id, to: stops[i + 1]!.id, kind: 'route', label: [how ? `${step++}. ${how}` : `${step++}`], directed: true, highlighted: true });
  }
  if (route.connector) {
    const index = topology.sendConnectors.findIndex((c) => sameName(c.name, route.connector!));
    if (index >= 0) {
      const connectorId = `sc_${index}`;
      node(connectorId)!.highlighted = true;
      const last = visited[visited.length - 1];
      if (last) {
        const source = graph.edges.find((e) => e.kind === 'connectorSource' && e.from === last && e.to === connectorId);
        if (source) source.highlighted = true;
        else graph.edges.push({ from: last, to: connectorId, kind: 'route', label: [`${step++}`], directed: true, highlighted: true });
      }
      // The address space that matched the recipient's domain (R101).
      const domain = route.recipient.slice(route.recipient.lastIndexOf('@') + 1);
      const best = topology.sendConnectors[index]!.addressSpaces
        .map((space) => ({ space, rank: matchSpecificity(space, domain) }))
        .filter((x): x is { space: AddressSpace; rank: number } => x.rank !== undefined)
        .sort((x, y) => y.rank - x.rank)[0];
      if (best) {
        const target = ids.spaceId.get(`${best.space.type}:${best.space.address}`);
        const edge = graph.edges.find((e) => e.kind === 'addressSpace' && e.from === connectorId && e.to === target);
        if (edge) edge.highlighted = true;
        const spaceNode = node(target);
        if (spaceNode) spaceNode.highlighted = true;
      }
    }
  }
}
