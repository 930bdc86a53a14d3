/** `route table` output: per server, one line per routing destination. */
import { Chalk } from 'chalk';
import type { RouteTableResult } from '../../app/route-table.js';
import { columns, visible } from './route-format.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

const renderers: Record<string, Renderer<RouteTableResult>> = {
  json: (result) => JSON.stringify(result, null, 2),
  text: (result, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const out: string[] = [];
    for (const s of result.servers) {
      if (out.length) out.push('');
      out.push(c.bold(visible(`${s.server}`)) + c.dim(visible(` (${s.role}${s.site ? `, site ${s.site}` : ''})`)));
      if (s.routes.length === 0) {
        out.push('  (no routing destinations)');
        continue;
      }
      const rows = s.routes.map((r) => [
        r.destination.type,
        r.destination.name + (r.addressSpaces ? ` [${r.addressSpaces.join(', ')}]` : ''),
        r.status === 'routed' ? (r.deliveryType ?? 'expand here') : r.status,
        r.nextHop ?? '-',
        r.targets.join(', ') || '-',
        r.cost === null ? '-' : String(r.cost),
        r.sitePath.join(' → ') || '-',
      ]);
      out.push(...columns(['destination', 'name', 'delivery type', 'next hop', 'targets', 'cost', 'site path'], rows, (t, r) => (r < 0 ? c.dim(t) : t)));
    }
    return out.join('\n');
  },
};

export const ROUTE_TABLE_FORMATS = Object.keys(renderers);

export function renderRouteTable(format: string, result: RouteTableResult, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, result, colorLevel);
}
