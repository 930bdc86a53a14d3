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
import { announceConfig, EXIT_CODES, examples, HELP_WIDTH, refuseEmptyValues } from './options.js';
import { registerQueueCommands } from './program-queue.js';
import { registerMessageCommands } from './program-message.js';
import { registerExportCommands } from './program-exchange.js';
import { registerImportCommands } from './program-import.js';

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
      `${examples([
        'mxt validate --config examples/multi-site.mxt.yaml',
        'mxt route plan --from EX01 --to alice@contoso.com --to bob@fabrikam.com',
        'mxt show effective --format json',
        'mxt connector add send --help   # every command has its own help with examples',
      ])}

${EXIT_CODES.replace(/\.$/, ',')}
            3 routes changed (route diff --detailed-exitcode).`,
    );
  registerCoreCommands(program, ctx);
  const route = program
    .command('route')
    .description('compute how Exchange transport routes mail through the topology (plan, table, diff, test, inbound)')
    .addHelpText(
      'after',
      examples([
        'mxt route plan --from EX01 --to someone@fabrikam.com',
        'mxt route table --server EX02',
        'mxt route inbound --server EX01 --remote-ip 10.1.5.20 --to someone@fabrikam.com',
        'mxt route test examples/multi-site.routes.yaml',
      ]),
    );
  registerRouteCommands(route, ctx);
  registerInboundCommand(route, ctx);
  registerGraphCommand(program, ctx);
  registerEditCommands(program, ctx);
  registerRelayCommands(program, ctx);
  registerQueueCommands(program, ctx);
  registerMessageCommands(program, ctx);
  registerExportCommands(program, ctx, VERSION);
  registerImportCommands(program, ctx);
  // One width for every help screen (descriptions wrap under their column, never past it).
  const help = { helpWidth: HELP_WIDTH, minWidthToWrap: 20 };
  program.configureHelp(help);
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput()).configureHelp(help);
  refuseEmptyValues(program);
  announceConfig(program, ctx);
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

