/** `route diff` output: the routes that appear, disappear or change, field by field. */
import { Chalk } from 'chalk';
import type { RouteDiffResult } from '../../app/route-diff.js';
import type { RouteTableEntry } from '../../core/route/table.js';
import { UserError } from '../../errors.js';
import { visible } from './route-format.js';

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.join(value.every((v) => typeof v === 'string' && !v.includes(' ')) ? ' → ' : ', ') : '(none)';
  return value === null || value === undefined ? '-' : String(value);
}

function brief(r: RouteTableEntry): string {
  return `${r.deliveryType ?? r.status} ${r.nextHop ?? ''} → ${r.targets.join(', ') || '-'}${r.cost !== null ? ` (cost ${r.cost})` : ''}`;
}

const renderers: Record<string, (result: RouteDiffResult, colorLevel: 0 | 1 | 2 | 3) => string> = {
  json: (result) => JSON.stringify(result, null, 2),
  text: (result, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const out = [c.dim(visible(`route diff ${result.base} → ${result.head}`))];
    if (!result.changed) return [...out, 'no routing changes'].join('\n');
    for (const ch of result.changes) {
      const what = `${ch.server}: ${ch.destination.type} ${ch.destination.name}`;
      if (ch.change === 'added') out.push(c.green(`+ ${visible(what)}  ${visible(brief(ch.after!))}`));
      else if (ch.change === 'removed') out.push(c.red(`- ${visible(what)}  ${visible(brief(ch.before!))}`));
      else {
        out.push(c.yellow(`~ ${visible(what)}`));
        for (const f of ch.fields) {
          const key = f as keyof RouteTableEntry;
          out.push(`    ${f}: ${visible(show(ch.before![key]))} → ${visible(show(ch.after![key]))}`);
        }
      }
    }
    const n = (k: string) => result.changes.filter((ch) => ch.change === k).length;
    out.push('', `${result.changes.length} route(s) differ: ${n('changed')} changed, ${n('added')} added, ${n('removed')} removed`);
    return out.join('\n');
  },
};

export const ROUTE_DIFF_FORMATS = Object.keys(renderers);

export function renderRouteDiff(format: string, result: RouteDiffResult, colorLevel: 0 | 1 | 2 | 3): string {
  const render = renderers[format];
  if (!render) throw new UserError(`unknown format "${format}"`, `use one of: ${ROUTE_DIFF_FORMATS.join(', ')}`);
  return render(result, colorLevel);
}
