/** A one-server lab for the crash test and the benchmark: config file, hosts table, relay node process. */
import { execa, type ResultPromise } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './helpers.js';

export const RELAY_NODE = fileURLToPath(new URL('../../bench/relay-node.mjs', import.meta.url));

/** EX01 with an anonymous relay connector on `relayPort` and a smart-host connector to sink.test. */
export function writeLab(dir: string, relayPort: number, sink: { host: string; port: number }): { config: string; hosts: string } {
  const config = join(dir, 'mxt.config.yaml');
  writeFileSync(
    config,
    `organization: { name: Lab }
transportService: { queueGlitchRetryInterval: 1s, transientFailureRetryInterval: 1s, outboundConnectionFailureRetryInterval: 2s, messageRetryInterval: 1s }
sites: [{ name: HQ }]
servers:
  - { name: EX01, role: Mailbox, site: HQ, fqdn: ex01.lab.test, addresses: [127.0.10.20] }
acceptedDomains:
  - { domainName: lab.test, domainType: Authoritative, default: true }
sendConnectors:
  - { name: To Sink, addressSpaces: ["SMTP:*;1"], sourceTransportServers: [EX01], dnsRoutingEnabled: false, smartHosts: [sink.test] }
receiveConnectors:
  - name: Lab relay EX01
    server: EX01
    transportRole: FrontendTransport
    bindings: ["0.0.0.0:${relayPort}"]
    remoteIPRanges: [127.0.0.0/8]
    permissionGroups: [AnonymousUsers]
    authMechanism: [None]
    maxInboundConnectionPerSource: unlimited
    maxInboundConnection: unlimited
    adPermissions:
      - { user: NT AUTHORITY\\ANONYMOUS LOGON, extendedRights: [ms-Exch-SMTP-Accept-Any-Recipient] }
`,
  );
  const hosts = join(dir, 'hosts.yaml');
  writeFileSync(hosts, `hosts:\n  sink.test: ${sink.host}:${sink.port}\n`);
  return { config, hosts };
}

export interface RelayProcess {
  proc: ResultPromise;
  exited: Promise<unknown>;
}

export async function startRelayNode(lab: { config: string; hosts: string }, listen: string, dataDir: string): Promise<RelayProcess> {
  const proc = execa(process.execPath, [RELAY_NODE, lab.config, 'EX01', 'Lab relay EX01', listen, dataDir, lab.hosts], { reject: false, buffer: { stdout: false } });
  let ready = false;
  proc.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('ready')) ready = true;
  });
  const exited = proc.then((r) => r);
  await waitFor(() => ready || proc.exitCode !== null, 20_000, 'relay node ready');
  if (!ready) throw new Error(`relay node did not start: ${(await proc).stderr}`);
  return { proc, exited };
}
