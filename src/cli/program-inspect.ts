/** `mxt route inbound` (a subcommand of `route`) and `mxt graph`. */
import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';
import { configOption, examples, formatOption } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerInboundCommand(route: Command, ctx: CliContext): void {
  route
    .command('inbound')
    .description(
      'play one inbound SMTP session through a server\'s receive side: which receive connector takes it, ' +
        'what the client may do there, the EHLO reply, and the reply to MAIL FROM and to each RCPT TO',
    )
    .addOption(configOption())
    .requiredOption('--server <name>', 'server the client connects to')
    .requiredOption('--remote-ip <ip>', 'IP address the client connects from')
    .option('--local-ip <ip>', 'local address the client dialled (default: the server\'s first address of that family)')
    .option('--port <port>', 'port the client connects to', '25')
    .addOption(new Option('--auth <how>', 'how the client authenticates: none, as a user, as an Exchange server, as a partner').choices(['none', 'user', 'server', 'partner']).default('none'))
    .option('--sender <addr>', 'MAIL FROM address (default: the null sender <>)')
    .option('--size <size>', 'message size the client announces at MAIL FROM (SIZE=), e.g. 30MB')
    .option('--to <addr>', 'recipient (repeat, or list several separated by commas); <alice@contoso.com> means alice@contoso.com', collect, [])
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      examples([
        'mxt route inbound --server EX01 --remote-ip 203.0.113.9 --to someone@fabrikam.com',
        'mxt route inbound --server EX01 --remote-ip 10.1.5.20 --sender app@contoso.com --to someone@fabrikam.com   # app relay connector',
        'mxt route inbound --server EX01 --remote-ip 198.51.100.7 --port 587 --auth user --to bob@fabrikam.com --format json',
        'mxt route inbound --server EDGE01 --remote-ip 198.51.100.20 --size 40MB --to alice@contoso.com',
      ]),
    )
    .action(async (opts) => {
      const { routeInboundCommand } = await import('./commands/route-inbound.js');
      await routeInboundCommand(opts, ctx);
    });
}

export function registerGraphCommand(program: Command, ctx: CliContext): void {
  program
    .command('graph')
    .description('draw the topology: sites with their link costs, servers, DAGs, send connectors and Edge servers; optionally one route highlighted')
    .addOption(configOption())
    .addOption(new Option('-f, --format <format>', 'picture format: mermaid (for Markdown), dot (Graphviz) or svg (an image)').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
    .option('--route-from <server>', 'highlight the route from this server …')
    .option('--route-to <addr>', '… to this recipient')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addHelpText(
      'after',
      examples([
        'mxt graph > topology.mmd',
        'mxt graph --format dot > topology.dot   # then with Graphviz: dot -Tpng topology.dot > topology.png',
        'mxt graph --format svg --output topology.svg',
        'mxt graph --format svg --route-from EX01 --route-to someone@fabrikam.com --output route.svg',
      ]),
    )
    .action(async (opts) => {
      const { graphCommand } = await import('./commands/graph.js');
      await graphCommand(opts, ctx);
    });
}
