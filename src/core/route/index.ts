/** The routing core: route plans, routing tables and their diff (spec sections 8–16). */
export { planRoute, requireServer } from './plan.js';
export { buildRouteTable, diffTables } from './table.js';
export type { RouteTable, RouteTableEntry, RouteTableDiff } from './table.js';
export { buildSiteGraph, leastCostPaths } from './site-graph.js';
export type { SitePath } from './site-graph.js';
export type * from './types.js';
