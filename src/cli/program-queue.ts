/** `mxt queue …` (R175–R177): a running relay's queues and messages, through its data folder. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { examples, formatOption } from './options.js';

export function registerQueueCommands(program: Command, ctx: CliContext): void {
  const queue = program.command('queue').description("a running relay's queues and messages, with Exchange's queue fields (Get-Queue, Get-Message)");
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
    .addHelpText('after', examples(['mxt queue list --server EX01', 'mxt queue list --data-dir /var/lib/mxt/EX01 --format json']))
    .action(run('list'));
  common(queue.command('show <identity>').description('one queue with its messages, or one message with its recipients (SERVER\\QUEUE\\N)'))
    .addHelpText('after', examples(['mxt queue show \'EX01\\Unreachable\' --server EX01', 'mxt queue show \'EX01\\3\\12\' --server EX01 --format json']))
    .action(run('show'));
  common(queue.command('retry <identity>').description('connect now (Retry-Queue); --resubmit sends its messages through the categorizer again'))
    .option('--resubmit', 'resubmit to the categorizer (needed for the Unreachable queue)')
    .addHelpText('after', examples(['mxt queue retry fabrikam.com --server EX01', "mxt queue retry 'EX01\\Unreachable' --resubmit --server EX01"]))
    .action(run('retry'));
  common(queue.command('suspend <identity>').description('suspend a queue (nothing leaves it) or one message')).action(run('suspend'));
  common(queue.command('resume <identity>').description('resume a queue or a message (a poison message goes through the categorizer again)')).action(run('resume'));
  common(queue.command('remove <identity>').description('remove a message (Remove-Message), with an NDR to the sender unless --no-ndr'))
    .option('--no-ndr', 'remove without a non-delivery report (Remove-Message -WithNDR $false)')
    .addHelpText('after', examples(["mxt queue remove 'EX01\\*\\12' --server EX01", "mxt queue remove 'EX01\\3\\12' --no-ndr --server EX01"]))
    .action(run('remove'));
}
