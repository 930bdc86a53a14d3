/** Servers, DAGs and mailbox databases: V2, V7, V8 and `database-has-server` (R2, R4–R6). */
import type { Finding } from '../findings/finding.js';
import { nameKey } from '../model/names.js';
import type { Rule } from './rule.js';
import { directory, finding, list } from './support.js';

/** V2 (R2): every Mailbox server is in a site (Edge servers get theirs from a subscription: edge.ts). */
export const serverInSite: Rule = ({ written }) =>
  written.servers.flatMap((server, i) =>
    server.role === 'Mailbox' && server.site === undefined
      ? [
          finding(
            'V2',
            ['servers', i],
            `Mailbox server ${server.name} is in no site: every Exchange server is a member of exactly one AD site`,
            `add "site: <site name>" to ${server.name}`,
          ),
        ]
      : [],
  );

/** V7 (R5): DAG members are Mailbox servers of one version, each in at most one DAG (Edge members: edge-placement). */
export const dagMembers: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const memberOf = new Map<string, string>();
  const findings: Finding[] = [];
  written.databaseAvailabilityGroups.forEach((dag, i) => {
    const versions = new Map<number, string>();
    const seen = new Set<string>();
    dag.members.forEach((member, j) => {
      const server = dir.servers.get(nameKey(member));
      if (!server || server.role !== 'Mailbox') return;
      const path = ['databaseAvailabilityGroups', i, 'members', j];
      if (seen.has(nameKey(member))) {
        findings.push(finding('V7', path, `DAG ${dag.name} lists ${member} twice`, 'list each member once'));
        return;
      }
      seen.add(nameKey(member));
      const other = memberOf.get(nameKey(member));
      if (other !== undefined) {
        findings.push(finding('V7', path, `server ${member} is already a member of DAG ${other}: a server is in at most one DAG`, `remove ${member} from one of the two DAGs`));
        return;
      }
      memberOf.set(nameKey(member), dag.name);
      const first = versions.values().next();
      if (!first.done && !versions.has(server.version)) {
        findings.push(
          finding('V7', path, `DAG ${dag.name} mixes Exchange versions: ${member} is version ${server.version}, ${first.value} is not`, 'a DAG holds Mailbox servers of one major version'),
        );
      }
      if (!versions.has(server.version)) versions.set(server.version, member);
    });
  });
  return findings;
};

/**
 * V8 (R6): a database is hosted by one server that is in no DAG, or by a DAG, and its activation
 * preference lists only the hosting server or the DAG's members, once each.
 * `database-has-server`: a DAG without Mailbox members, or an Edge server, hosts nothing.
 */
export const databaseHosting: Rule = ({ written, topology }) => {
  const dir = directory(topology);
  const dagOf = new Map<string, string>();
  for (const dag of written.databaseAvailabilityGroups) for (const m of dag.members) if (!dagOf.has(nameKey(m))) dagOf.set(nameKey(m), dag.name);
  const findings: Finding[] = [];
  written.mailboxDatabases.forEach((db, i) => {
    const master = db.masterServerOrAvailabilityGroup;
    const masterPath = ['mailboxDatabases', i, 'masterServerOrAvailabilityGroup'];
    const dag = dir.dags.get(nameKey(master))?.dag;
    const server = dag ? undefined : dir.servers.get(nameKey(master));
    let allowed: (name: string) => boolean;
    let allowedText: string;
    if (dag) {
      const hosts = dag.members.filter((m) => dir.servers.get(nameKey(m))?.role === 'Mailbox');
      if (hosts.length === 0) {
        findings.push(
          finding('database-has-server', masterPath, `database ${db.name} is hosted by DAG ${dag.name}, which has no Mailbox server as member: mail for it is unroutable`, `add Mailbox servers to ${dag.name}'s members`),
        );
      }
      const members = new Set(dag.members.map(nameKey));
      allowed = (name) => members.has(nameKey(name));
      allowedText = dag.members.length ? `a member of DAG ${dag.name} (${list(dag.members)})` : `a member of DAG ${dag.name}, which has none`;
    } else if (server) {
      if (server.role === 'Edge') {
        findings.push(
          finding('database-has-server', masterPath, `database ${db.name} is hosted by ${server.name}, an Edge server: Edge servers hold no mailbox databases`, 'name a Mailbox server or a DAG'),
        );
        return;
      }
      const inDag = dagOf.get(nameKey(server.name));
      if (inDag !== undefined) {
        findings.push(
          finding('V8', masterPath, `database ${db.name} is hosted by ${server.name}, a member of DAG ${inDag}: a database on a DAG member belongs to the DAG`, `write masterServerOrAvailabilityGroup: ${inDag}, with activationPreference listing its copies`),
        );
      }
      allowed = (name) => nameKey(name) === nameKey(server.name);
      allowedText = `${server.name}, the server hosting it`;
    } else return; // unknown: unknown-reference
    const seen = new Set<string>();
    (db.activationPreference ?? []).forEach((name, j) => {
      const path = ['mailboxDatabases', i, 'activationPreference', j];
      if (!dir.servers.has(nameKey(name))) return;
      if (seen.has(nameKey(name))) {
        findings.push(finding('V8', path, `the activation preference of database ${db.name} lists ${name} twice`, 'list each copy once'));
      } else if (!allowed(name)) {
        findings.push(
          finding('V8', path, `the activation preference of database ${db.name} lists ${name}, which is not ${allowedText}`, `list only servers that hold a copy: ${allowedText.replace(/^a member/, 'members')}`),
        );
      }
      seen.add(nameKey(name));
    });
  });
  return findings;
};
