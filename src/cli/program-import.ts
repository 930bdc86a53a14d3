/** `mxt import exchange`: an Exchange organization's transport configuration in. The action lazy-imports its command module. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { examples } from './options.js';

export function registerImportCommands(program: Command, ctx: CliContext): void {
  const importing = program
    .command('import')
    .description('make an mxt config from an existing organization')
    .addHelpText('after', examples(['mxt import exchange examples/contoso.exchange.json --output imported.mxt.yaml']));
  importing
    .command('exchange')
    .description(
      'read Get-… | ConvertTo-Json dumps of an Exchange organization (AD sites and links, servers, DAGs, databases, accepted domains, send and receive connectors, transport settings, Edge subscriptions, recipients) and write the mxt config they describe',
    )
    .argument('<file...>', 'JSON files: one per cmdlet (an object or a list), named after it or not, or one combined file { "Get-SendConnector": [...], ... }')
    .option('-o, --output <file>', 'write the config to this YAML file instead of standard output')
    .option('--force', 'replace an existing --output file; write the config even when it does not validate (exit 1 then)')
    .addHelpText(
      'after',
      examples([
        'mxt import exchange examples/contoso.exchange.json   # the config on standard output',
        'mxt import exchange examples/contoso.exchange.json --output imported.mxt.yaml && mxt route diff --base examples/contoso.mxt.yaml --config imported.mxt.yaml --detailed-exitcode',
        'mxt import exchange examples/contoso.mxt.yaml   # exits 1: a YAML config is not a JSON dump',
      ]) +
        '\n\nMake the dumps in the Exchange Management Shell, one file per cmdlet, e.g.:' +
        '\n  Get-SendConnector | ConvertTo-Json -Depth 4 | Set-Content -Encoding utf8 Get-SendConnector.json' +
        '\nfor Get-AdSite, Get-AdSiteLink, Get-ExchangeServer, Get-TransportService, Get-AcceptedDomain,' +
        '\nGet-DatabaseAvailabilityGroup, Get-MailboxDatabase, Get-SendConnector, Get-TransportConfig,' +
        '\nGet-EdgeSubscription, Get-ReceiveConnector -Server S (each server) and its | Get-ADPermission, and' +
        '\noptionally Get-Mailbox, Get-DistributionGroup, Get-MailContact. A file is recognised by its' +
        '\nobjects\' properties, else by its name. Values equal to the defaults, default receive connectors' +
        '\nas Exchange made them and a subscription\'s EdgeSync connectors are left out. The config is' +
        '\nvalidated first: with errors nothing is written (exit 1) unless --force is given.',
    )
    .action(async (files: string[], opts: { output?: string; force?: boolean }) => {
      const { importExchangeCommand } = await import('./commands/import.js');
      await importExchangeCommand(files, opts, ctx);
    });
}
