/**
 * Use case of `mxt init`: build the starter topology (core/edit/init), check it like `mxt validate`
 * would, render it as YAML in the examples' style, and create the file (never over an existing one
 * unless forced). Returns data; never prints.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import { starterTopology, type InitInput } from '../core/edit/init.js';
import { check } from '../core/edit/plan.js';
import { ConfigError, UserError } from '../errors.js';
import { writeLocked } from '../io/atomic-write.js';
import { displayPath } from '../config/load.js';

export interface InitOutcome {
  status: 'written' | 'dry-run';
  file: string;
  text: string;
}

/** Sections whose entries read best one per line, `- { name: Paris }`, as in the examples. */
const FLOW_ENTRIES = new Set(['sites', 'siteLinks', 'servers', 'databaseAvailabilityGroups', 'mailboxDatabases', 'acceptedDomains', 'edgeSubscriptions']);

const STARTER_COMMENT = ' mxt topology: check it with `mxt validate`, edit it with `mxt site add`, `mxt connector add send` …';

/** A topology as YAML in the examples' style; `comment` heads the file (each line after a `#`). */
export function renderStarter(value: Record<string, unknown>, comment = STARTER_COMMENT): string {
  const doc = new Document(value);
  doc.commentBefore = comment;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const section = String((pair.key as { value?: unknown }).value);
      // recipients: { mailboxes: [ … ] }: one mailbox a line too.
      if (section === 'recipients' && isMap(pair.value)) for (const list of pair.value.items) if (isSeq(list.value)) for (const entry of list.value.items) if (isMap(entry)) entry.flow = true;
      if (!isSeq(pair.value)) continue;
      for (const entry of pair.value.items) {
        if (isMap(entry)) {
          entry.flow = FLOW_ENTRIES.has(section);
          flowScalarLists(entry);
        }
      }
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/\[ ([^\]\n]*?) \]/g, '[$1]');
}

/** Lists of scalars on one line; lists of mappings (adPermissions) one entry a line, theirs on one line. */
function flowScalarLists(map: YAMLMap): void {
  for (const p of map.items) {
    if (!isSeq(p.value)) continue;
    if (!p.value.items.some(isMap)) p.value.flow = true;
    else for (const item of p.value.items) if (isMap(item)) flowScalarLists(item);
  }
}

/**
 * What `init --output FILE` writes, by the file's extension: YAML (.yaml, .yml, and `.mxtrc`, a name
 * discovery reads as YAML) or JSON (.json).
 * Anything else is refused (issue 8, item 10), and so is package.json, which holds more than mxt's
 * topology: `--force` must never replace a project's manifest.
 */
export function initFormat(output: string): 'yaml' | 'json' {
  if (path.basename(output).toLowerCase() === 'package.json') {
    throw new UserError(`mxt init does not write ${output}: it holds the project's manifest, not only a topology`, 'write mxt.config.yaml (or add an "mxt" key to package.json by hand)');
  }
  const ext = path.extname(output).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || path.basename(output) === '.mxtrc') return 'yaml';
  if (ext === '.json') return 'json';
  throw new UserError(`--output ${output}: mxt init writes YAML (.yaml, .yml) or JSON (.json), not "${ext || 'no extension'}"`, 'e.g. --output mxt.config.yaml');
}

export async function initConfig(options: InitInput & { output: string; cwd: string; force?: boolean; dryRun?: boolean }): Promise<InitOutcome> {
  const format = initFormat(options.output);
  const file = path.resolve(options.cwd, options.output);
  const displayFile = displayPath(file, options.cwd);
  const value = starterTopology(options);
  const errors = check(value).filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors.map((f) => ({ ...f, message: `mxt init: ${f.message}` })), 1);
  const text = format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : renderStarter(value);
  if (options.dryRun) return { status: 'dry-run', file: displayFile, text };
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (exists && !options.force) throw new UserError(`${displayFile} already exists`, 'pass --force to replace it, or --output FILE to write elsewhere');
  await writeLocked(file, text, { exclusive: !options.force, display: displayFile });
  return { status: 'written', file: displayFile, text };
}
