/** Use cases of `list` and `show`: the entries of one kind as written in the file. */
import { findEntry, sectionOf, describeIdentity, type Identity } from '../core/edit/plan.js';
import type { EditKind } from '../core/edit/kinds.js';
import { UserError } from '../errors.js';
import { loadForEdit } from './edit.js';

export type Entry = Record<string, unknown>;

export async function listEntries(options: { config?: string; cwd: string; kinds: readonly EditKind[] }): Promise<{ kind: EditKind; entry: Entry }[]> {
  const target = await loadForEdit(options);
  return options.kinds.flatMap((kind) => sectionOf(target.value, kind).map((entry) => ({ kind, entry })));
}

export async function showEntry(options: { config?: string; cwd: string; kind: EditKind; identity: Identity }): Promise<Entry> {
  const target = await loadForEdit(options);
  const index = findEntry(target.value, options.kind, options.identity);
  if (index < 0) throw new UserError(`no ${describeIdentity(options.kind, options.identity)} in ${target.displayFile}`, 'list them with the `list` command');
  return sectionOf(target.value, options.kind)[index]!;
}
