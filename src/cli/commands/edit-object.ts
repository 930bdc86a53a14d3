/**
 * The edit verbs for every kind: flags → draft (usage preset, wizard on a terminal for what is
 * missing) → app/edit (plan, validate, write safely) → render. No logic of its own beyond deciding
 * when to ask.
 */
import { runEdit, loadForEdit, type EditOutcome, type EditTarget } from '../../app/edit.js';
import { listEntries, showEntry } from '../../app/edit-query.js';
import { RECEIVE_CONNECTOR, SEND_CONNECTOR, type Draft, type EditKind } from '../../core/edit/kinds.js';
import { describeIdentity, findEntry, identityOf, type Identity } from '../../core/edit/plan.js';
import { receiveConnectorPreset, sendConnectorPreset } from '../../core/edit/presets.js';
import { UserError } from '../../errors.js';
import { defaultFormat, type CliContext } from '../context.js';
import { renderDiff, renderEntry, renderEntryList } from '../render/edit-text.js';
import { visible } from '../render/escape.js';
import { collectValues, flagsOf, unsetKeys } from './edit-flags.js';
import { sameName } from '../../core/model/names.js';

type Opts = Record<string, unknown>;

/** `connector …`: a receive connector when --server is given (they are named per server), else a send connector. */
function pickKind(kinds: readonly EditKind[], opts: Opts): EditKind {
  if (kinds.length === 1) return kinds[0]!;
  return opts.server !== undefined ? RECEIVE_CONNECTOR : SEND_CONNECTOR;
}

function targetOf(opts: Opts, ctx: CliContext): Promise<EditTarget> {
  return loadForEdit({ config: opts.config as string | undefined, cwd: ctx.cwd });
}

function identityFor(kind: EditKind, id: string, opts: Opts): Identity {
  if (kind.identity.length === 1) return { [kind.identity[0]!]: id };
  return { server: String(opts.server), name: id };
}

function serverRole(target: EditTarget, server: unknown): 'Mailbox' | 'Edge' {
  const servers = (target.value as { servers?: { name?: string; role?: string }[] } | null)?.servers ?? [];
  const found = servers.find((s) => typeof server === 'string' && typeof s.name === 'string' && sameName(s.name, server));
  return found?.role === 'Edge' ? 'Edge' : 'Mailbox';
}

function withPreset(kind: EditKind, draft: Draft, target: EditTarget): Draft {
  if (kind.id !== 'send' && kind.id !== 'receive') return draft;
  const preset = kind.id === 'send' ? sendConnectorPreset(draft) : receiveConnectorPreset(draft, serverRole(target, draft.server));
  if (preset.problems.length > 0) throw new UserError(preset.problems.join('\n'), 'see `mxt connector add --help`');
  return preset.draft;
}

export async function addCommand(kind: EditKind, id: string | undefined, opts: Opts, ctx: CliContext): Promise<void> {
  const given = collectValues(kind, opts);
  const nameKey = kind.identity[kind.identity.length - 1]!;
  if (id !== undefined) given[nameKey] = id;
  const target = await targetOf(opts, ctx);
  let draft = withPreset(kind, given, target);
  let missing = kind.required(draft);
  const connector = kind.id === 'send' || kind.id === 'receive';
  const wizard = ctx.stdinIsTTY && (missing.length > 0 || (connector && given.usage === undefined && kind.required(given).length > 0));
  if (!wizard && missing.length > 0) {
    throw new UserError(`missing ${flagsOf(kind, missing).join(', ')}`, `give ${missing.length > 1 ? 'them' : 'it'} as flags (no terminal to ask on), e.g. \`mxt ${connector ? `connector add ${kind.id}` : `${kind.id} add`} --help\``);
  }
  let confirm: ((diff: string) => Promise<boolean>) | undefined;
  if (wizard && kind.identity.every((key) => typeof given[key] === 'string')) {
    // A name already taken is refused before the first question, not after the last.
    const identity = identityOf(kind, given);
    if (findEntry(target.value, kind, identity) >= 0) throw new UserError(`${describeIdentity(kind, identity)} already exists`, 'pick another name, or change it with `set`');
  }
  if (wizard) {
    const { cancellable, askConfirm } = await import('../prompts/ask.js');
    draft = await cancellable(ctx, async () => {
      if (kind.id === 'send') {
        const { askSendConnector } = await import('../prompts/connector-wizard.js');
        return withPreset(kind, await askSendConnector(given, target.value), target);
      }
      if (kind.id === 'receive') {
        const { askReceiveConnector } = await import('../prompts/connector-wizard.js');
        const preset = (d: Draft) => receiveConnectorPreset(d, serverRole(target, d.server)).draft;
        return withPreset(kind, await askReceiveConnector(given, target.value, preset, (server) => serverRole(target, server)), target);
      }
      const { askExtras, askMissing } = await import('../prompts/object-wizard.js');
      const answered = { ...given, ...(await askMissing(kind, kind.required(given), target.value)) };
      return { ...answered, ...(await askExtras(kind, answered)) };
    });
    missing = kind.required(draft);
    if (missing.length > 0) throw new UserError(`missing ${flagsOf(kind, missing).join(', ')}`);
    confirm = (diff) =>
      cancellable(ctx, async () => {
        ctx.out(renderDiff(diff, ctx.colorLevel));
        return askConfirm(`Write this change to ${target.displayFile}?`, true);
      });
  }
  const outcome = await runEdit({ target, request: { action: 'add', kind, values: draft }, dryRun: Boolean(opts.dryRun), confirm });
  await report(outcome, ctx);
}

export async function setCommand(kinds: readonly EditKind[], id: string, opts: Opts, ctx: CliContext): Promise<void> {
  const kind = pickKind(kinds, opts);
  const values = collectValues(kind, opts, kind.id === 'receive' ? ['server'] : []);
  const unset = unsetKeys(kind, opts.unset as string | undefined);
  if (Object.keys(values).length === 0 && unset.length === 0) {
    throw new UserError(`nothing to change: give at least one ${kind.noun} flag or --unset`, `see \`--help\` for the ${kind.noun} flags`);
  }
  const target = await targetOf(opts, ctx);
  const outcome = await runEdit({ target, request: { action: 'set', kind, identity: identityFor(kind, id, opts), values, unset }, dryRun: Boolean(opts.dryRun) });
  await report(outcome, ctx);
}

export async function removeCommand(kinds: readonly EditKind[], id: string, opts: Opts, ctx: CliContext): Promise<void> {
  const kind = pickKind(kinds, opts);
  const target = await targetOf(opts, ctx);
  const outcome = await runEdit({ target, request: { action: 'remove', kind, identity: identityFor(kind, id, opts) }, dryRun: Boolean(opts.dryRun) });
  await report(outcome, ctx);
}

export async function listCommand(kinds: readonly EditKind[], opts: Opts, ctx: CliContext): Promise<void> {
  const rows = await listEntries({ config: opts.config as string | undefined, cwd: ctx.cwd, kinds });
  if (defaultFormat(ctx, opts.format as string | undefined) === 'json') {
    const data = kinds.length > 1 ? rows.map(({ kind, entry }) => ({ type: kind.id, ...entry })) : rows.map(({ entry }) => entry);
    ctx.out(JSON.stringify(data, null, 2));
  } else ctx.out(renderEntryList(rows, ctx.colorLevel));
}

export async function showCommand(kinds: readonly EditKind[], id: string, opts: Opts, ctx: CliContext): Promise<void> {
  const kind = pickKind(kinds, opts);
  const entry = await showEntry({ config: opts.config as string | undefined, cwd: ctx.cwd, kind, identity: identityFor(kind, id, opts) });
  if (defaultFormat(ctx, opts.format as string | undefined) === 'json') ctx.out(JSON.stringify(entry, null, 2));
  else ctx.out(renderEntry(entry));
}

async function report(edited: EditOutcome, ctx: CliContext): Promise<void> {
  // Summary and file name quote the input; diff and findings escape their own lines.
  const outcome = { ...edited, summary: visible(edited.summary), file: visible(edited.file) };
  if (outcome.warnings.length > 0 && outcome.status !== 'unchanged') {
    const { renderFindingsText } = await import('../render/findings-text.js');
    ctx.err(renderFindingsText(edited.warnings, new Map([[edited.file, edited.after]]), ctx.colorLevel));
  }
  switch (outcome.status) {
    case 'unchanged':
      ctx.out(`no change: ${outcome.file} already says so (file left as it is)`);
      return;
    case 'dry-run':
      ctx.out(renderDiff(outcome.diff, ctx.colorLevel));
      ctx.err(`dry run: ${outcome.summary}; nothing written to ${outcome.file}`);
      return;
    case 'declined':
      // Answering no is the admin's choice, not an invalid topology (exit 1): exit 0, nothing written.
      ctx.out(`nothing written: ${outcome.file} left as it is`);
      return;
    case 'written':
      ctx.out(`${outcome.summary} in ${outcome.file}`);
  }
}
