/**
 * The one routing decision: what the categorizer on one server decides for one recipient (R61–R64,
 * R70–R72, R85, R87, R95–R106, R117–R121, R131). `nextHop()` is the public form (the embedded relay
 * calls it per recipient); `route plan` applies the same decision at each stop (plan.ts, walk.ts);
 * `route table` and `route diff` are this decision for one representative address of each class of
 * addresses (table.ts). No routing rule is implemented anywhere else.
 *
 * Pure: the topology (or its routing index) and the request in, data out. A request the topology
 * cannot answer (unknown server, a `down` name that names nothing) is returned as a RouteProblem;
 * the app layer words it for its flags.
 */
import { nameKey } from '../model/names.js';
import type { Server, Topology } from '../model/topology.js';
import { availability, isProblem, type Availability } from './availability.js';
import { categorize, type Categorized } from './categorize.js';
import { reasons, UNREACHABLE_DOMAIN } from './reasons.js';
import { resolveRecipient, type ResolvedRecipient } from './recipients.js';
import { routingIndex, siteName, siteOf, type RoutingIndex, type ServerAt } from './routing-index.js';
import { sizeRejection } from './sizes.js';
import type { Candidate, CategorizerDecision, Hop, NextHop, NextHopRequest, NextHopResult, RouteDecision, RouteProblem, RouteReason } from './types.js';

/** What every decision of one request shares: the index, the outages, the message's size and sender. */
export interface RouteContext {
  index: RoutingIndex;
  avail: Availability;
  /** Bytes; 0 when not given. */
  size: number;
  sender: string | undefined;
}

export function indexOf(topology: Topology | RoutingIndex): RoutingIndex {
  return 'graph' in topology && 'cache' in topology ? topology : routingIndex(topology);
}

/** The context of one request, or the problem with its `down` list. */
export function routeContext(index: RoutingIndex, request: { size?: number; sender?: string; down?: readonly string[] }): RouteContext | RouteProblem {
  const avail = availability(index, request.down);
  if (isProblem(avail)) return avail;
  return { index, avail, size: request.size ?? 0, sender: request.sender?.toLowerCase() };
}

const PROBLEMS: ReadonlySet<unknown> = new Set<RouteProblem['kind']>(['noSuchServer', 'serverDown', 'unknownDownName']);

export function isRouteProblem(value: object): value is RouteProblem {
  return PROBLEMS.has((value as { kind?: unknown }).kind);
}

/** A server and its site by name, as written first, then case-insensitively (no allocation on the hot path). */
function lookupServer(index: RoutingIndex, name: string): ServerAt | undefined {
  const exact = index.serversByExactName.get(name);
  if (exact) return exact;
  const server = index.servers.get(nameKey(name));
  return server && { server, site: siteOf(index, server) };
}

function noSuchServer(index: RoutingIndex, name: string): RouteProblem {
  return { kind: 'noSuchServer', name, known: [...index.servers.values()].map((s) => s.name) };
}

/** A server by name (as written first, then case-insensitively), or the problem listing the known names. */
export function findServer(index: RoutingIndex, name: string): Server | RouteProblem {
  return lookupServer(index, name)?.server ?? noSuchServer(index, name);
}

/** The categorizing server and the request's context, or what the topology cannot answer (unknown names, the server itself down). */
export function requestAt(index: RoutingIndex, serverName: string, request: { size?: number; sender?: string; down?: readonly string[] }): { server: Server; site: number; ctx: RouteContext } | RouteProblem {
  // Shapes are tested by key, not by isRouteProblem: reading `kind` off a Server is a megamorphic miss per request.
  const at = lookupServer(index, serverName);
  if (!at) return noSuchServer(index, serverName);
  const ctx = routeContext(index, request);
  if (!('avail' in ctx)) return ctx;
  const server = at.server;
  if (ctx.avail.serverDown(server)) return { kind: 'serverDown', name: server.name };
  return { server, site: at.site, ctx };
}

function jsonSize(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function unreachableHop(): NextHop {
  // R120: the server's single Unreachable queue.
  return { domain: UNREACHABLE_DOMAIN, deliveryType: 'Unreachable', targets: [], fallbacks: [] };
}

/** The one stop of a recipient that is not routed on: the NDR (R121) or the Unreachable queue (R120). */
export function failureHop(index: RoutingIndex, server: Server, status: 'rejected' | 'unreachable', reason: RouteReason): Hop {
  const site = siteName(index, siteOf(index, server));
  return status === 'rejected'
    ? { server: server.name, site, action: 'reject', deliveryType: null, target: 'NDR', note: `${reason.enhancedCode} ${reason.text}` }
    : { server: server.name, site, action: 'queue', deliveryType: 'Unreachable', target: UNREACHABLE_DOMAIN, nextHopDomain: UNREACHABLE_DOMAIN, note: reason.text };
}

/** A decision refused before any routing (invalid address, size, recipient limit). */
export function refused(resolved: ResolvedRecipient, status: 'rejected' | 'unreachable', reason: RouteReason): Decision {
  const d = new Decision(resolved, undefined);
  d.status = status;
  d.reason = reason;
  if (status === 'unreachable') {
    d.deliveryType = 'Unreachable';
    d.nextHop = unreachableHop();
  }
  return d;
}

export interface DecidedAt {
  decision: Decision;
  resolved: ResolvedRecipient;
  /** The categorizer's own result, when it ran (plans walk on from it). */
  categorized?: Categorized;
}

/**
 * The decision on `server` for `address` (already resolved when the caller has it). Every caller of
 * routing comes through here: nextHop, each recipient of a plan, each member of an expanded group,
 * each row of a table.
 */
export function decideAt(ctx: RouteContext, server: Server, address: string, resolvedAlready?: ResolvedRecipient, site = siteOf(ctx.index, server)): DecidedAt {
  const { index, avail, size } = ctx;
  const resolved = resolvedAlready ?? resolveRecipient(index, address);
  // R121: not of the form local@domain.
  if (!resolved.valid) {
    const r = { ...resolved, recipientType: 'Unknown' as const };
    return { decision: refused(r, 'rejected', reasons.invalidAddress()), resolved: r };
  }
  // R131: the sender's and the recipient's own limits before any routing.
  const tooBig = sizeRejection(index, resolved, ctx.sender, size);
  if (tooBig) return { decision: refused(resolved, 'rejected', tooBig), resolved };
  const c = categorize({ index, avail, server, site, recipient: resolved, size });
  const decision = new Decision(resolved, c);
  if (c.status !== 'routed') {
    decision.status = c.status;
    decision.reason = c.reason!;
    if (c.status === 'unreachable') {
      decision.deliveryType = 'Unreachable';
      decision.nextHop = unreachableHop();
      decision.cost = decision.aggregateCost = decision.sitePathCost = null;
    }
    return { decision, resolved, categorized: c };
  }
  const step = c.step;
  const nextHop = step.kind === 'relay' || step.kind === 'deliver' || step.kind === 'send' ? step.nextHop : null;
  decision.deliveryType = nextHop?.deliveryType ?? null;
  decision.nextHop = nextHop;
  return { decision, resolved, categorized: c };
}

/**
 * The categorizer's decision for one recipient on one server: status, recipient type, routing
 * destination, delivery group, NextHopSolutionKey (`nextHop.deliveryType` + `nextHop.domain`), target
 * servers and fallbacks, connector, route size limit, site path and its cost, aggregate cost, and
 * (read on demand) the losing candidates with their reasons. Takes the topology or its routing index.
 */
export function nextHop(topology: Topology | RoutingIndex, request: NextHopRequest): NextHopResult {
  const at = requestAt(indexOf(topology), request.server, request);
  if (!('ctx' in at)) return { ok: false, problem: at };
  const { decision } = decideAt(at.ctx, at.server, request.recipient, undefined, at.site);
  decision.recipient = request.recipient.trim();
  return { ok: true, decision };
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

const NO_CANDIDATES = (): Candidate[] => [];

/**
 * A decision, one hidden class for all. `candidates` is an own accessor that builds the "why" list on
 * first read (JSON.stringify, a renderer, a test): those texts cost more than the routing itself, and
 * the relay and the table never read them. The accessor is one shared descriptor (an object literal's
 * getter would allocate two closures and a new accessor pair per decision); its state lives in private
 * fields, invisible to JSON and to property listings. Fields are assigned in the constructor, in the
 * JSON order of product.md; a plan adds `hops` (and `members`) afterwards.
 */
export class Decision implements CategorizerDecision {
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
  declare sitePathCost: number | null;
  declare aggregateCost: number | null;
  declare cost: number | null;
  declare maxMessageSize: number | null;
  declare candidates: Candidate[];
  declare reason: RouteReason | null;
  #explain: () => Candidate[];
  #candidates: Candidate[] | undefined;
  #categorized: Categorized | undefined;
  #sitePath: string[] | undefined;

  constructor(resolved: ResolvedRecipient, c: Categorized | undefined) {
    this.recipient = resolved.address;
    this.status = 'routed';
    this.recipientType = resolved.recipientType;
    this.acceptedDomain = resolved.accepted?.domainName ?? null;
    this.routingDestination = c?.destination ?? null;
    this.deliveryGroup = c?.group ? c.group.ref : null;
    this.deliveryType = null;
    this.nextHop = null;
    this.connector = c?.connector?.name ?? null;
    // An accessor like candidates: a new (site, group) pair's path is walked only if someone reads it.
    this.#sitePath = c ? c.sitePath : [];
    if (c && c.sitePath === undefined) this.#categorized = c;
    Object.defineProperty(this, 'sitePath', SITE_PATH);
    this.sitePathCost = c ? c.pathCost : null;
    this.aggregateCost = c ? c.cost : null;
    this.cost = this.aggregateCost;
    this.maxMessageSize = c ? jsonSize(c.maxSize) : null;
    this.#explain = c ? c.explain : NO_CANDIDATES;
    Object.defineProperty(this, 'candidates', CANDIDATES);
    this.reason = null;
    if (c?.targetAddress) this.targetAddress = c.targetAddress;
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
