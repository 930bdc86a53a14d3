/** Edge servers and subscriptions: `edge-placement`, `edge-subscription-target`, V44 (R4, R115, R118). */
import type { Finding } from '../findings/finding.js';
import { suggest } from '../findings/from-zod.js';
import { nameKey } from '../model/names.js';
import type { Rule } from './rule.js';
import { directory, finding } from './support.js';

/** `edge-placement` (R4, R5, R118): an Edge server is in no site of its own and in no DAG. */
export const edgePlacement: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const findings: Finding[] = [];
  written.servers.forEach((server, i) => {
    if (server.role === 'Edge' && server.site !== undefined) {
      findings.push(
        finding(
          'edge-placement',
          ['servers', i, 'site'],
          `Edge server ${server.name} has site ${server.site}: an Edge server is no domain member and gets a site only through an Edge subscription`,
          `remove "site" and add an edgeSubscriptions entry { edgeServer: ${server.name}, site: ${server.site} }`,
        ),
      );
    }
  });
  written.databaseAvailabilityGroups.forEach((dag, i) =>
    dag.members.forEach((member, j) => {
      if (dir.servers.get(nameKey(member))?.role === 'Edge') {
        findings.push(
          finding('edge-placement', ['databaseAvailabilityGroups', i, 'members', j], `DAG ${dag.name} lists Edge server ${member}: DAG members are Mailbox servers`, `remove ${member} from the DAG`),
        );
      }
    }),
  );
  return findings;
};

/** `edge-subscription-target` (R115): a subscription names an Edge server and an existing site, once per Edge. */
export const edgeSubscriptionTarget: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const findings: Finding[] = [];
  const subscribed = new Map<string, number>();
  written.edgeSubscriptions.forEach((sub, i) => {
    const server = dir.servers.get(nameKey(sub.edgeServer));
    if (server && server.role !== 'Edge') {
      findings.push(
        finding(
          'edge-subscription-target',
          ['edgeSubscriptions', i, 'edgeServer'],
          `Edge subscription names ${server.name}, a ${server.role} server: only Edge servers are subscribed`,
          `name an Edge server, or give ${server.name} role: Edge`,
        ),
      );
    }
    if (!dir.sites.has(nameKey(sub.site))) {
      const guess = suggest(sub.site, topology.sites.map((s) => s.name));
      findings.push(
        finding(
          'edge-subscription-target',
          ['edgeSubscriptions', i, 'site'],
          `Edge subscription of ${sub.edgeServer} names site "${sub.site}", which does not exist${guess ? `: did you mean "${guess}"?` : ''}`,
          guess ? `write "${guess}"` : 'name an existing site with Mailbox servers',
        ),
      );
    }
    const earlier = subscribed.get(nameKey(sub.edgeServer));
    if (earlier !== undefined) {
      findings.push(
        finding(
          'edge-subscription-target',
          ['edgeSubscriptions', i],
          `Edge server ${sub.edgeServer} is subscribed twice (also edgeSubscriptions[${earlier}]): an Edge server is subscribed to exactly one site`,
          'keep one subscription per Edge server',
        ),
      );
    } else subscribed.set(nameKey(sub.edgeServer), i);
  });
  return findings;
};

/** V44 (R115, R117): the subscribed site has Mailbox servers to relay inbound mail to. */
export const edgeSiteHasMailbox: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  return written.edgeSubscriptions.flatMap((sub, i) =>
    dir.sites.has(nameKey(sub.site)) && !dir.mailboxSites.has(nameKey(sub.site))
      ? [
          finding(
            'V44',
            ['edgeSubscriptions', i, 'site'],
            `Edge server ${sub.edgeServer} is subscribed to site ${sub.site}, which has no Mailbox server: inbound mail has nowhere to go and no server runs EdgeSync`,
            'subscribe the Edge server to a site with Mailbox servers',
          ),
        ]
      : [],
  );
};
