/**
 * `ambiguous-connectors` (R103, R104): two usable send connectors with the same address space and
 * cost whose source servers are in the same sites tie on specificity, aggregate cost and hops from
 * every site that sees both (scoped ones are seen exactly in those sites), so the connector name
 * alone decides and the other one never carries that address space. Connectors sourced in
 * different sites are the normal "nearest exit" design and are not reported.
 */
import type { Finding } from '../findings/finding.js';
import { formatPath } from '../findings/finding.js';
import { compareNames, nameKey } from '../model/names.js';
import type { SendConnector, Server } from '../model/topology.js';
import { staticIgnore } from '../route/connectors.js';
import type { Rule } from './rule.js';
import { at, directory, finding } from './support.js';

export const ambiguousConnectors: Rule = ({ topology }) => {
  const dir = directory(topology);
  const first = new Map<string, { connector: SendConnector; index: number }>();
  const findings: Finding[] = [];
  for (const c of topology.sendConnectors) {
    const sources = c.sourceTransportServers.map((s) => dir.servers.get(nameKey(s))).filter((s): s is Server => s !== undefined);
    // R102: connectors that never take part cannot be ambiguous; the Edge inbound connector leads back in (R116).
    if (c.edgeSync?.direction === 'Inbound' || staticIgnore(c, sources) !== undefined) continue;
    const sites = [...new Set(sources.map((s) => s.site).filter((s): s is string => s !== undefined).map(nameKey))].sort();
    if (sites.length === 0) continue;
    c.addressSpaces.forEach((space, j) => {
      const key = `${space.type}:${space.address};${space.cost}|${sites.join(',')}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, { connector: c, index: j });
        return;
      }
      const winner = compareNames(earlier.connector.name, c.name) <= 0 ? earlier.connector : c;
      const loser = winner === c ? earlier.connector : c;
      const report = c.origin.kind === 'config' ? { connector: c, index: j } : earlier;
      const other = report.connector === c ? earlier.connector : c;
      findings.push(
        finding(
          'ambiguous-connectors',
          at(report.connector.origin, 'addressSpaces', report.index),
          `send connectors ${report.connector.name} and ${other.name} both serve ${space.type}:${space.address} at cost ${space.cost} from the same site${sites.length > 1 ? 's' : ''}: the name decides, so ${loser.name} never carries it (R104c)`,
          `give one of them another cost (${other.origin.kind === 'config' ? formatPath(other.origin.path) : 'the other is created by an Edge subscription'}), or remove the duplicate address space`,
        ),
      );
    });
  }
  return findings;
};
