// The one-server lab that the crash test and the relay benchmark share: EX01 with an anonymous
// relay connector (accept any recipient from loopback) and a smart-host connector to sink.test,
// plus the --hosts table that points sink.test at the sink.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RELAY_CONNECTOR = 'Lab relay EX01';

export function writeLab(dir, relayPort, sink) {
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
  - name: ${RELAY_CONNECTOR}
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

/** One message over its own connection (as smtp-source sends); resolves with the time of its 250, or undefined. */
export async function sendOne(host, port, from, to, body) {
  const { default: SMTPConnection } = await import('nodemailer/lib/smtp-connection');
  return new Promise((resolve) => {
    const c = new SMTPConnection({ host, port, ignoreTLS: true, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, allowInternalNetworkInterfaces: true });
    let done = false;
    const finish = (t) => {
      if (done) return;
      done = true;
      try {
        c.close();
      } catch {
        /* closed already */
      }
      resolve(t);
    };
    c.on('error', () => finish(undefined));
    c.connect(() => c.send({ from, to: [to] }, body, (err) => finish(err ? undefined : Date.now())));
  });
}

/** `mxt relay start` for the lab's EX01 on one loopback address (its default connectors' ports as they are). */
export function relayStartArgs(lab, address, dataDir) {
  return [fileURLToPath(new URL('../../bin/mxt.js', import.meta.url)), 'relay', 'start', '--config', lab.config, '--server', 'EX01', '--address', address, '--data-dir', dataDir, '--hosts', lab.hosts];
}
