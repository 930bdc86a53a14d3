/**
 * `route plan` output. json: the decisions as they are (a plain array, product.md). text: per
 * recipient a summary, the hop table and a short "why" listing each losing candidate; then the
 * queues the message is split into on the categorizing server (R89, R150).
 */
import { Chalk } from 'chalk';
import type { RouteDecision, RoutePlan } from '../../core/route/types.js';
import { formatSize } from '../../core/model/units.js';
import { columns, visible } from './route-format.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

function decisionText(d: RouteDecision, c: InstanceType<typeof Chalk>, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const status = d.status === 'routed' ? c.green(d.status) : d.status === 'rejected' ? c.red(d.status) : c.yellow(d.status);
  const out: string[] = [];
  const dest = d.routingDestination ? ` → ${d.routingDestination.type} ${d.routingDestination.name}` : '';
  out.push(`${pad}${c.bold(visible(d.recipient))}  ${status}  ${d.recipientType}${visible(dest)}${d.targetAddress ? ` (to ${visible(d.targetAddress)})` : ''}`);
  const facts: [string, string][] = [];
  if (d.connector) facts.push(['connector', d.connector]);
  if (d.deliveryGroup) facts.push(['delivery group', `${d.deliveryGroup.type} ${d.deliveryGroup.name} (${d.deliveryGroup.servers.join(', ') || 'no servers'})`]);
  if (d.nextHop) {
    const fb = d.nextHop.fallbacks.length ? `; fallbacks ${d.nextHop.fallbacks.join(', ')}` : '';
    facts.push(['next hop', `${d.nextHop.deliveryType} "${d.nextHop.domain}" → ${d.nextHop.targets.join(', ') || '-'}${fb}`]);
  }
  // Two costs, named apart (R93, R104): the site path's own, and the aggregate the choice was made on.
  if (d.sitePath.length) facts.push(['site path', `${d.sitePath.join(' → ')}${d.sitePathCost !== null ? `  (site path cost ${d.sitePathCost})` : ''}`]);
  if (d.aggregateCost !== null) facts.push(['aggregate cost', String(d.aggregateCost)]);
  if (d.maxMessageSize !== null) facts.push(['route limit', formatSize(d.maxMessageSize)]);
  if (d.reason) facts.push(['reason', `${d.reason.code} ${d.reason.enhancedCode} ${d.reason.text} (${d.reason.rule})`]);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out.push(`${pad}  ${c.dim(k.padEnd(width))}  ${visible(v)}`);
  if (d.hops.length) {
    out.push('');
    const rows = d.hops.map((h, i) => [String(i + 1), h.server, h.site ?? '-', h.action, h.deliveryType ?? '-', h.target + (h.nextHopDomain && h.target === 'Retry' ? ` in queue "${h.nextHopDomain}"` : '') + (h.note ? `  (${h.note})` : '')]);
    out.push(...columns(['#', 'server', 'site', 'action', 'delivery type', 'target'], rows, (t, r) => (r < 0 ? c.dim(t) : t), `${pad}  `));
  }
  if (d.candidates.length) {
    out.push('', `${pad}  ${c.dim('why not')}`);
    for (const cand of d.candidates) out.push(`${pad}  - ${cand.kind} ${c.bold(visible(cand.name))}: ${visible(cand.reason)}`);
  }
  if (d.members?.length) {
    out.push('', `${pad}  ${c.dim(`members, routed from ${d.hops.at(-1)?.server ?? '?'}`)}`);
    for (const m of d.members) out.push('', ...decisionText(m, c, depth + 2));
  }
  return out;
}

const renderers: Record<string, Renderer<RoutePlan>> = {
  json: (plan) => JSON.stringify(plan.decisions, null, 2),
  text: (plan, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const head = [`route plan from ${plan.from}${plan.site ? ` (site ${plan.site})` : ''}`];
    if (plan.size !== null) head.push(`size ${formatSize(plan.size)}`);
    if (plan.sender) head.push(`sender ${plan.sender}`);
    if (plan.down.length) head.push(`down: ${plan.down.join(', ')}`);
    const out = [c.dim(visible(head.join(', ')))];
    for (const d of plan.decisions) out.push('', ...decisionText(d, c, 0));
    if (plan.queues.length) {
      out.push('', c.dim(`queues on ${plan.from} (one copy per next hop, R89/R150)`));
      out.push(...columns(['delivery type', 'next hop domain', 'recipients'], plan.queues.map((q) => [q.deliveryType, q.domain, q.recipients.join(', ')])));
    }
    return out.join('\n');
  },
};

export const ROUTE_PLAN_FORMATS = Object.keys(renderers);

export function renderRoutePlan(format: string, plan: RoutePlan, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, plan, colorLevel);
}
