/**
 * `route plan`: one routing decision per recipient, in the order given, as seen from one server
 * (product.md "route plan --format json"), each followed stop by stop (R93): the decision of
 * decision.ts on the categorizing server, then the same categorizer on every later stop (walk.ts).
 * Pure: the topology and the request in, a plan (or the problem with the request) out.
 *
 * Distribution groups: the group's own decision routes it to its expansion server (R99); the members'
 * decisions, planned from the server that expands the group, are nested in `members`. Like Exchange's
 * categorizer, a message expands each group at most once, whatever the nesting or cycles: a group met
 * again (anywhere in the message) is left out. Expansion runs off a work list, never by recursion.
 */
import type { Server, Topology } from '../model/topology.js';
import { queuesOf } from './bifurcation.js';
import { decideAt, failureHop, findServer, indexOf, isRouteProblem, refused, routeContext, type RouteContext } from './decision.js';
import { reasons } from './reasons.js';
import { resolveRecipient } from './recipients.js';
import { siteName, siteOf, type RoutingIndex } from './routing-index.js';
import type { RouteDecision, RoutePlan, RoutePlanResult, RouteProblem, RouteRequest } from './types.js';
import { walk } from './walk.js';

/** A decision followed to its last stop; `expandedOn` when it is a group expanded on that server. */
function decide(ctx: RouteContext, server: Server, address: string): { decision: RouteDecision; expandedOn?: Server } {
  const { index } = ctx;
  const { decision, resolved, categorized: c } = decideAt(ctx, server, address);
  const d = decision as unknown as RouteDecision;
  if (!c) {
    // Refused before routing (R121, R131).
    d.hops = [failureHop(index, server, d.status === 'unreachable' ? 'unreachable' : 'rejected', d.reason!)];
    return { decision: d };
  }
  if (c.status !== 'routed') {
    d.hops = [failureHop(index, server, c.status === 'unreachable' ? 'unreachable' : 'rejected', c.reason!)];
    return { decision: d };
  }
  const w = walk({ index, avail: ctx.avail, recipient: resolved, size: ctx.size }, c, server);
  d.hops = w.hops;
  if (w.status) d.status = w.status;
  if (w.reason) d.reason = w.reason;
  return w.expandedOn && resolved.entry?.kind === 'group' ? { decision: d, expandedOn: w.expandedOn } : { decision: d };
}

interface Expansion {
  decision: RouteDecision;
  on: Server;
  members: readonly string[];
}

function groupMembers(index: RoutingIndex, address: string): readonly string[] {
  const entry = resolveRecipient(index, address).entry;
  return entry?.kind === 'group' ? entry.group.members : [];
}

/**
 * The message's group expansions, breadth first: each group (by address) is expanded at most once per
 * message (Exchange's categorizer keeps one expanded-groups list per message), so 50 groups that all
 * contain one another, or a chain of 1,000 nested groups, cost one expansion each.
 */
function expandAll(ctx: RouteContext, pending: Expansion[], expanded: Set<string>): void {
  const { index } = ctx;
  for (let i = 0; i < pending.length; i++) {
    const { decision, on, members } = pending[i]!;
    const list: RouteDecision[] = [];
    for (const member of members) {
      const key = member.trim().toLowerCase();
      const entry = resolveRecipient(index, member).entry;
      if (entry?.kind === 'group' && expanded.has(key)) continue;
      const { decision: md, expandedOn } = decide(ctx, on, member);
      list.push(md);
      if (expandedOn) {
        expanded.add(key);
        pending.push({ decision: md, on: expandedOn, members: groupMembers(index, member) });
      }
    }
    decision.members = list;
    pending[i] = undefined as unknown as Expansion; // done: let it go
  }
}

/** The plan, or what the topology cannot answer about the request (the app words it for its flags). */
export function tryPlanRoute(topology: Topology | RoutingIndex, request: RouteRequest): RoutePlanResult {
  const index = indexOf(topology);
  const from = findServer(index, request.from);
  if (isRouteProblem(from)) return { ok: false, problem: from };
  const ctx = routeContext(index, request);
  if (isRouteProblem(ctx)) return { ok: false, problem: ctx };
  if (ctx.avail.serverDown(from)) return { ok: false, problem: { kind: 'serverDown', name: from.name } };
  const limit = index.topology.organization.maxRecipientEnvelopeLimit;
  const expanded = new Set<string>();
  const pending: Expansion[] = [];
  const decisions = request.recipients.map((address, i) => {
    // R130/R132: recipients beyond MaxRecipientEnvelopeLimit are refused.
    if (limit !== 'unlimited' && i >= limit) {
      const d = refused(resolveRecipient(index, address), 'rejected', reasons.tooManyRecipients()) as unknown as RouteDecision;
      d.hops = [failureHop(index, from, 'rejected', d.reason!)];
      return d;
    }
    const { decision, expandedOn } = decide(ctx, from, address);
    // The address as the caller wrote it (resolution itself is case-insensitive).
    decision.recipient = address.trim();
    const key = address.trim().toLowerCase();
    if (expandedOn) {
      if (expanded.has(key)) decision.members = [];
      else {
        expanded.add(key);
        pending.push({ decision, on: expandedOn, members: groupMembers(index, address) });
      }
    }
    return decision;
  });
  expandAll(ctx, pending, expanded);
  const plan: RoutePlan = {
    version: 1,
    from: from.name,
    site: siteName(index, siteOf(index, from)),
    size: request.size ?? null,
    sender: request.sender ?? null,
    down: ctx.avail.down,
    decisions,
    queues: queuesOf(decisions, from.name),
  };
  return { ok: true, plan };
}

/** A request the topology cannot answer, for callers that treat it as an error (tests, graph). */
export class RouteProblemError extends Error {
  constructor(readonly problem: RouteProblem) {
    super(problemText(problem));
    this.name = 'RouteProblemError';
  }
}

/** The problem in words, without the caller's flag names (the app adds those). */
export function problemText(problem: RouteProblem): string {
  switch (problem.kind) {
    case 'noSuchServer':
      return `${problem.name}: no server of that name in the topology`;
    case 'serverDown':
      return `${problem.name} is itself marked down`;
    case 'unknownDownName':
      return `${problem.name}: no server, site or send connector has that name`;
  }
}

export function planRoute(topology: Topology | RoutingIndex, request: RouteRequest): RoutePlan {
  const result = tryPlanRoute(topology, request);
  if (!result.ok) throw new RouteProblemError(result.problem);
  return result.plan;
}
