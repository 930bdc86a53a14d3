/** In-memory topologies for core tests: write the config as a JS object, get the effective topology. */
import { parseTopology } from '../../src/core/schema/parse.js';
import type { Topology } from '../../src/core/model/topology.js';
import type { WrittenTopology, WrittenTopologyInput } from '../../src/core/schema/topology.js';
import { validateTopology } from '../../src/core/validate/index.js';
import type { Finding } from '../../src/core/findings/finding.js';

export function topology(input: WrittenTopologyInput): Topology {
  return load(input).topology;
}

export function load(input: WrittenTopologyInput): { topology: Topology; written: WrittenTopology } {
  const parsed = parseTopology(input);
  if (!parsed.topology || !parsed.written) {
    throw new Error(`test topology does not parse: ${parsed.findings.map((f) => `${f.path.join('.')}: ${f.message}`).join('; ')}`);
  }
  return { topology: parsed.topology, written: parsed.written };
}

/** Schema and semantic findings of a config object. */
export function findingsOf(input: unknown): Finding[] {
  const parsed = parseTopology(input);
  if (!parsed.topology || !parsed.written) return parsed.findings;
  return validateTopology({ topology: parsed.topology, written: parsed.written });
}

/** The worked-example convention of spec section 25: Mailbox servers, fqdn = lower-case name + .contoso.com. */
export function mailbox(name: string, site: string, extra: Record<string, unknown> = {}) {
  return { name, role: 'Mailbox' as const, site, fqdn: `${name.toLowerCase()}.contoso.com`, ...extra };
}

export const contosoDomain = { domainName: 'contoso.com', domainType: 'Authoritative' as const, default: true };
