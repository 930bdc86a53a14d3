/** validateTopology(): every semantic rule, in a stable order. */
import type { Finding } from '../findings/finding.js';
import type { Rule, RuleContext } from './rule.js';

const rules: Rule[] = [];

export function validateTopology(ctx: RuleContext): Finding[] {
  return rules.flatMap((rule) => rule(ctx));
}
