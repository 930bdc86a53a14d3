/**
 * `mxt init` and the edit commands: `connector add send|receive`, `connector list|show|set|remove`,
 * and add|list|show|set|remove for site, sitelink, server, dag, database, domain. Every flag comes from
 * the one table per object kind in core/edit/kinds.ts (import-free, so start-up stays light); each
 * action lazy-imports its command module.
 */
import { Option, type Command } from 'commander';
import type { FieldSpec } from '../core/edit/fields.js';
import { CONNECTOR_KINDS, OBJECT_KINDS, RECEIVE_CONNECTOR, SEND_CONNECTOR, type EditKind } from '../core/edit/kinds.js';
import type { CliContext } from './context.js';
import { configOption, examples, formatOption } from './options.js';

type Opts = Record<string, unknown>;

/** Loaded only when an edit command runs. */
const editCommands = () => import('./commands/edit-object.js');

const PLACEHOLDER: Record<FieldSpec['parse'], string> = {
  string: 'text',
  strings: 'a,b',
  bool: 'true|false',
  int: 'n',
  size: 'size',
  duration: 'duration',
  limit: 'n|unlimited',
  enum: 'value',
  enums: 'a,b',
  addressSpaces: 'spaces',
  ipRanges: 'ranges',
  ipAddresses: 'ips',
  credential: 'username=…,passwordEnv=…',
  adPermissions: 'principal=right,…',
  bindings: 'ip:port,…',
};

/** One option per table row; the union over several kinds for `connector set`. */
function fieldOptions(kinds: readonly EditKind[], skip: readonly string[] = []): Option[] {
  const seen = new Set<string>(skip);
  const options: Option[] = [];
  for (const spec of kinds.flatMap((k) => k.fields)) {
    if (seen.has(spec.flag)) continue;
    seen.add(spec.flag);
    const choices = spec.choices ? ` (${spec.choices.join('|')})` : '';
    options.push(new Option(`--${spec.flag} <${PLACEHOLDER[spec.parse]}>`, `${spec.description}${choices}`));
  }
  return options;
}

/** Every edit command takes --config and --dry-run (a no-op where nothing is ever written). */
function common(command: Command, writes = true): Command {
  command.addOption(configOption());
  command.option('-n, --dry-run', writes ? 'print the change as a unified diff and write nothing' : 'accepted for symmetry: this command never writes');
  return command;
}

function withOptions(command: Command, options: Option[]): Command {
  for (const option of options) command.addOption(option);
  return command;
}

const identityHelp = (kind: EditKind) => (kind.identity[0] === 'domainName' ? 'domain' : 'name');

function registerVerbs(group: Command, kinds: readonly EditKind[], ctx: CliContext, label: string, add: (group: Command) => void): void {
  add(group);
  const receive = kinds.includes(RECEIVE_CONNECTOR);
  const serverOption = () => new Option('--server <server>', 'server of the receive connector (receive connectors are named per server)');
  const list = common(group.command('list').description(`list the ${label}s of the config`), false).addOption(formatOption(['text', 'json']));
  list.action(async (opts: Opts) => (await editCommands()).listCommand(kinds, opts, ctx));
  const show = common(group.command('show').description(`show one ${label} as written`), false)
    .argument(`<${identityHelp(kinds[0]!)}>`)
    .addOption(formatOption(['text', 'json']));
  if (receive) show.addOption(serverOption());
  show.action(async (id: string, opts: Opts) => (await editCommands()).showCommand(kinds, id, opts, ctx));
  const set = withOptions(common(group.command('set').description(`change settings of one ${label}`)).argument(`<${identityHelp(kinds[0]!)}>`), fieldOptions(kinds))
    .option('--unset <keys>', 'keys to remove so their default applies again, comma-separated (config key or flag name)');
  set.action(async (id: string, opts: Opts) => (await editCommands()).setCommand(kinds, id, opts, ctx));
  const remove = common(group.command('remove').description(`remove one ${label}`)).argument(`<${identityHelp(kinds[0]!)}>`);
  if (receive) remove.addOption(serverOption());
  remove.action(async (id: string, opts: Opts) => (await editCommands()).removeCommand(kinds, id, opts, ctx));
}

function addVerb(command: Command, kind: EditKind, ctx: CliContext): Command {
  withOptions(common(command).argument(`[${identityHelp(kind)}]`, `same as --${kind.identity.length > 1 ? 'name' : kind.identity[0] === 'domainName' ? 'domain-name' : 'name'}`), fieldOptions([kind]));
  return command.action(async (id: string | undefined, opts: Opts) => (await editCommands()).addCommand(kind, id, opts, ctx));
}

const EXAMPLES: Record<string, string[]> = {
  site: ['mxt site add Marseille --hub-site-enabled false', 'mxt site set Lyon --hub-site-enabled true', 'mxt site list --format json'],
  sitelink: ['mxt sitelink add Lyon-Marseille --sites Lyon,Marseille --cost 10', 'mxt sitelink set Paris-Lyon --max-message-size 20MB'],
  server: ['mxt server add EX03 --site Lyon --fqdn ex03.contoso.com --addresses 10.2.0.13', 'mxt server remove EX03 --dry-run'],
  dag: ['mxt dag add DAG2 --members EX03,EX04', 'mxt dag set DAG1 --members EX01,EX02,EX03'],
  database: ['mxt database add DB02 --master-server-or-availability-group DAG1 --activation-preference EX02,EX01'],
  domain: ['mxt domain add fabrikam.com --domain-type InternalRelay', 'mxt domain set contoso.com --match-sub-domains true'],
};

export function registerEditCommands(program: Command, ctx: CliContext): void {
  const init = common(program.command('init').description('write a starter config: organization, sites, servers, accepted domain, Internet send connector'))
    .option('--org <name>', 'organization name')
    .option('--domain <domain>', 'default accepted domain, e.g. contoso.com')
    .option('--sites <sites>', 'AD sites, comma-separated: Paris,Lyon')
    .option('--servers <list>', 'Mailbox servers as NAME:SITE, comma-separated (default one per site: EX01, EX02, …)')
    .option('-o, --output <file>', 'file to create (default mxt.config.yaml; --config names it too)')
    .option('--force', 'replace an existing file')
    .addHelpText('after', examples(['mxt init', 'mxt init --org Contoso --domain contoso.com --sites Paris,Lyon --servers EX01:Paris,EX02:Lyon']));
  init.action(async (opts: Opts) => {
    const { initCommand } = await import('./commands/init.js');
    await initCommand(opts, ctx);
  });

  const connector = program.command('connector').description('send and receive connectors: add, list, show, set, remove');
  registerVerbs(connector, CONNECTOR_KINDS, ctx, 'connector', (group) => {
    const add = group.command('add').description('add a send or a receive connector (wizard on a terminal when flags are missing)');
    addVerb(add.command('send').description('add a send connector (New-SendConnector, R180); --usage presets per R110/A2'), SEND_CONNECTOR, ctx).addHelpText(
      'after',
      examples([
        'mxt connector add send "To Fabrikam" --address-spaces "SMTP:fabrikam.com;10" --source-transport-servers EX01,EX02 --dns-routing-enabled false --smart-hosts mail.fabrikam.com',
        'mxt connector add send "To Internet" --usage Internet --address-spaces "SMTP:*;10" --source-transport-servers EX01',
      ]),
    );
    addVerb(add.command('receive').description('add a receive connector (New-ReceiveConnector, R181); --usage presets per R35'), RECEIVE_CONNECTOR, ctx).addHelpText(
      'after',
      examples([
        'mxt connector add receive "App relay" --server EX01 --usage Custom --bindings 0.0.0.0:25 --remote-ip-ranges 10.1.5.0/24 --permission-groups AnonymousUsers',
        'mxt connector add receive "Internet in" --server EX01 --usage Internet --bindings 10.1.0.11:25',
      ]),
    );
  });
  for (const verb of connector.commands) {
    if (verb.name() === 'show' || verb.name() === 'set' || verb.name() === 'remove') {
      verb.addHelpText('after', examples([`mxt connector ${verb.name()} "To Fabrikam"`, `mxt connector ${verb.name()} "App relay EX01" --server EX01`]));
    }
  }

  for (const kind of OBJECT_KINDS) {
    const group = program.command(kind.id).description(`${kind.noun}s: add, list, show, set, remove`);
    registerVerbs(group, [kind], ctx, kind.noun, (g) => {
      addVerb(g.command('add').description(`add a ${kind.noun} (wizard on a terminal when flags are missing)`), kind, ctx);
    });
    for (const verb of group.commands) verb.addHelpText('after', examples(EXAMPLES[kind.id] ?? []));
  }
}
