/** `mxt route plan|table|diff|test`: subcommands of the `route` command created in program.ts. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, EXIT_CODES, formatOption } from './options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
/** Addresses are split later, by the address rule (a quoted local part may hold a comma: core/model/address.ts splitAddressList). */
const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerRouteCommands(route: Command, ctx: CliContext): void {
  route
    .command('plan')
    .description('how each recipient is routed from one server: destination, delivery group, next hop, every hop, and why the other candidates lost')
    .requiredOption('--from <server>', 'the server that categorizes the message')
    .requiredOption('--to <address...>', 'recipient address (repeat, or list several); <alice@contoso.com> means alice@contoso.com', repeat)
    .option('--sender <address>', 'sender address (its own send size limit applies)')
    .option('--size <size>', 'message size, e.g. 30MB: checked against site link, connector and recipient limits')
    .option('--down <name...>', 'servers, sites or send connectors to treat as unavailable (repeat, or list several)', collect)
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      examples([
        'mxt route plan --from EX01 --to alice@contoso.com --to someone@fabrikam.com',
        'mxt route plan --from EX02 --to all@contoso.com --size 30MB --format json',
        'mxt route plan --from EX01 --to someone@fabrikam.com --down EX02   # an outage: where does the message wait?',
        'mxt route plan --config examples/multi-site.mxt.yaml --from LON-EX01 --to x@fabrikam.com --sender alice@contoso.com',
      ]),
    )
    .action(async (opts) => {
      const { routePlanCommand } = await import('./commands/route-plan.js');
      await routePlanCommand(opts, ctx);
    });

  route
    .command('table')
    .description('every routing destination (DAGs, mailbox delivery groups, send connectors, expansion servers) as seen from each server')
    .option('--server <server>', 'only this server')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', examples(['mxt route table', 'mxt route table --server EX02', 'mxt route table --format json > routes.json']))
    .action(async (opts) => {
      const { routeTableCommand } = await import('./commands/route-table.js');
      await routeTableCommand(opts, ctx);
    });

  route
    .command('diff')
    .description('how the routing table changes between a base config (git revision or file) and the current one')
    .requiredOption('--base <ref|file>', 'git revision of the same config file (read with git show), or another config file')
    .option('--detailed-exitcode', 'exit 3 when routes change, 0 when they do not (for CI)')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `${examples([
        'mxt route diff --base origin/main   # the config as committed on origin/main',
        'mxt route diff --base HEAD --detailed-exitcode || echo "routes changed"',
        'mxt route diff --base examples/single-site.mxt.yaml --config examples/contoso.mxt.yaml --format json   # two files',
      ])}

Exit codes: 0 ok (or no route changed), 1 a config is invalid, 2 usage, I/O or internal error,
3 routes changed (with --detailed-exitcode).`,
    )
    .action(async (opts) => {
      const { routeDiffCommand } = await import('./commands/route-diff.js');
      await routeDiffCommand(opts, ctx);
    });

  route
    .command('test')
    .description('check routing expectations (a YAML file of from/to/expect cases); exits 1 when one fails')
    .argument('<file>', 'expectations file, e.g. examples/multi-site.routes.yaml')
    .addOption(configOption().default(undefined, 'the file named by `config:` in the assertion file, else found by cosmiconfig'))
    .addOption(formatOption(['text', 'json', 'junit']))
    .addHelpText(
      'after',
      `${examples(['mxt route test examples/multi-site.routes.yaml', 'mxt route test examples/multi-site.routes.yaml --format junit > route-junit.xml'])}

Expectations file:
  config: multi-site.mxt.yaml      # relative to this file
  tests:
    - name: fabrikam.com leaves by To Fabrikam
      from: EX01
      to: someone@fabrikam.com
      expect: { status: routed, connector: To Fabrikam, nextHop: To Fabrikam, hops: [EX01, EX02] }
  expect keys: status, recipientType, connector, deliveryType, nextHop, targets, deliveryGroup,
               routingDestination, sitePath, cost, hops, enhancedCode (case-insensitive compare)

${EXIT_CODES}`,
    )
    .action(async (file: string, opts) => {
      const { routeTestCommand } = await import('./commands/route-test.js');
      await routeTestCommand(file, opts, ctx);
    });
}
