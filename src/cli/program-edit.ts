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
  credential: 'credential',
  adPermissions: 'grants',
  bindings: 'ip:port,…',
};

/** One option per table row; the union over several kinds for `connector set`. */
function fieldOptions(kinds: readonly EditKind[], skip: readonly string[] = []): Option[] {
  const seen = new Set<string>(skip);
  const options: Option[] = [];
  for (const spec of kinds.flatMap((k) => k.fields)) {
    if (seen.has(spec.flag)) continue;
    seen.add(spec.flag);
    const choices = spec.choices ? ` (one of ${spec.choices.join(', ')})` : '';
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
  const serverOption = () => new Option('--server <server>', 'the receive connector\'s server (receive connectors are named per server; without it, a send connector)');
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

/** Examples per group and verb; each runs as written on the bundled examples/contoso.mxt.yaml (test/cli/help.test.ts). */
const EXAMPLES: Record<string, Record<string, string[]>> = {
  site: {
    add: ['mxt site add Marseille --hub-site-enabled false', 'mxt site add Marseille --dry-run   # show the change, write nothing'],
    list: ['mxt site list', 'mxt site list --format json'],
    show: ['mxt site show Lyon'],
    set: ['mxt site set Lyon --hub-site-enabled true', 'mxt site set Paris --unset hubSiteEnabled   # back to the default'],
    remove: ['mxt site remove Nice   # exits 1: the site link Lyon-Nice still joins it, so nothing is written'],
  },
  sitelink: {
    add: ['mxt sitelink add Paris-Nice --sites Paris,Nice --cost 20'],
    list: ['mxt sitelink list'],
    show: ['mxt sitelink show Lyon-Nice --format json'],
    set: ['mxt sitelink set Paris-Lyon --max-message-size 20MB', 'mxt sitelink set Lyon-Nice --cost 5 --dry-run'],
    remove: ['mxt sitelink remove Lyon-Nice --dry-run'],
  },
  server: {
    add: ['mxt server add EX03 --site Nice --fqdn ex03.contoso.com --addresses 10.3.0.13', 'mxt server add EDGE02 --role Edge --addresses 203.0.113.11'],
    list: ['mxt server list'],
    show: ['mxt server show EX01'],
    set: ['mxt server set EX02 --addresses 10.2.0.12,10.2.0.22'],
    remove: ['mxt server remove EX02 --dry-run   # exits 1: DAG1 and the connector To Fabrikam still use it'],
  },
  dag: {
    add: ['mxt dag add DAG2'],
    list: ['mxt dag list'],
    show: ['mxt dag show DAG1'],
    set: ['mxt dag set DAG1 --members EX01,EX02'],
    remove: ['mxt dag remove DAG1 --dry-run   # exits 1: database DB01 is held by it'],
  },
  database: {
    add: ['mxt database add DB02 --master-server-or-availability-group DAG1 --activation-preference EX02,EX01', 'mxt database add DB03 --master-server-or-availability-group DAG1 --dry-run'],
    list: ['mxt database list'],
    show: ['mxt database show DB01'],
    set: ['mxt database set DB01 --activation-preference EX02,EX01'],
    remove: ['mxt database remove DB01 --dry-run   # exits 1: the mailbox alice@contoso.com is in it'],
  },
  domain: {
    add: ['mxt domain add northwind.com', 'mxt domain add partners.contoso.com --domain-type InternalRelay --dry-run'],
    list: ['mxt domain list'],
    show: ['mxt domain show contoso.com'],
    set: ['mxt domain set contoso.com --match-sub-domains true'],
    remove: ['mxt domain remove legacy.contoso.com'],
  },
  connector: {
    list: ['mxt connector list', 'mxt connector list --format json'],
    show: ['mxt connector show "To Fabrikam"', 'mxt connector show "App relay EX01" --server EX01 --format json'],
    set: ['mxt connector set "To Fabrikam" --port 25 --dry-run', 'mxt connector set "App relay EX01" --server EX01 --remote-ip-ranges 10.1.5.0/24,10.1.6.0/24'],
    remove: ['mxt connector remove "To Fabrikam" --dry-run', 'mxt connector remove "App relay EX01" --server EX01'],
  },
};

/** The examples of a group's own help: one per verb. */
function groupExamples(group: string): string[] {
  return Object.values(EXAMPLES[group] ?? {}).map((list) => list[0]!);
}

export function registerEditCommands(program: Command, ctx: CliContext): void {
  const init = common(program.command('init').description('write a starter config: organization, sites and site links, servers, accepted domain, Internet send connector, a first mailbox'))
    .option('--org <name>', 'organization name')
    .option('--domain <domain>', 'default accepted domain, e.g. contoso.com')
    .option('--sites <sites>', 'AD sites, comma-separated: Paris,Lyon')
    .option('--servers <list>', 'Mailbox servers as NAME:SITE, comma-separated (default one per site: EX01, EX02, …)')
    .option('--site-links <list>', 'site links as SITE-SITE:COST, comma-separated, e.g. Paris-Lyon:10 (needed with two sites or more; cost 100 when left out)')
    .option('--mailbox <address>', 'a first mailbox as ADDRESS[:DATABASE] (database DB01 on the first server unless named); without one every internal address is refused')
    .option('-o, --output <file>', 'file to create (default mxt.config.yaml; --config names it too)')
    .option('--force', 'replace an existing file')
    .addHelpText(
      'after',
      examples([
        'mxt init --output new.mxt.yaml   # a wizard on a terminal; without one (CI) it exits 2 and names the missing flags',
        'mxt init --org Contoso --domain contoso.com --sites Paris,Lyon --servers EX01:Paris,EX02:Lyon --site-links Paris-Lyon:10 --mailbox alice@contoso.com --output new.mxt.yaml',
        'mxt init --org Contoso --domain contoso.com --sites Paris --mailbox alice@contoso.com:DB01 --output new.mxt.yaml',
      ]),
    );
  init.action(async (opts: Opts) => {
    const { initCommand } = await import('./commands/init.js');
    await initCommand(opts, ctx);
  });

  const connector = program
    .command('connector')
    .description('send and receive connectors: add, list, show, set, remove')
    .addHelpText(
      'after',
      examples([
        'mxt connector add send "To Tailspin" --address-spaces "SMTP:tailspintoys.com;1" --source-transport-servers EX01 --smart-hosts mail.tailspintoys.com',
        ...groupExamples('connector'),
      ]),
    );
  registerVerbs(connector, CONNECTOR_KINDS, ctx, 'connector', (group) => {
    const sendExamples = [
      'mxt connector add send "To Tailspin" --usage Partner --address-spaces "SMTP:tailspintoys.com;1" --source-transport-servers EX01 --smart-hosts mail.tailspintoys.com --port 587 --require-tls true',
      'mxt connector add send "To Northwind" --address-spaces "SMTP:northwind.com;1" --source-transport-servers EX01,EX02   # by MX records',
      'mxt connector add send   # on a terminal a wizard asks for every missing setting; without one it exits 2 and names the flags',
    ];
    const receiveExamples = [
      'mxt connector add receive "App relay EX02" --server EX02 --usage Custom --bindings 0.0.0.0:25 --remote-ip-ranges 10.2.5.0/24 --permission-groups AnonymousUsers',
      'mxt connector add receive "Partner in" --server EX01 --usage Partner --bindings 10.1.0.11:25 --remote-ip-ranges 198.51.100.0/24',
    ];
    const add = group
      .command('add')
      .description('add a send or a receive connector (a wizard on a terminal asks for what the flags leave out)')
      .addHelpText('after', examples([sendExamples[0]!, receiveExamples[0]!]));
    addVerb(
      add.command('send').description('add a send connector: where mail goes (address spaces), which servers send it, how it leaves (MX records or smart hosts); --usage fills the usual defaults'),
      SEND_CONNECTOR,
      ctx,
    ).addHelpText('after', examples(sendExamples));
    addVerb(
      add.command('receive').description('add a receive connector: the server, addresses and ports it listens on, the clients it serves and who may use it; --usage fills the usual defaults'),
      RECEIVE_CONNECTOR,
      ctx,
    ).addHelpText('after', examples(receiveExamples));
  });
  for (const verb of connector.commands) if (EXAMPLES.connector![verb.name()]) verb.addHelpText('after', examples(EXAMPLES.connector![verb.name()]!));

  for (const kind of OBJECT_KINDS) {
    const group = program
      .command(kind.id)
      .description(`${kind.noun}s: add, list, show, set, remove`)
      .addHelpText('after', examples(groupExamples(kind.id)));
    registerVerbs(group, [kind], ctx, kind.noun, (g) => {
      addVerb(g.command('add').description(`add a ${kind.noun} (a wizard on a terminal asks for what the flags leave out)`), kind, ctx);
    });
    for (const verb of group.commands) verb.addHelpText('after', examples(EXAMPLES[kind.id]?.[verb.name()] ?? []));
  }
}
