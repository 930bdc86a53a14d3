/**
 * The routing core (spec sections 8–17). One decision (`nextHop`: the categorizer on one server for
 * one recipient) and everything built on it: route plans (the decision at each stop), routing tables
 * (the decision for one representative address of each class of addresses) and their diff.
 */
export { nextHop } from './decision.js';
export { planRoute, tryPlanRoute, problemText, RouteProblemError } from './plan.js';
export { buildRouteTable, diffTables, tableRows } from './table.js';
export type { RouteTable, RouteTableEntry, RouteTableDiff, RouteChange, AddressClass, ServerRoutes } from './table.js';
export { buildSiteGraph, leastCostPaths } from './site-graph.js';
export type { SitePath } from './site-graph.js';
export { routingIndex, uncachedRoutingIndex } from './routing-index.js';
export type { RoutingIndex } from './routing-index.js';
export type * from './types.js';
