/** `mxt export powershell`: the config pushed out to Exchange. The action lazy-imports its command module. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, EXIT_CODES } from './options.js';

export function registerExportCommands(program: Command, ctx: CliContext, version: string): void {
  const exportGroup = program
    .command('export')
    .description('write the config out for Exchange itself')
    .addHelpText('after', examples(['mxt export powershell --output contoso.ps1']));
  exportGroup
    .command('powershell')
    .description('print an Exchange Management Shell script that creates or sets what the config describes (domains, transport settings, sites, DAGs, databases, connectors), in an order that runs top to bottom')
    .addOption(configOption())
    .option('-o, --output <file>', 'write the script to this file instead of standard output')
    .addHelpText(
      'after',
      `${examples([
        'mxt export powershell',
        'mxt export powershell --config examples/multi-site.mxt.yaml --output multi-site.ps1',
        'mxt export powershell --config examples/broken.mxt.yaml   # exits 1: a config that does not validate is refused, with where',
      ])}

Only the settings the file writes become parameters; the rest keeps Exchange's defaults. Lines
"# [WHERE] command" run elsewhere (an Edge server's own shell, or after the Edge subscription).
AD sites and links must exist; recipients and secrets are not exported (see the script's header).

${EXIT_CODES}`,
    )
    .action(async (opts: { config?: string; output?: string }) => {
      const { exportPowerShellCommand } = await import('./commands/export.js');
      await exportPowerShellCommand(opts, ctx, version);
    });
}
