/** A real DNS server on loopback for the delivery tests: dnsmasq with only the records given. */
import { execa, type ResultPromise } from 'execa';
import { promises as dns } from 'node:dns';
import { loopback } from '../../helpers/loopback.js';
import { waitFor } from '../queue/helpers.js';

export interface Dnsmasq {
  server: string;
  stop(): Promise<void>;
}

export const DNS_ADDRESS = loopback('delivery', 5);

export async function startDnsmasq(records: string[], port: number): Promise<Dnsmasq> {
  const proc: ResultPromise = execa(
    '/usr/sbin/dnsmasq',
    ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces', `--listen-address=${DNS_ADDRESS}`, `--port=${port}`, '--user=root', '--pid-file=', ...records],
    { reject: false },
  );
  const server = `${DNS_ADDRESS}:${port}`;
  const r = new dns.Resolver({ timeout: 500, tries: 1 });
  r.setServers([server]);
  await waitFor(async () => {
    try {
      await r.resolve4('probe.invalid.');
    } catch (e) {
      // dnsmasq without upstream servers refuses names it does not hold: it is up.
      return ['ENOTFOUND', 'ENODATA', 'EREFUSED'].includes((e as { code?: string }).code ?? '');
    }
    return true;
  }, 5000, 'dnsmasq');
  return {
    server,
    stop: async () => {
      proc.kill('SIGTERM');
      await proc;
    },
  };
}
