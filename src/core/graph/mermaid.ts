/**
 * Mermaid flowchart text of a TopologyGraph. Sites are subgraphs; site links join subgraphs directly
 * (Mermaid allows subgraph ids as edge ends). Highlighted parts get the `route` class and a thick
 * red link style; `linkStyle` addresses links by their order of definition, so edges are written in
 * one pass and counted.
 */
import type { EdgeKind, GraphEdge, GraphNode, NodeKind, TopologyGraph } from './model.js';

/**
 * Mermaid's entity codes keep quotes, angle brackets and backticks (a "`…`" label is Markdown) out of
 * the syntax. Line breaks and other control characters never get here: the CLI escapes every string
 * of the graph first (cli/render/escape.ts).
 */
function escape(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/`/g, '#96;');
}

/** The front matter is YAML: the title as a double-quoted scalar, whatever it holds (`: `, `#`, quotes). */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

function label(lines: string[]): string {
  return `"${lines.map(escape).join('<br/>')}"`;
}

const SHAPE: Record<NodeKind, (l: string) => string> = {
  server: (l) => `[${l}]`,
  edgeServer: (l) => `[[${l}]]`,
  dag: (l) => `{{${l}}}`,
  sendConnector: (l) => `[/${l}/]`,
  addressSpace: (l) => `([${l}])`,
  siteLink: (l) => `((${l}))`,
  emptySite: (l) => `[${l}]`,
};

const ARROW: Record<EdgeKind, { directed: string; undirected: string }> = {
  siteLink: { directed: '==>', undirected: '===' },
  dagMember: { directed: '-.->', undirected: '-.-' },
  connectorSource: { directed: '-.->', undirected: '-.-' },
  addressSpace: { directed: '-->', undirected: '---' },
  edgeSubscription: { directed: '-.->', undirected: '-.-' },
  route: { directed: '==>', undirected: '===' },
};

function node(n: GraphNode): string {
  return `${n.id}${SHAPE[n.kind](label(n.lines))}`;
}

function edge(e: GraphEdge): string {
  const arrow = ARROW[e.kind][e.directed ? 'directed' : 'undirected'];
  return e.label.length > 0 ? `${e.from} ${arrow}|${label(e.label)}| ${e.to}` : `${e.from} ${arrow} ${e.to}`;
}

export function toMermaid(graph: TopologyGraph): string {
  const title = `${escape(graph.title)}${graph.route ? ` — ${escape(graph.route.summary)}` : ''}`;
  const out: string[] = ['---', `title: ${yamlString(title)}`, '---', 'flowchart LR'];
  for (const cluster of graph.clusters) {
    out.push(`  subgraph ${cluster.id}[${label(cluster.lines)}]`);
    out.push('    direction TB');
    for (const n of graph.nodes.filter((x) => x.cluster === cluster.id)) out.push(`    ${node(n)}`);
    out.push('  end');
  }
  for (const n of graph.nodes.filter((x) => x.cluster === undefined)) out.push(`  ${node(n)}`);
  const highlighted: number[] = [];
  graph.edges.forEach((e, i) => {
    out.push(`  ${edge(e)}`);
    if (e.highlighted) highlighted.push(i);
  });
  out.push('  classDef server fill:#e8f0fe,stroke:#4a6fa5');
  out.push('  classDef edgeServer fill:#fff4e0,stroke:#b7791f');
  out.push('  classDef dag fill:#eef7ee,stroke:#3c8d40');
  out.push('  classDef sendConnector fill:#f3e8fd,stroke:#7b4fa5');
  out.push('  classDef addressSpace fill:#ffffff,stroke:#777777');
  out.push('  classDef route stroke:#d62728,stroke-width:3px');
  for (const kind of ['server', 'edgeServer', 'dag', 'sendConnector', 'addressSpace'] as const) {
    const ids = graph.nodes.filter((n) => n.kind === kind).map((n) => n.id);
    if (ids.length > 0) out.push(`  class ${ids.join(',')} ${kind}`);
  }
  const marked = [...graph.nodes.filter((n) => n.highlighted).map((n) => n.id), ...graph.clusters.filter((c) => c.highlighted).map((c) => c.id)];
  if (marked.length > 0) out.push(`  class ${marked.join(',')} route`);
  if (highlighted.length > 0) out.push(`  linkStyle ${highlighted.join(',')} stroke:#d62728,stroke-width:3px`);
  return `${out.join('\n')}\n`;
}
