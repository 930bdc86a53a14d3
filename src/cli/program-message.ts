/**
 * `mxt send` and `mxt trace`: a test message through a chosen connector, and one message's tracking
 * events across the nodes. Each action lazy-imports its command module (relay code never loads for
 * other commands).
 */
import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, formatOption } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** The note of examples that need a running relay (test/cli/help.test.ts starts one, where the example's flags say it listens). */
const RELAY = '# with a relay running';

export function registerMessageCommands(program: Command, ctx: CliContext): void {
  program
    .command('send')
    .description('submit a test message to a receive connector of a server (the relay running it) and show the replies')
    .requiredOption('--server <name>', 'the server whose receive connector takes the message')
    .option('--connector <name>', "the receive connector (default: Default Frontend, or Client Frontend with --auth)")
    .requiredOption('--from <address>', 'envelope sender and From: (<> for the null sender)')
    .requiredOption('--to <addresses>', 'recipient; repeat, or a comma list', collect, [])
    .option('--subject <text>', 'Subject: (default: mxt send test and the Message-ID)')
    .option('--body <text>', 'the message text')
    .option('--body-file <file>', 'the message text from a file')
    .option('--header <field>', "one more header field, 'Name: value' (repeat); one named From, To, Subject … replaces that field", collect, [])
    .option('--size <size>', 'pad the body so the message is about this size (e.g. 30MB), to test size limits')
    .option('--auth <user>', 'log in (AUTH) as this user of mxt relay user add; needs --password-env')
    .option('--password-env <var>', 'the environment variable that holds the --auth password')
    .addOption(new Option('--tls <mode>', 'STARTTLS: when offered, required, or never').choices(['auto', 'require', 'none']).default('auto'))
    .option('--ehlo <name>', 'the name given in EHLO (default: this host name)')
    .option('--message-id <id>', 'the Message-ID to give the message (default: a new one, printed)')
    .option('--data-dir <dir>', 'data folder: relay-up.json (where relay up runs each server) and the CA to trust (default: .mxt)')
    .option('--address <ip>', 'the server listens on this address, as given to mxt relay start --address')
    .option('--port-offset <n>', 'its ports are shifted by N, as given to mxt relay start --port-offset')
    .addOption(formatOption(['text', 'json']))
    .addOption(configOption())
    .addHelpText(
      'after',
      examples([
        `mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to alice@contoso.com   ${RELAY}`,
        `mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to bob@fabrikam.com --format json   ${RELAY}; exits 1: anonymous mail may not be relayed outside`,
        `mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to alice@contoso.com --size 2MB --header 'X-Test: size'   ${RELAY}`,
        'mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to alice@contoso.com   # exits 1: no relay listens there',
      ]) +
        '\n\nWhere the server listens: --address and --port-offset when given, else its entry in' +
        '\nDATA_DIR/relay-up.json (mxt relay up), else its connector\'s binding as written.' +
        '\nExit codes: 0 every recipient and the message accepted, 1 the relay refused some or all' +
        '\n(or could not be reached), 2 usage.',
    )
    .action(async (opts) => {
      const { sendCommand } = await import('./commands/send.js');
      await sendCommand(opts, ctx);
    });

  program
    .command('trace <message-id>')
    .description('the message-tracking events of one message on every relay node, in time order (Get-MessageTrackingLog)')
    .option('--server <name>', 'only this node (repeat; default: every node of the data folder with a tracking log)', collect, [])
    .option('--data-dir <dir>', 'the data folder of the relays (default: .mxt)')
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      examples([
        `mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to alice@contoso.com --message-id test-1@example.net --format json > /dev/null && mxt trace test-1@example.net   ${RELAY}`,
        `mxt send --server EX01 --address 127.0.9.2 --port-offset 20000 --from someone@example.net --to alice@contoso.com --message-id test-2@example.net --format json > /dev/null && mxt trace '<test-2@example.net>' --server EX01 --format json   ${RELAY}`,
        'mxt trace nobody@example.net   # exits 2: no relay has run in this folder, so there is no tracking log',
      ]) +
        '\n\nThe Message-ID is compared without its angle brackets. A number is taken as an internal' +
        '\nmessage id (the InternalId of the 250 reply) when no Message-ID matches, if it names one' +
        '\nmessage: nodes count on their own and reuse a number once its message has left the queue' +
        '\n(--server narrows the search). Events of the reports (DSNs) the message caused are listed' +
        '\ntoo. Exit codes: 0 events found, 1 none, 2 usage (no data folder, no logs).',
    )
    .action(async (id: string, opts) => {
      const { traceCommand } = await import('./commands/trace.js');
      await traceCommand(id, opts, ctx);
    });
}
