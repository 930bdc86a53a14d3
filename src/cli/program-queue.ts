/** `mxt queue …` (R175–R177): a running relay's queues and messages, through its data folder. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { examples, formatOption } from './options.js';

/** The note of examples that need a running relay (test/cli/help.test.ts starts one for them). */
const RELAY = '# with a relay running';
/** … and one whose first message waits in a delivery queue (the test sends it one, for a server that is down). */
const HOLDING = '# with a relay holding message 1';

export function registerQueueCommands(program: Command, ctx: CliContext): void {
  const queue = program
    .command('queue')
    .description("a running relay's queues and messages, with Exchange's queue fields (Get-Queue, Get-Message)")
    .addHelpText('after', examples([`mxt queue list --server EX01   ${RELAY}`]));
  const common = (c: Command): Command =>
    c
      .option('--server <server>', 'the relay (server) whose queues to read: DATA_DIR/SERVER')
      .option('--data-dir <dir>', 'the data folder given to mxt relay start (default: .mxt)')
      .addOption(formatOption(['text', 'json']));
  const run = (verb: 'list' | 'show' | 'retry' | 'suspend' | 'resume' | 'remove') => async (a: unknown, b?: unknown) => {
    const { queueCommand } = await import('./commands/queue.js');
    const [identity, opts] = typeof a === 'string' ? [a, b as object] : [undefined, a as object];
    await queueCommand(verb, identity, opts, ctx);
  };
  common(queue.command('list').description('every queue: Identity, DeliveryType, Status, MessageCount, Velocity, RiskLevel, OutboundIPPool, NextHopDomain'))
    .addHelpText('after', examples([`mxt queue list --server EX01   ${RELAY}`, `mxt queue list --data-dir .mxt --server EX01 --format json   ${RELAY} (its data folder is .mxt)`]))
    .action(run('list'));
  common(queue.command('show <identity>').description('one queue with its messages, or one message with its recipients (SERVER\\QUEUE\\N)'))
    .addHelpText('after', examples([
        `mxt queue show 'EX01\\Unreachable' --server EX01   ${RELAY}`,
        `mxt queue show 'EX01\\Submission' --server EX01 --format json   ${RELAY}`,
        `mxt queue show 'EX01\\*\\1' --server EX01   ${HOLDING}: its fields, recipients and last errors`,
      ]))
    .action(run('show'));
  common(queue.command('retry <identity>').description('connect now (Retry-Queue); --resubmit sends its messages through the categorizer again'))
    .option('--resubmit', 'resubmit to the categorizer (needed for the Unreachable queue)')
    .addHelpText('after', examples([
        `mxt queue retry 'EX01\\Unreachable' --resubmit --server EX01   ${RELAY}`,
        `mxt queue retry fabrikam.com --server EX01   ${RELAY}; exits 2 here: no mail waits for fabrikam.com, so it has no queue`,
      ]))
    .action(run('retry'));
  common(queue.command('suspend <identity>').description('suspend a queue (nothing leaves it) or one message'))
    .addHelpText('after', examples([`mxt queue suspend 'EX01\\Submission' --server EX01   ${RELAY}: new mail waits, uncategorized`]))
    .action(run('suspend'));
  common(queue.command('resume <identity>').description('resume a queue or a message (a poison message goes through the categorizer again)'))
    .addHelpText('after', examples([`mxt queue resume 'EX01\\Submission' --server EX01   ${RELAY}`]))
    .action(run('resume'));
  common(queue.command('remove <identity>').description('remove a message (Remove-Message), with an NDR to the sender unless --no-ndr'))
    .option('--no-ndr', 'remove without a non-delivery report (Remove-Message -WithNDR $false)')
    .addHelpText('after', examples([
        `mxt queue remove 'EX01\\*\\1' --server EX01   ${HOLDING}: its sender gets an NDR`,
        `mxt queue remove 'EX01\\*\\1' --no-ndr --server EX01   ${HOLDING}: removed without an NDR`,
      ]))
    .action(run('remove'));
}
