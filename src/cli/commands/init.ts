/** `mxt init`: flags, or the wizard on a terminal for the ones missing; then app/init writes the file. */
import { initConfig, initFormat } from '../../app/init.js';
import { defaultServers, parseMailbox, parseServerList, parseSiteLinks, serversOutsideSites, type InitInput } from '../../core/edit/init.js';
import { splitList } from '../../core/edit/parse-field.js';
import { isDomainName } from '../../core/model/address-space.js';
import { UserError } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { InitDraft } from '../prompts/init-wizard.js';
import { renderDiff } from '../render/edit-text.js';

type Opts = Record<string, unknown>;

function draftOf(opts: Opts): InitDraft {
  const problems: string[] = [];
  const draft: InitDraft = {};
  if (typeof opts.org === 'string') draft.organization = opts.org.trim();
  if (typeof opts.domain === 'string') {
    if (!isDomainName(opts.domain.trim())) problems.push(`--domain: "${opts.domain}" is not a domain name`);
    draft.domain = opts.domain.trim();
  }
  if (typeof opts.sites === 'string') draft.sites = splitList(opts.sites);
  if (typeof opts.servers === 'string') {
    const parsed = parseServerList(opts.servers);
    problems.push(...parsed.problems);
    draft.servers = parsed.servers;
  }
  if (typeof opts.siteLinks === 'string') {
    if (!draft.sites) problems.push('--site-links needs --sites');
    else {
      const parsed = parseSiteLinks(opts.siteLinks, draft.sites);
      problems.push(...parsed.problems);
      draft.siteLinks = parsed.links;
    }
  }
  if (typeof opts.mailbox === 'string') {
    if (!draft.domain) problems.push('--mailbox needs --domain');
    else {
      const parsed = parseMailbox(opts.mailbox, draft.domain);
      if (parsed.problem) problems.push(parsed.problem);
      draft.mailbox = parsed.mailbox;
    }
  }
  if (draft.sites && draft.servers) {
    for (const server of serversOutsideSites(draft.servers, draft.sites)) problems.push(`--servers: ${server.name} is in site ${server.site}, which is not in --sites (V2)`);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), 'see `mxt init --help`');
  return draft;
}

export async function initCommand(opts: Opts, ctx: CliContext): Promise<void> {
  const draft = draftOf(opts);
  // Site links decide routing: with two sites or more they are asked for, never made up.
  const linksMissing = !draft.siteLinks && (draft.sites?.length ?? 0) > 1;
  const missing = [draft.organization ? '' : '--org', draft.domain ? '' : '--domain', draft.sites?.length ? '' : '--sites', linksMissing ? '--site-links' : ''].filter(Boolean);
  const output = (opts.output as string | undefined) ?? (opts.config as string | undefined) ?? 'mxt.config.yaml';
  initFormat(output); // before any question: a wrong --output is refused at once
  let input: InitInput;
  let wizard = false;
  if (missing.length > 0) {
    if (!ctx.stdinIsTTY) {
      throw new UserError(`missing ${missing.join(', ')}`, 'give them as flags (no terminal to ask on): mxt init --org Contoso --domain contoso.com --sites Paris,Lyon --site-links Paris-Lyon:10');
    }
    const { cancellable } = await import('../prompts/ask.js');
    const { askInit } = await import('../prompts/init-wizard.js');
    input = await cancellable(ctx, () => askInit(draft));
    wizard = true;
  } else {
    input = {
      organization: draft.organization!,
      domain: draft.domain!,
      sites: draft.sites!,
      servers: draft.servers ?? defaultServers(draft.sites!),
      siteLinks: draft.siteLinks ?? [],
      ...(draft.mailbox ? { mailbox: draft.mailbox } : {}),
    };
  }
  const preview = await initConfig({ ...input, output, cwd: ctx.cwd, dryRun: true });
  if (opts.dryRun) {
    ctx.out(preview.text.trimEnd());
    ctx.err(`dry run: nothing written to ${preview.file}`);
    return;
  }
  if (wizard) {
    const { cancellable, askConfirm } = await import('../prompts/ask.js');
    const { unifiedDiff } = await import('../../app/edit.js');
    const ok = await cancellable(ctx, async () => {
      ctx.out(renderDiff(unifiedDiff(preview.file, '', preview.text), ctx.colorLevel));
      return askConfirm(`Write ${preview.file}?`, true);
    });
    if (!ok) {
      ctx.out(`nothing written: ${preview.file} not created`);
      return;
    }
  }
  const written = await initConfig({ ...input, output, cwd: ctx.cwd, force: Boolean(opts.force) });
  ctx.out(`wrote ${written.file}: ${input.sites.length} site(s), ${input.siteLinks?.length ?? 0} site link(s), ${input.servers.length} server(s), ${input.mailbox ? `mailbox ${input.mailbox.address}` : 'no mailbox'}; check it with \`mxt validate --config ${written.file}\``);
  if (!input.mailbox) {
    ctx.out(
      `note: no recipients yet, so mail to every @${input.domain.toLowerCase()} address is refused as an unknown recipient; ` +
        'add mailboxes under recipients.mailboxes (with a database under mailboxDatabases), or run init again with --mailbox ADDRESS[:DATABASE]',
    );
  }
}
