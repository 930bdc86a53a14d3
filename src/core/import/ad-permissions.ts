/**
 * `Get-ReceiveConnector | Get-ADPermission` (R43): the extended rights granted on a connector beyond
 * what its permission groups grant (R41). Exchange writes a group's rights as ACEs on the connector,
 * so a dump lists them too: those, inherited ACEs and denials are not `adPermissions`.
 */
import { sameName } from '../model/names.js';
import { GRANTED_RIGHTS, PRINCIPALS, RIGHTS, type Principal } from '../policy/permissions.js';
import type { DumpItem, ImportRun } from './fields.js';
import * as v from './values.js';

export interface DumpedPermission {
  server: string;
  connector: string;
  user: string;
  rights: string[];
}

/** ADExtendedRights and SecurityPrincipalIdParameter: their string, or `{ RawIdentity }`. */
function rawIdentity(value: unknown): Parsed {
  if (typeof value === 'string') return { ok: true, value };
  const raw = v.isRecord(value) ? (v.property(value, 'RawIdentity') ?? v.property(value, 'Name')) : undefined;
  return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, error: `${JSON.stringify(value)} is not a principal or a right` };
}
type Parsed = { ok: true; value: string } | { ok: false; error: string };

/** The connector an ACE is on: identity `EX01\App relay EX01`, or its DN. */
function connectorOf(identity: string): { server: string; connector: string } | undefined {
  if (/^CN=/i.test(identity)) {
    const parts = v.rdns(identity);
    const at = parts.findIndex((p) => /^CN=Protocols$/i.test(p));
    const connector = v.objectName(identity);
    const server = at >= 1 && parts[at + 1] ? v.objectName(parts[at + 1]) : undefined;
    return connector.ok && server?.ok ? { server: server.value, connector: connector.value } : undefined;
  }
  const slash = identity.indexOf('\\');
  return slash > 0 ? { server: identity.slice(0, slash), connector: identity.slice(slash + 1) } : undefined;
}

export function dumpedPermission(run: ImportRun, item: DumpItem): DumpedPermission | undefined {
  const inherited = run.read(item, 'IsInherited', v.boolean) ?? run.read(item, 'Inherited', v.boolean);
  const deny = run.read(item, 'Deny', v.boolean);
  const identity = run.read(item, 'Identity', rawIdentity);
  const user = run.read(item, 'User', rawIdentity);
  // Only the rights mxt models (R41); Exchange's others (XShadow, XProxyFrom …) are not mapped.
  const rights = (run.read(item, 'ExtendedRights', v.list(rawIdentity)) ?? []).flatMap((r) => RIGHTS.find((known) => sameName(known, r)) ?? []);
  if (inherited || deny || !user || rights.length === 0) return undefined;
  const on = identity ? connectorOf(identity) : undefined;
  if (!on) {
    run.problem(item, 'an ACE whose Identity names no receive connector (SERVER\\NAME or its DN)', 'dump the permissions of receive connectors: Get-ReceiveConnector | Get-ADPermission', 'Identity');
    return undefined;
  }
  return { ...on, user, rights };
}

/** R40's account names; `<Domain>\Exchange Servers` stands for that group in any domain. */
function principalsNamed(user: string): Principal[] {
  return (Object.keys(PRINCIPALS) as Principal[]).filter((p) =>
    PRINCIPALS[p].names.some((n) => (n.startsWith('<Domain>\\') ? sameName(user.slice(user.indexOf('\\') + 1), n.slice('<Domain>\\'.length)) && user.includes('\\') : sameName(user, n))),
  );
}

/** The connector's `adPermissions`: each user's rights that none of its permission groups grants it. */
export function adPermissionsOf(server: string, connector: string, groups: readonly string[], permissions: readonly DumpedPermission[]): { user: string; extendedRights: string[] }[] {
  const result: { user: string; extendedRights: string[] }[] = [];
  for (const ace of permissions) {
    if (!sameName(ace.server, server) || !sameName(ace.connector, connector)) continue;
    const granted = new Set(principalsNamed(ace.user).filter((p) => groups.includes(PRINCIPALS[p].group)).flatMap((p) => GRANTED_RIGHTS[p].map((r) => r.toLowerCase())));
    const extra = ace.rights.filter((r) => !granted.has(r.toLowerCase()));
    if (extra.length === 0) continue;
    const entry = result.find((e) => sameName(e.user, ace.user));
    if (entry) entry.extendedRights.push(...extra.filter((r) => !entry.extendedRights.some((x) => sameName(x, r))));
    else result.push({ user: ace.user, extendedRights: [...new Set(extra)] });
  }
  return result;
}
