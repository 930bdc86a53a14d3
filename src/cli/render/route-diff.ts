/** `route diff` output: the routes that appear, disappear or change, field by field. */
import { Chalk } from 'chalk';
import { formatSize } from '../../core/model/units.js';
import type { RouteDiffResult } from '../../app/route-diff.js';
import type { RouteChange, RouteTableEntry } from '../../core/route/table.js';
import type { NextHop } from '../../core/route/types.js';
import { visible } from './route-format.js';
import type { ColorLevel } from './registry.js';
import { UserError } from '../../errors.js';

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

/** How many changes one chunk of text or JSON holds. */
const CHUNK = 500;

/**
 * A change as an element of `changes`, indented as JSON.stringify(result, null, 2) would (serialised
 * inside a one-element wrapper of the same depth and cut out, as the route table's server blocks are).
 */
const WRAP_HEAD = '{\n  "changes": [\n'.length;
const WRAP_TAIL = '\n  ]\n}'.length;
const changeElement = (change: RouteChange) => {
  const json = JSON.stringify({ changes: [change] }, null, 2);
  return json.slice(WRAP_HEAD, json.length - WRAP_TAIL);
};

/** The JSON object's members other than `changes`, in the result's own key order, each as `"key": value`. */
function jsonMembers(result: RouteDiffResult): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  let seen = false;
  for (const [key, value] of Object.entries(result)) {
    if (key === 'changes') seen = true;
    else if (value !== undefined) (seen ? after : before).push(`  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`);
  }
  return { before, after };
}

/** JSON, as JSON.stringify(result, null, 2), a chunk of changes at a time (a large diff is hundreds of MB). */
function* jsonChunks(result: RouteDiffResult): Generator<string> {
  const { before, after } = jsonMembers(result);
  const head = [...before.map((m) => `${m},`), ''].join('\n');
  const tail = after.length ? `,\n${after.join(',\n')}` : '';
  if (result.changes.length === 0) {
    yield `{\n${head}  "changes": []${tail}\n}\n`;
    return;
  }
  yield `{\n${head}  "changes": [\n`;
  for (let i = 0; i < result.changes.length; i += CHUNK) {
    const part = result.changes.slice(i, i + CHUNK).map(changeElement).join(',\n');
    yield i + CHUNK < result.changes.length ? `${part},\n` : part;
  }
  yield `\n  ]${tail}\n}\n`;
}

function* textChunks(result: RouteDiffResult, colorLevel: ColorLevel): Generator<string> {
  const c = new Chalk({ level: colorLevel });
  let out = [c.dim(visible(`route diff ${result.base} → ${result.head}`))];
  if (!result.changed) {
    yield [...out, 'no routing changes'].join('\n') + '\n';
    return;
  }
  const groups = groupBySite(result.changes);
  for (let i = 0; i < groups.length; i++) {
    const { site, servers, change: ch } = groups[i]!;
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
    if ((i + 1) % CHUNK === 0) {
      yield out.join('\n') + '\n';
      out = [];
    }
  }
  const n = (k: string) => result.changes.filter((ch) => ch.change === k).length;
  out.push('', `${result.changes.length} route(s) differ: ${n('changed')} changed, ${n('added')} added, ${n('removed')} removed`);
  yield out.join('\n') + '\n';
}

export const ROUTE_DIFF_FORMATS = ['json', 'text'];

/** The output as a sequence of chunks, each ending in a newline, so that a large diff is never one string. */
export function routeDiffChunks(format: string, result: RouteDiffResult, colorLevel: ColorLevel): Generator<string> {
  if (format === 'json') return jsonChunks(result);
  if (format === 'text') return textChunks(result, colorLevel);
  throw new UserError(`unknown format "${format}"`, `use one of: ${ROUTE_DIFF_FORMATS.join(', ')}`);
}

/** The whole output as one string, without its final newline (tests, small diffs). */
export function renderRouteDiff(format: string, result: RouteDiffResult, colorLevel: ColorLevel): string {
  return [...routeDiffChunks(format, result, colorLevel)].join('').replace(/\n$/, '');
}
