/**
 * The command tree. Each group declares its commands in its own `program-*.ts` file; every action
 * lazy-imports its command module so start-up loads only what the invoked command needs.
 */
import { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerCoreCommands } from './program-core.js';
import { registerEditCommands } from './program-edit.js';
import { registerGraphCommand, registerInboundCommand } from './program-inspect.js';
import { registerRelayCommands } from './program-relay.js';
import { registerRouteCommands } from './program-route.js';
import { registerQueueCommands } from './program-queue.js';

export const VERSION = '0.1.0';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('mxt')
    .description('Exchange-style transport topology as one validated config file: validate it, route mail through it, edit it safely.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.out(s.replace(/\n$/, '')), writeErr: (s) => ctx.err(s.replace(/\n$/, '')) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ mxt validate --config examples/multi-site.mxt.yaml
  $ mxt route plan --from EX01 --to alice@contoso.com --to bob@fabrikam.com
  $ mxt show effective --format json

Exit codes: 0 ok, 1 invalid topology or failed check, 2 usage, I/O or internal error.`,
    );
  registerCoreCommands(program, ctx);
  const route = program
    .command('route')
    .description('compute how Exchange transport routes mail through the topology (plan, table, diff, test, inbound)');
  registerRouteCommands(route, ctx);
  registerInboundCommand(route, ctx);
  registerGraphCommand(program, ctx);
  registerEditCommands(program, ctx);
  registerRelayCommands(program, ctx);
  registerQueueCommands(program, ctx);
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

