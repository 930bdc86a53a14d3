/** `mxt relay start|cert|user`: the embedded relay. Every action lazy-imports its command module (relay code never loads for other commands). */
import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRelayCommands(program: Command, ctx: CliContext): void {
  const relay = program
    .command('relay')
    .description('run the embedded SMTP relay for a server of the topology, and manage its certificates and users')
    .addHelpText(
      'after',
      examples([
        'mxt relay cert   # the organization CA and a certificate for every server (STARTTLS)',
        'mxt relay start --server EX01 --address 127.0.9.2 --port-offset 20000   # runs until stopped (Ctrl-C)',
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
