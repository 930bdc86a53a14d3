/**
 * Use case of `mxt init`: build the starter topology (core/edit/init), check it like `mxt validate`
 * would, render it as YAML in the examples' style, and create the file (never over an existing one
 * unless forced). Returns data; never prints.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Document, isMap, isSeq } from 'yaml';
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
const FLOW_ENTRIES = new Set(['sites', 'siteLinks', 'servers', 'acceptedDomains']);

export function renderStarter(value: Record<string, unknown>): string {
  const doc = new Document(value);
  doc.commentBefore = ' mxt topology: check it with `mxt validate`, edit it with `mxt site add`, `mxt connector add send` …';
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const section = String((pair.key as { value?: unknown }).value);
      if (!isSeq(pair.value)) continue;
      for (const entry of pair.value.items) {
        if (isMap(entry)) {
          entry.flow = FLOW_ENTRIES.has(section);
          for (const p of entry.items) if (isSeq(p.value)) p.value.flow = true;
        }
      }
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/\[ ([^\]\n]*?) \]/g, '[$1]');
}

export async function initConfig(options: InitInput & { output: string; cwd: string; force?: boolean; dryRun?: boolean }): Promise<InitOutcome> {
  const file = path.resolve(options.cwd, options.output);
  const displayFile = displayPath(file, options.cwd);
  const value = starterTopology(options);
  const errors = check(value).filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors.map((f) => ({ ...f, message: `mxt init: ${f.message}` })), 1);
  const text = renderStarter(value);
  if (options.dryRun) return { status: 'dry-run', file: displayFile, text };
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (exists && !options.force) throw new UserError(`${displayFile} already exists`, 'pass --force to replace it, or --output FILE to write elsewhere');
  await writeLocked(file, text, { exclusive: !options.force, display: displayFile });
  return { status: 'written', file: displayFile, text };
}
