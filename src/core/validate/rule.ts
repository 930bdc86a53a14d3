/**
 * A semantic rule: a small named function over the effective topology that returns findings.
 * Rules never throw and never read anything but their context.
 */
import type { Finding } from '../findings/finding.js';
import type { Topology } from '../model/topology.js';
import type { WrittenTopology } from '../schema/topology.js';

export interface RuleContext {
  /** What the user wrote (after the schema's own defaults). */
  written: WrittenTopology;
  /** With every implied default made explicit. */
  topology: Topology;
}

export type Rule = (ctx: RuleContext) => Finding[];
