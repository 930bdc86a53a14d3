/**
 * `planRoute`: one routing decision per recipient, in the order given, as seen from one server
 * (product.md "route plan --format json"). Pure: the topology and the request in, a plan out.
 *
 * Distribution groups: the group's own decision routes it to its expansion server (R99); the members'
 * decisions, planned from the server that expands the group, are nested in `members` (recursively for
 * nested groups; a group already expanded on the way is not expanded again).
 */
import { nameKey } from '../model/names.js';
import type { Server, Topology } from '../model/topology.js';
import { UserError } from '../../errors.js';
import { availability, type Availability } from './availability.js';
import { queuesOf } from './bifurcation.js';
import { categorize, type Categorized } from './categorize.js';
import { groupRef } from './delivery-groups.js';
import { reasons, UNREACHABLE_DOMAIN } from './reasons.js';
import { resolveRecipient, type ResolvedRecipient } from './recipients.js';
import { routingIndex, siteName, siteOf, type RoutingIndex } from './routing-index.js';
import { sizeRejection } from './sizes.js';
import type { Candidate, Hop, NextHop, RouteDecision, RoutePlan, RouteReason, RouteRequest } from './types.js';
import { walk } from './walk.js';

interface PlanContext {
  index: RoutingIndex;
  avail: Availability;
  size: number;
  sender: string | undefined;
}

function jsonSize(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** A server named on the command line, or a UserError listing the valid names. */
export function requireServer(index: RoutingIndex, name: string, flag = '--from'): Server {
  // Names usually come as written in the config: try them before lower-casing.
  const server = index.serversByExactName.get(name) ?? index.servers.get(nameKey(name));
  if (server) return server;
  const known = [...index.servers.values()].map((s) => s.name);
  throw new UserError(`${flag} ${name}: no server of that name in the topology`, known.length ? `servers: ${listSome(known)}` : 'the topology has no servers');
}

/** A name list for a hint, cut short in large organizations. */
export function listSome(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}

function notRouted(ctx: PlanContext, server: Server, resolved: ResolvedRecipient, status: 'rejected' | 'unreachable', reason: RouteReason): RouteDecision {
  const hop: Hop =
    status === 'rejected'
      ? { server: server.name, site: siteName(ctx.index, siteOf(ctx.index, server)), action: 'reject', deliveryType: null, target: 'NDR', note: `${reason.enhancedCode} ${reason.text}` }
      : { server: server.name, site: siteName(ctx.index, siteOf(ctx.index, server)), action: 'queue', deliveryType: 'Unreachable', target: UNREACHABLE_DOMAIN, note: reason.text };
  return {
    recipient: resolved.address,
    status,
    recipientType: resolved.recipientType,
    acceptedDomain: resolved.accepted?.domainName ?? null,
    routingDestination: null,
    deliveryGroup: null,
    deliveryType: status === 'unreachable' ? 'Unreachable' : null,
    nextHop: status === 'unreachable' ? unreachableHop() : null,
    connector: null,
    sitePath: [],
    cost: null,
    maxMessageSize: null,
    hops: [hop],
    candidates: [],
    reason,
  };
}

function unreachableHop(): NextHop {
  // R120: the server's single Unreachable queue.
  return { domain: UNREACHABLE_DOMAIN, deliveryType: 'Unreachable', targets: [], fallbacks: [] };
}

function decide(ctx: PlanContext, server: Server, address: string, expanded?: ReadonlySet<string>): RouteDecision {
  const { index, avail, size } = ctx;
  const resolved = resolveRecipient(index, address);
  if (!resolved.valid) return notRouted(ctx, server, { ...resolved, recipientType: 'Unknown' }, 'rejected', reasons.invalidAddress());
  const tooBig = sizeRejection(index, resolved, ctx.sender, size);
  if (tooBig) return notRouted(ctx, server, resolved, 'rejected', tooBig);
  const c = categorize({ index, avail, server, recipient: resolved, size });
  if (c.status !== 'routed') {
    const failed = notRouted(ctx, server, resolved, c.status, c.reason!);
    const decision = makeDecision(resolved, c, c.explain);
    decision.status = c.status;
    decision.reason = c.reason!;
    decision.deliveryType = failed.deliveryType;
    decision.nextHop = failed.nextHop;
    decision.hops = failed.hops;
    if (c.status === 'unreachable') decision.cost = null;
    return decision;
  }
  const w = walk({ index, avail, recipient: resolved, size }, c, server);
  const nextHop = c.step.kind === 'relay' || c.step.kind === 'deliver' || c.step.kind === 'send' ? c.step.nextHop : null;
  const decision = makeDecision(resolved, c, c.explain);
  decision.status = w.status ?? 'routed';
  decision.deliveryType = nextHop?.deliveryType ?? null;
  decision.nextHop = nextHop;
  decision.hops = w.hops;
  decision.reason = w.reason ?? null;
  const entry = resolved.entry;
  if (w.expandedOn && entry?.kind === 'group') {
    const key = entry.group.address.toLowerCase();
    const seen = new Set(expanded ?? []).add(key);
    decision.members = entry.group.members
      .filter((m) => !seen.has(m.toLowerCase()))
      .map((m) => decide(ctx, w.expandedOn!, m, seen));
  }
  return decision;
}

/** The plan's site path, read from the route when first asked for (see Route in relay.ts). */
const SITE_PATH: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Decision): string[] {
    return Decision.sitePathOf(this);
  },
  set(this: Decision, value: string[]) {
    Decision.setSitePath(this, value);
  },
};

/** One accessor for every decision: reads the decision's own why-list, built on first read. */
const CANDIDATES: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Decision): Candidate[] {
    return Decision.candidatesOf(this);
  },
  set(this: Decision, value: Candidate[]) {
    Decision.setCandidates(this, value);
  },
};

/**
 * A routed (or later refused) decision, one hidden class for all. `candidates` is an own accessor
 * that builds the "why" list on first read (JSON.stringify, a renderer, a test): those texts cost
 * more than the routing itself, and the relay and the table never read them. The accessor is one
 * shared descriptor (an object literal's getter would allocate two closures and a new accessor pair
 * per decision); its state lives in private fields, invisible to JSON and to property listings.
 * Fields are assigned in the constructor, in the JSON order of product.md.
 */
class Decision implements RouteDecision {
  declare recipient: string;
  declare status: RouteDecision['status'];
  declare recipientType: RouteDecision['recipientType'];
  declare acceptedDomain: string | null;
  declare targetAddress?: string;
  declare routingDestination: RouteDecision['routingDestination'];
  declare deliveryGroup: RouteDecision['deliveryGroup'];
  declare deliveryType: RouteDecision['deliveryType'];
  declare nextHop: NextHop | null;
  declare connector: string | null;
  declare sitePath: string[];
  declare cost: number | null;
  declare maxMessageSize: number | null;
  declare hops: Hop[];
  declare candidates: Candidate[];
  declare reason: RouteReason | null;
  declare members?: RouteDecision[];
  #explain: () => Candidate[];
  #candidates: Candidate[] | undefined;
  #categorized: Categorized | undefined;
  #sitePath: string[] | undefined;

  constructor(resolved: ResolvedRecipient, c: Categorized, explain: () => Candidate[]) {
    this.recipient = resolved.address;
    this.status = 'routed';
    this.recipientType = resolved.recipientType;
    this.acceptedDomain = resolved.accepted?.domainName ?? null;
    this.routingDestination = c.destination ?? null;
    this.deliveryGroup = c.group ? groupRef(c.group) : null;
    this.deliveryType = null;
    this.nextHop = null;
    this.connector = c.connector?.name ?? null;
    // An accessor like candidates: a new (site, group) pair's path is walked only if someone reads it.
    this.#sitePath = c.sitePath;
    if (c.sitePath === undefined) this.#categorized = c;
    Object.defineProperty(this, 'sitePath', SITE_PATH);
    this.cost = c.cost;
    this.maxMessageSize = jsonSize(c.maxSize);
    this.hops = [];
    this.#explain = explain;
    Object.defineProperty(this, 'candidates', CANDIDATES);
    this.reason = null;
    if (c.targetAddress) this.targetAddress = c.targetAddress;
  }

  static candidatesOf(d: Decision): Candidate[] {
    d.#candidates ??= d.#explain();
    return d.#candidates;
  }

  static setCandidates(d: Decision, value: Candidate[]): void {
    d.#candidates = value;
  }

  static sitePathOf(d: Decision): string[] {
    if (d.#sitePath === undefined) {
      d.#sitePath = d.#categorized?.route?.sitePath ?? [];
      d.#categorized = undefined;
    }
    return d.#sitePath;
  }

  static setSitePath(d: Decision, value: string[]): void {
    d.#sitePath = value;
    d.#categorized = undefined;
  }
}

function makeDecision(resolved: ResolvedRecipient, c: Categorized, explain: () => Candidate[]): RouteDecision {
  return new Decision(resolved, c, explain);
}

export function planRoute(topology: Topology, request: RouteRequest): RoutePlan {
  const index = routingIndex(topology);
  const from = requireServer(index, request.from);
  const avail = availability(index, request.down);
  if (avail.serverDown(from)) throw new UserError(`--from ${from.name} is itself marked down`, 'plan from a server that is up, or drop it from --down');
  const ctx: PlanContext = { index, avail, size: request.size ?? 0, sender: request.sender?.toLowerCase() };
  const limit = topology.organization.maxRecipientEnvelopeLimit;
  const decisions = request.recipients.map((address, i) => {
    // R130/R132: recipients beyond MaxRecipientEnvelopeLimit are refused.
    if (limit !== 'unlimited' && i >= limit) {
      return notRouted(ctx, from, resolveRecipient(index, address), 'rejected', reasons.tooManyRecipients());
    }
    const decision = decide(ctx, from, address);
    // The address as the caller wrote it (resolution itself is case-insensitive).
    decision.recipient = address.trim();
    return decision;
  });
  return {
    version: 1,
    from: from.name,
    site: siteName(index, siteOf(index, from)),
    size: request.size ?? null,
    sender: request.sender ?? null,
    down: avail.down,
    decisions,
    queues: queuesOf(decisions, from.name),
  };
}
