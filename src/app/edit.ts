/**
 * Use cases of the edit commands: load the file for editing, plan the change (core/edit), apply it
 * to the YAML text (config/apply-edit), and write it safely: under a lock file, after re-reading the
 * file (compare-and-swap: if another process changed it since it was read, the change is planned
 * again on the new content), with an atomic rename. Returns data; never prints.
 */
import { createTwoFilesPatch } from 'diff';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { applyEditToText, checkEditable } from '../config/apply-edit.js';
import { EditRefusedError } from '../config/edit-guard.js';
import { displayPath, findConfigFile, loadConfigText, readConfigText, requireData } from '../config/load.js';
import { locate } from '../config/locate.js';
import type { Finding } from '../core/findings/finding.js';
import { planEdit, type EditRequest } from '../core/edit/plan.js';
import { parseTopology } from '../core/schema/parse.js';
import { ConfigError, UserError } from '../errors.js';
import { atomicWrite, resolveTarget } from '../io/atomic-write.js';
import { writeError } from '../io/write-error.js';
import { LockHeldError, withFileLock } from '../io/lock.js';

export interface EditTarget {
  file: string;
  displayFile: string;
  text: string;
  /** The file's plain data (the topology, under `mxt` in package.json). */
  value: unknown;
  prefix: string[];
}

export interface EditOutcome {
  status: 'written' | 'dry-run' | 'declined' | 'unchanged';
  summary: string;
  /** As the user would write it. */
  file: string;
  /** Unified diff of the change ('' when unchanged). */
  diff: string;
  /** The file's text after the edit (or as it would be). */
  after: string;
  /** Warnings the edit adds, located in `after`. */
  warnings: Finding[];
}

/**
 * The file to edit, read by the same reader and with the same limits as every other command
 * (config/load): a located error when it cannot be read as data; its schema or semantic findings
 * do not stop the edit (an edit is refused only for the errors it adds).
 */
export async function loadForEdit(options: { config?: string; cwd: string }): Promise<EditTarget> {
  const file = await findConfigFile(options.config, options.cwd);
  const displayFile = displayPath(file, options.cwd);
  const text = await readConfigText(file, displayFile);
  if (/\.[cm]?[jt]s$/i.test(file)) {
    throw new UserError(`${displayFile} is a script config: mxt edits YAML and JSON files only`, 'edit the script by hand, or move the topology to mxt.config.yaml');
  }
  return readTarget(file, displayFile, text);
}

async function readTarget(file: string, displayFile: string, text: string): Promise<EditTarget> {
  const { value, prefix } = requireData(await loadConfigText(text, file, displayFile, { check: false }));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // An edit adds to, changes or removes from a mapping of sections; there is none to edit.
    const finding = parseTopology(value).findings[0]!;
    // Where the sections should be: the document, or the `mxt` key of a package.json.
    const lines = new LineCounter();
    const location = locate(parseDocument(text, { lineCounter: lines }), lines, displayFile, [], prefix) ?? { file: displayFile, line: 1, column: 1 };
    throw new ConfigError([{ ...finding, location, hint: `${finding.hint ?? ''}${finding.hint ? '; ' : ''}mxt edits a file that holds a mapping of sections` }], 1, new Map([[displayFile, text]]));
  }
  return { file, displayFile, text, value, prefix: prefix.map(String) };
}

/** planOn, with what the YAML editor refuses (config/edit-guard) as a located finding. */
function planSafely(target: EditTarget, request: EditRequest): { summary: string; text: string; warnings: Finding[] } {
  try {
    checkEditable(target.text, target.prefix);
    return planOn(target, request);
  } catch (error) {
    if (error instanceof EditRefusedError) throw refusedAt(error, target);
    throw error;
  }
}

/** A refusal of the YAML editor as a located finding: exit 1 for a file that is no topology, 2 for what mxt will not edit. */
function refusedAt(error: EditRefusedError, target: EditTarget): ConfigError {
  const lines = new LineCounter();
  parseDocument(target.text, { lineCounter: lines });
  const at = lines.linePos(error.offset);
  const location = { file: target.displayFile, line: at.line, column: at.col };
  const finding: Finding = { ruleId: error.ruleId, severity: 'error', path: [], message: error.message, hint: error.hint, location };
  return new ConfigError([finding], error.ruleId === 'schema-type' ? 1 : 2, new Map([[target.displayFile, target.text]]));
}

/** Plan on the given content: the new text, or the findings that refuse the edit. */
function planOn(target: EditTarget, request: EditRequest): { summary: string; text: string; warnings: Finding[] } {
  const result = planEdit(target.value, request);
  if (result.status === 'not-found') throw new UserError(result.message, `see \`mxt ${commandOf(request)} list\``);
  if (result.status === 'refused') {
    // Shown on the lines the edit would have written: the file itself is not touched.
    const wouldBe = applyEditToText(target.text, result.changes, target.prefix);
    const findings = locateAll(result.findings, wouldBe, target).map((f) => ({ ...f, message: `${result.summary} refused: ${f.message}` }));
    throw new ConfigError(findings, 1, new Map([[target.displayFile, wouldBe]]));
  }
  const text = applyEditToText(target.text, result.plan.changes, target.prefix);
  return { summary: result.plan.summary, text, warnings: locateAll(result.plan.warnings, text, target) };
}

/** file:line:col of findings in a text (the file after the edit). */
function locateAll(findings: Finding[], text: string, target: EditTarget): Finding[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return findings.map((f) => ({ ...f, location: f.location ?? locate(document, lines, target.displayFile, f.path, target.prefix) }));
}

function commandOf(request: EditRequest): string {
  return request.kind.id === 'send' || request.kind.id === 'receive' ? 'connector' : request.kind.id;
}

export async function runEdit(options: {
  target: EditTarget;
  request: EditRequest;
  dryRun?: boolean;
  /** Asked with the diff before writing (the wizard's confirmation); false leaves the file alone. */
  confirm?: (diff: string) => Promise<boolean>;
}): Promise<EditOutcome> {
  const { target, request } = options;
  const planned = planSafely(target, request);
  const base = { summary: planned.summary, file: target.displayFile, warnings: planned.warnings, after: planned.text };
  if (planned.text === target.text) return { ...base, status: 'unchanged', diff: '' };
  const diff = unifiedDiff(target.displayFile, target.text, planned.text);
  if (options.dryRun) return { ...base, status: 'dry-run', diff };
  if (options.confirm && !(await options.confirm(diff))) return { ...base, status: 'declined', diff };
  // A symbolic link is edited through: its target is read, locked and replaced (io/atomic-write).
  const real = await resolveTarget(target.file).catch((error: unknown) => {
    throw writeError(error, target.displayFile, 'file');
  });
  const display = { display: target.displayFile };
  try {
    return await withFileLock(real, async () => {
      const current = await readConfigText(real, target.displayFile);
      if (current === target.text) {
        await atomicWrite(real, planned.text, display);
        return { ...base, status: 'written' as const, diff };
      }
      // Compare-and-swap failed: someone wrote meanwhile. Plan again on what is there now.
      const fresh = await readTarget(target.file, target.displayFile, current);
      const again = planSafely(fresh, request);
      if (again.text === current) return { ...base, status: 'unchanged' as const, diff: '', after: current };
      await atomicWrite(real, again.text, display);
      return { ...base, warnings: again.warnings, after: again.text, status: 'written' as const, diff: unifiedDiff(target.displayFile, current, again.text) };
    }, display);
  } catch (error) {
    if (error instanceof LockHeldError) throw new UserError(`${target.displayFile} is locked by ${holderOf(error)}`, 'wait for that edit to finish and run the command again (a lock whose process has ended is removed by itself)');
    throw error;
  }
}

function holderOf(error: LockHeldError): string {
  const h = error.holder;
  return h ? `mxt process ${h.pid} on ${h.host}, since ${h.since}` : 'another mxt process';
}

/** `--- a/file` / `+++ b/file` unified diff with 3 lines of context, as git prints it. */
export function unifiedDiff(displayFile: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${displayFile}`, `b/${displayFile}`, before, after, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !/^={10,}$/.test(line))
    .join('\n')
    .trimEnd();
}
