/**
 * `route table` output, written as it is computed: one chunk per server (text: a block of rows; json:
 * one element of `servers`), so that the table of a large organization is never held as one string.
 * Both costs are named apart (R104): the site path's cost and the aggregate cost the choice was made on.
 */
import { Chalk } from 'chalk';
import type { RouteTableResult, ServerRoutes } from '../../app/route-table.js';
import { UserError } from '../../errors.js';
import { columns, visible } from './route-format.js';
import type { ColorLevel } from './registry.js';

const cost = (n: number | null) => (n === null ? '-' : String(n));

function textBlock(s: ServerRoutes, c: InstanceType<typeof Chalk>): string {
  const out = [c.bold(visible(`${s.server}`)) + c.dim(visible(` (${s.role}${s.site ? `, site ${s.site}` : ''})`))];
  if (s.routes.length === 0) return [...out, '  (no addresses to route)'].join('\n');
  const rows = s.routes.map((r) => [
    r.class.label,
    (r.routingDestination ? `${r.routingDestination.type} ${r.routingDestination.name}` : '-') + (r.deliveryGroup && r.deliveryGroup.name !== r.routingDestination?.name ? ` (${r.deliveryGroup.type} ${r.deliveryGroup.name})` : ''),
    r.status === 'routed' ? (r.deliveryType ?? 'expand here') : r.reason ? `${r.status} ${r.reason.enhancedCode}` : r.status,
    r.nextHop?.domain ?? '-',
    r.nextHop?.targets.join(', ') || '-',
    cost(r.sitePathCost),
    cost(r.aggregateCost),
    r.sitePath.join(' → ') || '-',
  ]);
  out.push(...columns(['addresses', 'destination', 'delivery type', 'next hop', 'targets', 'site path cost', 'aggregate cost', 'site path'], rows, (t, r) => (r < 0 ? c.dim(t) : t)));
  return out.join('\n');
}

const indent = (json: string, pad: string) => pad + json.replace(/\n/g, `\n${pad}`);

/** The output as a sequence of chunks (each ends with a newline); same JSON as JSON.stringify(result, null, 2). */
export function* routeTableChunks(format: string, result: RouteTableResult, colorLevel: ColorLevel): Generator<string> {
  if (format === 'json') {
    yield `{\n  "version": ${result.version},\n  "file": ${JSON.stringify(result.file)},\n  "servers": [`;
    let first = true;
    for (const s of result.servers) {
      yield `${first ? '\n' : ',\n'}${indent(JSON.stringify(s, null, 2), '    ')}`;
      first = false;
    }
    yield first ? ']\n}\n' : '\n  ]\n}\n';
    return;
  }
  if (format !== 'text') throw new UserError(`unknown format "${format}"`, `use one of: ${ROUTE_TABLE_FORMATS.join(', ')}`);
  const c = new Chalk({ level: colorLevel });
  let first = true;
  for (const s of result.servers) {
    yield `${first ? '' : '\n'}${textBlock(s, c)}\n`;
    first = false;
  }
}

export const ROUTE_TABLE_FORMATS = ['text', 'json'];

/** The whole output as one string (tests, small tables). */
export function renderRouteTable(format: string, result: RouteTableResult, colorLevel: ColorLevel): string {
  return [...routeTableChunks(format, result, colorLevel)].join('');
}
