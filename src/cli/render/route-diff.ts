/** `route diff` output: the routes that appear, disappear or change, field by field. */
import { Chalk } from 'chalk';
import { formatSize } from '../../core/model/units.js';
import type { RouteDiffResult } from '../../app/route-diff.js';
import type { RouteChange, RouteTableEntry } from '../../core/route/table.js';
import type { NextHop } from '../../core/route/types.js';
import { visible } from './route-format.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

/** Both costs are named apart everywhere (R104): the site path's cost and the aggregate cost. */
const LABELS: Record<string, string> = { sitePathCost: 'site path cost', aggregateCost: 'aggregate cost', maxMessageSize: 'route size limit' };

/** Paths read as paths, lists as lists: `Berlin → Paris`, `PAR-EX01, PAR-EX02`. */
function show(field: string, value: unknown): string {
  if (field === 'maxMessageSize') return formatSize(typeof value === 'number' ? value : Infinity);
  if (field === 'nextHop' && value) {
    const h = value as NextHop;
    return `${h.deliveryType} "${h.domain}" → ${h.targets.join(', ') || '-'}${h.fallbacks.length ? `; fallbacks ${h.fallbacks.join(', ')}` : ''}`;
  }
  if (field === 'deliveryGroup' && value) {
    const g = value as { type: string; name: string; servers: string[] };
    return `${g.type} ${g.name} (${g.servers.join(', ') || 'no servers'})`;
  }
  if (field === 'routingDestination' && value) {
    const d = value as { type: string; name: string };
    return `${d.type} ${d.name}`;
  }
  if (field === 'reason' && value) {
    const r = value as { code: number; enhancedCode: string; text: string };
    return `${r.code} ${r.enhancedCode} ${r.text}`;
  }
  if (Array.isArray(value)) return value.length ? value.join(field === 'sitePath' ? ' → ' : ', ') : '(none)';
  return value === null || value === undefined ? '-' : String(value);
}

function brief(r: RouteTableEntry): string {
  const what = r.status === 'routed' ? (r.deliveryType ?? 'expand here') : `${r.status}${r.reason ? ` ${r.reason.enhancedCode}` : ''}`;
  const costs = r.aggregateCost !== null ? ` (site path cost ${r.sitePathCost ?? '-'}, aggregate cost ${r.aggregateCost})` : '';
  return `${what} ${r.nextHop?.domain ?? ''} → ${r.nextHop?.targets.join(', ') || '-'}${costs}`;
}

/** The source site of a row: the first site of its path, when it has one. */
function sourceSite(change: RouteChange): string | undefined {
  return (change.after ?? change.before)?.sitePath[0];
}

interface Group {
  site: string | undefined;
  servers: string[];
  change: RouteChange;
}

/**
 * The PR reviewer's question is "from which site does mail for X now go elsewhere": servers of one
 * site whose route to a destination changed the same way are shown once, under their site.
 */
function groupBySite(changes: readonly RouteChange[]): Group[] {
  const groups = new Map<string, Group>();
  for (const change of changes) {
    const site = sourceSite(change);
    const fields = change.fields.map((f) => [f, change.before?.[f as keyof RouteTableEntry], change.after?.[f as keyof RouteTableEntry]]);
    const key = JSON.stringify([site ?? change.server, change.change, change.class.key, fields, change.change === 'changed' ? null : brief((change.after ?? change.before)!)]);
    const group = groups.get(key);
    if (group) group.servers.push(change.server);
    else groups.set(key, { site, servers: [change.server], change });
  }
  return [...groups.values()];
}

const renderers: Record<string, Renderer<RouteDiffResult>> = {
  json: (result) => JSON.stringify(result, null, 2),
  text: (result, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const out = [c.dim(visible(`route diff ${result.base} → ${result.head}`))];
    if (!result.changed) return [...out, 'no routing changes'].join('\n');
    for (const { site, servers, change: ch } of groupBySite(result.changes)) {
      const from = site ? `from ${site} (${servers.join(', ')})` : `from ${servers.join(', ')}`;
      const row = ch.after ?? ch.before!;
      const dest = row.routingDestination ? ` (${row.routingDestination.type} ${row.routingDestination.name})` : '';
      const what = `${from} to ${ch.class.label}${dest}`;
      if (ch.change === 'added') out.push(c.green(`+ ${visible(what)}: ${visible(brief(ch.after!))}`));
      else if (ch.change === 'removed') out.push(c.red(`- ${visible(what)}: ${visible(brief(ch.before!))}`));
      else {
        out.push(c.yellow(`~ ${visible(what)}`));
        for (const f of ch.fields) {
          const key = f as keyof RouteTableEntry;
          out.push(`    ${LABELS[f] ?? f}: was ${visible(show(f, ch.before![key]))}, now ${visible(show(f, ch.after![key]))}`);
        }
      }
    }
    const n = (k: string) => result.changes.filter((ch) => ch.change === k).length;
    out.push('', `${result.changes.length} route(s) differ: ${n('changed')} changed, ${n('added')} added, ${n('removed')} removed`);
    return out.join('\n');
  },
};

export const ROUTE_DIFF_FORMATS = Object.keys(renderers);

export function renderRouteDiff(format: string, result: RouteDiffResult, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, result, colorLevel);
}
