/** `mxt relay start|up|status|down|cert|user`: the embedded relay. Every action lazy-imports its command module (relay code never loads for other commands). */
import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, formatOption } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** status and down act on the lab recorded in the data folder; --config is taken (as by every command) and checked against it. */
const labConfigOption = () => new Option('--config <file>', 'the config relay up was given (the lab runs the one it recorded; a different file is noted)');

export function registerRelayCommands(program: Command, ctx: CliContext): void {
  const relay = program
    .command('relay')
    .description('run the embedded SMTP relay for a server of the topology (or for all of them, on this machine), and manage its certificates and users')
    .addHelpText(
      'after',
      examples([
        'mxt relay cert   # the organization CA and a certificate for every server (STARTTLS)',
        'mxt relay start --server EX01 --address 127.0.9.2 --port-offset 20000   # runs until stopped (Ctrl-C)',
        'mxt relay up --address 127.0.9.2 --port-offset 25000 && mxt relay down   # every server of the topology, then stopped',
      ]),
    );
  relay
    .command('start')
    .description("run the relay for one server: a listener for each of its receive connectors, enforcing each connector's permissions and limits")
    .requiredOption('--server <name>', 'the server to run')
    .option('--address <ip>', 'listen on this one local address instead of the bindings\' addresses (labs: 127.0.9.1)')
    .option('--port-offset <n>', 'add N to every port (25 → 10025 with 10000)')
    .option('--data-dir <dir>', 'data folder: CA, certificates, users, and <SERVER>/ (spool, logs)', '.mxt')
    .option('--hosts <file>', 'static host/MX table instead of DNS (for delivery; labs and tests)')
    .addOption(new Option('--bare-line-endings <mode>', 'bare CR or LF in DATA').choices(['reject', 'normalize']).default('reject'))
    .addOption(configOption())
    .addHelpText(
      'after',
      examples([
        'mxt relay cert --config examples/multi-site.mxt.yaml --server LON-EX01',
        'mxt relay start --config examples/multi-site.mxt.yaml --server LON-EX01 --address 127.0.9.2 --port-offset 20000   # runs until stopped (Ctrl-C)',
      ]) +
        '\n\nPrints one "listening" line per listener, then "ready"; stops cleanly on SIGTERM or Ctrl-C.' +
        '\nSIGHUP reads the config again: new sessions and queued mail use it; a config that does not' +
        '\nvalidate is refused (with its location) and the relay runs on as it was.' +
        '\nThen, from another terminal, send it a message with any SMTP client, e.g. swaks:' +
        '\n  swaks --server 127.0.9.2:20025 --to alice@contoso.com --from someone@example.net',
    )
    .action(async (opts) => {
      const { relayStartCommand } = await import('./commands/relay.js');
      await relayStartCommand(opts, ctx);
    });

  relay
    .command('up')
    .description('run every Mailbox and Edge server of the topology on this machine, one detached relay process each, on loopback with mapped ports; returns once all are ready')
    .option('--server <name>', 'only this server (repeat); the others look down to the ones started', collect, [])
    .option('--address <ip>', 'the first node\'s address; the next ones (servers in name order) take the next addresses', '127.0.10.1')
    .option('--port-offset <n>', 'add N to every port of every node (25 → 10025 with 10000)', '10000')
    .option('--data-dir <dir>', 'data folder: the lab\'s state (relay-up.json), CA, certificates, and <SERVER>/ (spool, logs)', '.mxt')
    .option('--hosts <file>', 'static host/MX table instead of DNS, handed to every node (with where the nodes listen)')
    .addOption(configOption())
    .addHelpText(
      'after',
      examples([
        'mxt relay up --address 127.0.9.2 --port-offset 25000 && mxt relay status --format text && mxt relay down   # a lab of every server, shown, then stopped',
        'mxt relay up --server EX01 --server EX02 --address 127.0.9.2 --port-offset 25000 && mxt relay down   # only these two: mail for EDGE01 waits in their queues',
      ]) +
        '\n\nNode k (servers in name order, from 0) listens on the address plus k: 127.0.10.1, 127.0.10.2, …;' +
        '\neach node\'s output is in <data-dir>/<SERVER>/relay.log. Missing certificates are created first' +
        '\n(as mxt relay cert does): hops between the servers authenticate with them. Refused (exit 2) while' +
        '\na lab runs in the data folder; exits 1, with the log of the node that failed and nothing left' +
        '\nrunning, when a node does not start (e.g. a port in use) within 30 s.',
    )
    .action(async (opts) => {
      const { relayUpCommand } = await import('./commands/relay-lab.js');
      await relayUpCommand(opts, ctx);
    });
  relay
    .command('status')
    .description('the nodes of the lab that relay up started: running or not, where they listen, messages queued')
    .option('--data-dir <dir>', 'data folder given to relay up', '.mxt')
    .addOption(labConfigOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      examples(['mxt relay status   # exits 2: no lab is running in .mxt', 'mxt relay status --data-dir lab --format json   # exits 2: no lab is running in lab']) +
        '\n\nExits 0 when every node runs, 1 when some do not, 2 when no lab runs in the data folder.',
    )
    .action(async (opts) => {
      const { relayStatusCommand } = await import('./commands/relay-lab.js');
      await relayStatusCommand(opts, ctx);
    });
  relay
    .command('down')
    .description('stop every node of the lab (SIGTERM, then SIGKILL for any still running after 20 s) and remove its state')
    .option('--data-dir <dir>', 'data folder given to relay up', '.mxt')
    .addOption(labConfigOption())
    .addHelpText(
      'after',
      examples(['mxt relay down   # with no lab there: says "nothing running" and exits 0']) +
        '\n\nA node that does not stop within 20 s of SIGTERM is killed (SIGKILL), and said so.',
    )
    .action(async (opts) => {
      const { relayDownCommand } = await import('./commands/relay-lab.js');
      await relayDownCommand(opts, ctx);
    });

  relay
    .command('cert')
    .description("create the organization CA (once) and a TLS certificate for each server (its FQDN and its connectors' FQDNs); keys mode 0600")
    .option('--server <name>', 'only this server (repeat)', collect, [])
    .option('--partner <domain>', 'also a mutual-TLS certificate for a partner domain (repeat)', collect, [])
    .option('--data-dir <dir>', 'data folder', '.mxt')
    .addOption(configOption())
    .addHelpText('after', examples(['mxt relay cert', 'mxt relay cert --server EX01 --server EDGE01', 'mxt relay cert --partner fabrikam.com']))
    .action(async (opts) => {
      const { relayCertCommand } = await import('./commands/relay.js');
      await relayCertCommand(opts, ctx);
    });

  const user = relay
    .command('user')
    .description('users who may AUTH to the relay (scrypt-hashed passwords in <data-dir>/users.json)')
    .addHelpText('after', examples(['mxt relay user add app --password-env APP_PW   # the password is in $APP_PW']));
  user
    .command('add <name>')
    .description('add a user or change its password; the password is read from stdin, or from --password-env')
    .option('--address <addr>', 'a sender address the user owns (repeat); none: any', collect, [])
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--data-dir <dir>', 'data folder', '.mxt')
    .addHelpText(
      'after',
      examples(['mxt relay user add bob --address bob@contoso.com --password-env APP_PW', 'mxt relay user add app --password-env APP_PW']) +
        '\n\nWithout --password-env, the password is read from stdin, e.g.:' +
        '\n  printf \'%s\' "$PW" | mxt relay user add bob --address bob@contoso.com',
    )
    .action(async (name: string, opts) => {
      const { relayUserAddCommand } = await import('./commands/relay.js');
      await relayUserAddCommand(name, opts, ctx);
    });
  user
    .command('remove <name>')
    .description('remove a user')
    .option('--data-dir <dir>', 'data folder', '.mxt')
    .addHelpText(
      'after',
      examples([
        'mxt relay user add app --password-env APP_PW && mxt relay user remove app',
        'mxt relay user remove nobody   # exits 2: there is no user nobody',
      ]),
    )
    .action(async (name: string, opts) => {
      const { relayUserRemoveCommand } = await import('./commands/relay.js');
      await relayUserRemoveCommand(name, opts, ctx);
    });
}
