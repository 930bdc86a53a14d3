/**
 * Use case `mxt relay cert`: the organization CA and a certificate per server (its FQDN and its
 * receive connectors' FQDNs), optionally per partner domain, under the data folder (keys 0600).
 */
import { loadConfig, requireTopology } from '../config/load.js';
import { sameName } from '../core/model/names.js';
import { UserError } from '../errors.js';
import { caPaths, ensureCa, issueCertificate, partnerTlsPaths, serverTlsPaths } from '../relay/tls/certificates.js';
import { dataDirOf } from '../relay/queue/data-dir.js';

export interface RelayCertOptions {
  config?: string;
  cwd?: string;
  dataDir?: string;
  servers?: string[];
  partners?: string[];
}

export interface RelayCertResult {
  ca: { cert: string; created: boolean };
  issued: { subject: string; kind: 'server' | 'partner'; names: string[]; cert: string; key: string }[];
}

export async function relayCert(options: RelayCertOptions): Promise<RelayCertResult> {
  const topology = requireTopology(await loadConfig({ config: options.config, cwd: options.cwd }));
  const dataDir = dataDirOf(options);
  const wanted = options.servers && options.servers.length > 0 ? options.servers : topology.servers.map((s) => s.name);
  const servers = wanted.map((name) => {
    const server = topology.servers.find((s) => sameName(s.name, name));
    if (!server) throw new UserError(`unknown server "${name}"`, `servers in this topology: ${topology.servers.map((s) => s.name).join(', ')}`);
    return server;
  });
  const created = await ensureCa(dataDir, topology.organization.name);
  const issued: RelayCertResult['issued'] = [];
  for (const server of servers) {
    const names = [server.fqdn, ...topology.receiveConnectors.filter((c) => sameName(c.server, server.name)).map((c) => c.fqdn)];
    const out = serverTlsPaths(dataDir, server.name);
    await issueCertificate(dataDir, names, out);
    issued.push({ subject: server.name, kind: 'server', names: [...new Set(names.map((n) => n.toLowerCase()))], ...out });
  }
  for (const domain of options.partners ?? []) {
    const out = partnerTlsPaths(dataDir, domain);
    await issueCertificate(dataDir, [domain], out);
    issued.push({ subject: domain, kind: 'partner', names: [domain.toLowerCase()], ...out });
  }
  return { ca: { cert: caPaths(dataDir).caCert, created }, issued };
}
