/**
 * The routing decision as data: what `mxt route plan --format json` prints (product.md) and what the
 * relay asks for its next hop. Fields are only ever added. Plans share parts between decisions
 * (next hops, site paths, server name lists come from per-topology caches): treat them as read-only.
 */

export type RouteStatus = 'routed' | 'unreachable' | 'rejected';

/** R64 */
export type RecipientType = 'Mailbox' | 'DistributionGroup' | 'InternalRelay' | 'ExternalRelay' | 'External' | 'Unknown';

/** Exchange's NextHopSolutionKey delivery types used by mxt (R96–R99, R106, R118, R120). */
export type DeliveryType =
  | 'SmtpDeliveryToMailbox'
  | 'SmtpRelayToDag'
  | 'SmtpRelayToMailboxDeliveryGroup'
  | 'SmtpRelayToConnectorSourceServers'
  | 'SmtpRelayToRemoteAdSite'
  | 'SmtpRelayToServers'
  | 'SmtpRelayWithinAdSiteToEdge'
  | 'DnsConnectorDelivery'
  | 'SmartHostConnectorDelivery'
  | 'Unreachable';

/** R71 */
export type DeliveryGroupType = 'RoutableDag' | 'MailboxDeliveryGroup' | 'ConnectorSourceServers' | 'ServerList' | 'AdSite';

/** R70 */
export type RoutingDestinationType = 'MailboxDatabase' | 'Connector' | 'ExpansionServer';

export interface DeliveryGroupRef {
  type: DeliveryGroupType;
  name: string;
  /** Every server of the group, by name. */
  servers: string[];
}

/** The first queue (R150): NextHopDomain, delivery type, the servers or hosts it connects to first. */
export interface NextHop {
  domain: string;
  deliveryType: DeliveryType;
  targets: string[];
  /** Servers tried when no target answers (R88), in order. */
  fallbacks: string[];
}

/**
 * relay: to another server of the org; deliver: Mailbox Transport Delivery (port 475); send: hand-off
 * out of the org (MX or smart host); expand: a distribution group is expanded here; queue: the message
 * waits here (Retry, R88) or in the Unreachable queue (R120); reject: an NDR is generated here (R121).
 */
export type HopAction = 'relay' | 'deliver' | 'send' | 'expand' | 'queue' | 'reject';

/** One stop of the message (R93): the server holding it and what it does with it. */
export interface Hop {
  server: string;
  site: string | null;
  action: HopAction;
  deliveryType: DeliveryType | null;
  /** Next server, `server:475` for mailbox delivery, smart host or `MX <domain>` for a hand-off, `Retry` when queued. */
  target: string;
  /** For a queue hop: the NextHopDomain of the queue the message waits in (R88, R150). */
  nextHopDomain?: string;
  note?: string;
}

/** Something the router considered and did not choose, with why (rule id included). */
export interface Candidate {
  kind: 'connector' | 'path' | 'site';
  name: string;
  reason: string;
  rule: string;
}

export interface RouteReason {
  code: number;
  enhancedCode: string;
  text: string;
  rule: string;
}

/**
 * The categorizer's decision for one recipient on one server (R64, R70–R72, R95–R106, R117–R120): what
 * `nextHop()` returns and the first stop of every `route plan` decision. The embedded relay's
 * categorizer calls the same function per recipient. Shared parts (next hops, group server lists,
 * site paths) come from the routing index's cache: read-only.
 */
export interface CategorizerDecision {
  recipient: string;
  status: RouteStatus;
  recipientType: RecipientType;
  /** The accepted domain the recipient domain falls in (R62), or null. */
  acceptedDomain: string | null;
  /** Where a mail contact / mail user really goes (R64). */
  targetAddress?: string;
  routingDestination: { type: RoutingDestinationType; name: string } | null;
  deliveryGroup: DeliveryGroupRef | null;
  /** Delivery type of the NextHopSolutionKey (the queue), or null when the recipient is not queued here. */
  deliveryType: DeliveryType | null;
  /** The first queue: NextHopSolutionKey (deliveryType + domain), its targets and fallbacks. */
  nextHop: NextHop | null;
  connector: string | null;
  sitePath: string[];
  /** Cost of `sitePath` (R81, R93): the sum of its links' costs; 0 for a local destination. */
  sitePathCost: number | null;
  /**
   * The cost the choice was made on (R104 4a): for a connector, the matching address space's cost plus the
   * site path cost to its nearest source servers when those are remote; otherwise the site path cost.
   */
  aggregateCost: number | null;
  /** product.md's `cost`: the aggregate cost (same value as aggregateCost). */
  cost: number | null;
  /** Largest message the route carries (R87, R104); null = unlimited. */
  maxMessageSize: number | null;
  /** Losing candidates with their reasons (built when read). */
  candidates: Candidate[];
  reason: RouteReason | null;
}

export interface RouteDecision extends CategorizerDecision {
  hops: Hop[];
  /** Distribution groups: the members' own decisions, planned from the expanding server (R64, R99). */
  members?: RouteDecision[];
}

/** What the caller asked that the topology cannot answer; the app layer words it for its flags. */
export type RouteProblem =
  | { kind: 'noSuchServer'; name: string; known: string[] }
  | { kind: 'serverDown'; name: string }
  | { kind: 'unknownDownName'; name: string; known: string[] };

/** One recipient's next hop at one server: the relay's question. */
export interface NextHopRequest {
  /** The categorizing server, by name. */
  server: string;
  recipient: string;
  sender?: string;
  /** Bytes. */
  size?: number;
  /** Servers, sites or send connectors to treat as unavailable. */
  down?: readonly string[];
}

export type NextHopResult = { ok: true; decision: CategorizerDecision } | { ok: false; problem: RouteProblem };

/** Recipients that share one NextHopSolutionKey share one queued copy (R89, R150). */
export interface NextHopQueue {
  deliveryType: DeliveryType;
  domain: string;
  recipients: string[];
}

export interface RoutePlan {
  version: 1;
  from: string;
  site: string | null;
  size: number | null;
  sender: string | null;
  down: string[];
  decisions: RouteDecision[];
  /** Bifurcation on the categorizing server: one entry per queue (R89, R150). */
  queues: NextHopQueue[];
}

export interface RouteRequest {
  from: string;
  recipients: string[];
  sender?: string;
  /** Bytes. */
  size?: number;
  /** Servers, sites or send connectors to treat as unavailable. */
  down?: readonly string[];
}

export type RoutePlanResult = { ok: true; plan: RoutePlan } | { ok: false; problem: RouteProblem };
