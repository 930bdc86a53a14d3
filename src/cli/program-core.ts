/** `mxt validate`, `mxt show`, `mxt schema`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, EXIT_CODES, formatOption } from './options.js';

export const VALIDATE_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;

export function registerCoreCommands(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check the config: every key and value, then every rule of how Exchange transport works (references, routing, relays, limits); exits 1 on an error')
    .addOption(configOption())
    .addOption(formatOption(VALIDATE_FORMATS))
    .option('--strict', 'treat warnings as errors (exit 1 when there are any)')
    .addHelpText(
      'after',
      `${examples([
        'mxt validate',
        'mxt validate --config examples/multi-site.mxt.yaml --format sarif > mxt.sarif',
        'mxt validate --format github   # annotations in a GitHub Actions run',
        'mxt validate --strict --format junit > mxt-junit.xml   # exits 1 here: the bundled example has a warning, and --strict fails on warnings',
      ])}\n\n${EXIT_CODES}`,
    )
    .action(async (opts: { config?: string; format?: string; strict?: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      await validateCommand(opts, ctx);
    });

  program
    .command('show')
    .description('print the config as loaded; `effective` adds what Exchange creates by itself (default receive connectors, Edge subscription connectors, every default value)')
    .argument('[view]', 'written (default) or effective', 'written')
    .addOption(configOption())
    .addOption(formatOption(['yaml', 'json']).default(undefined))
    .addHelpText('after', examples(['mxt show', 'mxt show effective', 'mxt show effective --format json > effective.json']))
    .action(async (view: string, opts: { config?: string; format?: string }) => {
      const { showCommand } = await import('./commands/show.js');
      await showCommand(view, opts, ctx);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file')
    .addHelpText('after', examples(['mxt schema > mxt.schema.json']))
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      await schemaCommand(ctx);
    });
}
