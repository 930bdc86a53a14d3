/**
 * Dangling references: every name that points at another object must name one that exists.
 * Reported here once, so the section rules can skip unknown names silently.
 * (An Edge subscription's unknown site is `edge-subscription-target`'s business, edge.ts.)
 */
import type { Finding } from '../findings/finding.js';
import { suggest } from '../findings/from-zod.js';
import { nameKey } from '../model/names.js';
import type { ConfigPath } from '../model/topology.js';
import type { Rule } from './rule.js';
import { directory, finding } from './support.js';

type Kind = 'site' | 'server' | 'Mailbox server' | 'DAG or server' | 'database';

export const unknownReferences: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const names: Record<Kind, string[]> = {
    site: topology.sites.map((s) => s.name),
    server: topology.servers.map((s) => s.name),
    'Mailbox server': topology.servers.filter((s) => s.role === 'Mailbox').map((s) => s.name),
    'DAG or server': [...topology.databaseAvailabilityGroups.map((d) => d.name), ...topology.servers.map((s) => s.name)],
    database: topology.mailboxDatabases.map((d) => d.name),
  };
  const exists: Record<Kind, (name: string) => boolean> = {
    site: (n) => dir.sites.has(nameKey(n)),
    server: (n) => dir.servers.has(nameKey(n)),
    'Mailbox server': (n) => dir.servers.has(nameKey(n)),
    'DAG or server': (n) => dir.dags.has(nameKey(n)) || dir.servers.has(nameKey(n)),
    database: (n) => dir.databases.has(nameKey(n)),
  };
  const findings: Finding[] = [];
  const check = (kind: Kind, name: string | undefined, path: ConfigPath, owner: string) => {
    if (name === undefined || exists[kind](name)) return;
    const guess = suggest(name, names[kind]);
    const known = names[kind];
    findings.push(
      finding(
        'unknown-reference',
        path,
        `${owner} names ${kind} "${name}", which does not exist${guess ? `: did you mean "${guess}"?` : ''}`,
        guess
          ? `write "${guess}", or add the ${kind} "${name}"`
          : known.length
            ? `known ${kind}s: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}`
            : `add the ${kind} "${name}" first`,
      ),
    );
  };

  written.servers.forEach((server, i) => {
    if (server.role === 'Mailbox') check('site', server.site, ['servers', i, 'site'], `server ${server.name}`);
  });
  written.siteLinks.forEach((link, i) =>
    link.sites.forEach((site, j) => check('site', site, ['siteLinks', i, 'sites', j], `site link ${link.name}`)),
  );
  written.databaseAvailabilityGroups.forEach((dag, i) =>
    dag.members.forEach((member, j) => check('server', member, ['databaseAvailabilityGroups', i, 'members', j], `DAG ${dag.name}`)),
  );
  written.mailboxDatabases.forEach((db, i) => {
    check('DAG or server', db.masterServerOrAvailabilityGroup, ['mailboxDatabases', i, 'masterServerOrAvailabilityGroup'], `database ${db.name}`);
    (db.activationPreference ?? []).forEach((server, j) =>
      check('server', server, ['mailboxDatabases', i, 'activationPreference', j], `the activation preference of database ${db.name}`),
    );
  });
  written.recipients.mailboxes.forEach((mailbox, i) =>
    check('database', mailbox.database, ['recipients', 'mailboxes', i, 'database'], `mailbox ${mailbox.address}`),
  );
  written.recipients.distributionGroups.forEach((group, i) =>
    check('Mailbox server', group.expansionServer, ['recipients', 'distributionGroups', i, 'expansionServer'], `group ${group.address}`),
  );
  written.sendConnectors.forEach((connector, i) =>
    connector.sourceTransportServers.forEach((server, j) =>
      check('server', server, ['sendConnectors', i, 'sourceTransportServers', j], `send connector ${connector.name}`),
    ),
  );
  written.receiveConnectors.forEach((connector, i) =>
    check('server', connector.server, ['receiveConnectors', i, 'server'], `receive connector ${connector.name}`),
  );
  written.edgeSubscriptions.forEach((sub, i) =>
    check('server', sub.edgeServer, ['edgeSubscriptions', i, 'edgeServer'], 'an Edge subscription'),
  );
  return findings;
};
