/**
 * `mxt graph` writers keyed by --format over one TopologyGraph: Mermaid and DOT are pure text
 * (src/core/graph); SVG is laid out in-process by Graphviz compiled to WebAssembly (@viz-js/viz),
 * loaded only when asked for because it is large.
 */
import { toDot } from '../../core/graph/dot.js';
import type { TopologyGraph } from '../../core/graph/model.js';
import { toMermaid } from '../../core/graph/mermaid.js';
import { UserError } from '../../errors.js';
import { escapeDeep } from './escape.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;

type VizModule = typeof import('@viz-js/viz');

async function toSvg(graph: TopologyGraph): Promise<string> {
  const { instance }: VizModule = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(toDot(graph), { format: 'svg', engine: 'dot' });
}

const renderers: Record<string, (graph: TopologyGraph) => string | Promise<string>> = {
  mermaid: toMermaid,
  dot: toDot,
  svg: toSvg,
};

export async function renderGraph(format: string, graph: TopologyGraph): Promise<string> {
  const render = renderers[format];
  if (!render) throw new UserError(`unknown format "${format}"`, `use one of ${GRAPH_FORMATS.join(', ')}`);
  // Labels come from the config: escaped here once, then quoted by each writer for its syntax.
  return render(escapeDeep(graph));
}
