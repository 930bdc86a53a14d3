/**
 * Graphviz DOT text of a TopologyGraph. Sites are `cluster_` subgraphs. An edge to a site is drawn
 * to the site's first node and clipped at the cluster border (`compound=true` with lhead/ltail);
 * a separate invisible anchor would sit in its own rank and stretch the cluster across the picture.
 * Highlighted parts are drawn thick and red.
 */
import type { EdgeKind, GraphEdge, GraphNode, NodeKind, TopologyGraph } from './model.js';

const ROUTE = '#d62728';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function attrs(values: Record<string, string | number | undefined>): string {
  const parts = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v : quote(v!)}`);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

const NODE_STYLE: Record<NodeKind, Record<string, string>> = {
  server: { shape: 'box', style: 'rounded,filled', fillcolor: '#e8f0fe', color: '#4a6fa5' },
  edgeServer: { shape: 'box3d', style: 'filled', fillcolor: '#fff4e0', color: '#b7791f' },
  dag: { shape: 'hexagon', style: 'filled', fillcolor: '#eef7ee', color: '#3c8d40' },
  sendConnector: { shape: 'cds', style: 'filled', fillcolor: '#f3e8fd', color: '#7b4fa5', margin: '0.25,0.06' },
  addressSpace: { shape: 'note', style: 'filled', fillcolor: '#ffffff', color: '#777777' },
  siteLink: { shape: 'ellipse', style: 'dashed', color: '#555555' },
  emptySite: { shape: 'plaintext', fontcolor: '#777777' },
};

const EDGE_STYLE: Record<EdgeKind, Record<string, string>> = {
  siteLink: { color: '#555555', penwidth: '2' },
  dagMember: { style: 'dashed', color: '#3c8d40' },
  connectorSource: { style: 'dashed', color: '#7b4fa5' },
  addressSpace: { color: '#7b4fa5' },
  edgeSubscription: { style: 'dotted', color: '#b7791f' },
  route: { color: ROUTE, penwidth: '3', fontcolor: ROUTE },
};

function node(n: GraphNode): string {
  const style = { ...NODE_STYLE[n.kind] };
  const highlight = n.highlighted ? { color: ROUTE, penwidth: '3' } : {};
  return `${n.id}${attrs({ label: n.lines.join('\n'), ...style, ...highlight })}`;
}

export function toDot(graph: TopologyGraph): string {
  const clusterIds = new Set(graph.clusters.map((c) => c.id));
  const firstNode = new Map<string, string>();
  for (const n of graph.nodes) if (n.cluster && !firstNode.has(n.cluster)) firstNode.set(n.cluster, n.id);
  const anchor = (id: string) => (clusterIds.has(id) ? (firstNode.get(id) ?? id) : id);
  const caption = graph.route ? `${graph.title}\n${graph.route.summary}` : graph.title;
  const out: string[] = [
    'digraph topology {',
    `  graph${attrs({ compound: 'true', rankdir: 'LR', fontname: 'Helvetica', fontsize: 14, labelloc: 't', label: caption, nodesep: '0.4', ranksep: '0.9', newrank: 'true' })};`,
    `  node${attrs({ fontname: 'Helvetica', fontsize: 10 })};`,
    `  edge${attrs({ fontname: 'Helvetica', fontsize: 9 })};`,
  ];
  for (const cluster of graph.clusters) {
    out.push(`  subgraph cluster_${cluster.id} {`);
    const border = cluster.highlighted ? { color: ROUTE, penwidth: '2' } : { color: cluster.hub ? '#b7791f' : '#4a6fa5' };
    out.push(`    graph${attrs({ label: cluster.lines.join('\n'), style: 'rounded,filled', fillcolor: cluster.hub ? '#fffaf0' : '#f7f9fc', ...border })};`);
    for (const n of graph.nodes.filter((x) => x.cluster === cluster.id)) out.push(`    ${node(n)};`);
    out.push('  }');
  }
  for (const n of graph.nodes.filter((x) => x.cluster === undefined)) out.push(`  ${node(n)};`);
  for (const e of graph.edges) out.push(`  ${edgeLine(e, anchor, clusterIds)};`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

function edgeLine(e: GraphEdge, anchor: (id: string) => string, clusters: Set<string>): string {
  const style: Record<string, string | undefined> = { ...EDGE_STYLE[e.kind] };
  if (e.highlighted) Object.assign(style, { color: ROUTE, penwidth: '3', fontcolor: ROUTE });
  return `${anchor(e.from)} -> ${anchor(e.to)}${attrs({
    label: e.label.length > 0 ? e.label.join('\n') : undefined,
    dir: e.directed ? undefined : 'none',
    ltail: clusters.has(e.from) ? `cluster_${e.from}` : undefined,
    lhead: clusters.has(e.to) ? `cluster_${e.to}` : undefined,
    ...style,
  })}`;
}
