/**
 * Use case of `mxt import exchange`: read the `Get-… | ConvertTo-Json` files (UTF-8, or the UTF-16
 * Windows PowerShell writes with `>`), map them (core/import), render the config as YAML in the
 * examples' style, check it as `mxt validate` would, and write it (never over an existing file
 * unless forced; an invalid result only when forced). Returns data; never prints.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../core/findings/finding.js';
import { importExchange, type DumpFile, type ImportOutcome } from '../core/import/exchange.js';
import { displayPath, loadConfigText, readConfigBytes, readDocument } from '../config/load.js';
import { ConfigError, UserError } from '../errors.js';
import { writeLocked } from '../io/atomic-write.js';
import { renderStarter } from './init.js';

export interface ImportRequest {
  files: string[];
  output?: string;
  force?: boolean;
  cwd: string;
}

export interface ImportResult {
  text: string;
  /** The file written, as the user would write it; undefined for standard output. */
  file?: string;
  outcome: ImportOutcome;
  /** Findings of the imported config, located in it (errors only when forced). */
  findings: Finding[];
  sources: ReadonlyMap<string, string>;
}

/** Where findings of a config printed on standard output point. */
export const STDOUT_NAME = 'imported.mxt.yaml';

/** UTF-8 (with or without BOM), or UTF-16 with its BOM (Windows PowerShell 5's `>` and Out-File). */
export function decodeDump(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** A JSON.parse error as a finding at its line and column. */
function jsonFinding(error: Error, text: string, file: string): Finding {
  const at = /position (\d+)/.exec(error.message);
  const offset = at ? Number(at[1]) : 0;
  const before = text.slice(0, offset).split('\n');
  const message = error.message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+.*$/, '');
  return {
    ruleId: 'import-json',
    severity: 'error',
    path: [],
    message: `${file} is not JSON: ${message}`,
    hint: 'give the output of Get-<Noun> | ConvertTo-Json -Depth 4, as the shell wrote it',
    location: { file, line: before.length, column: before[before.length - 1]!.length + 1 },
  };
}

async function readDumps(files: readonly string[], cwd: string): Promise<{ dumps: DumpFile[]; texts: Map<string, string>; findings: Finding[] }> {
  const dumps: DumpFile[] = [];
  const texts = new Map<string, string>();
  const findings: Finding[] = [];
  for (const given of files) {
    const file = path.resolve(cwd, given);
    const display = displayPath(file, cwd);
    const text = decodeDump(await readConfigBytes(file, display, 'Exchange dump'));
    texts.set(display, text);
    try {
      dumps.push({ file: display, value: JSON.parse(text) as unknown });
    } catch (error) {
      findings.push(jsonFinding(error as Error, text, display));
    }
  }
  return { dumps, texts, findings };
}

function header(files: readonly string[]): string {
  return [
    ' mxt topology imported from Exchange by `mxt import exchange`, from:',
    ...files.map((f) => `   ${f}`),
    ' Check it with `mxt validate`; compare its routing with `mxt route diff --base FILE`.',
  ].join('\n');
}

export async function importExchangeDumps(request: ImportRequest): Promise<ImportResult> {
  const output = request.output === undefined ? undefined : path.resolve(request.cwd, request.output);
  if (request.output !== undefined && !/\.ya?ml$/i.test(request.output) && path.basename(request.output) !== '.mxtrc') {
    throw new UserError(`--output ${request.output}: mxt import exchange writes YAML (.yaml, .yml)`, 'e.g. --output mxt.config.yaml');
  }
  const { dumps, texts, findings: unread } = await readDumps(request.files, request.cwd);
  if (unread.length > 0) throw new ConfigError(unread, 1, texts);

  const outcome = importExchange(dumps);
  if (outcome.problems.length > 0) {
    const locators = new Map(dumps.map((d) => [d.file, readDocument(texts.get(d.file) ?? '', d.file).locator]));
    const findings: Finding[] = outcome.problems.map((p) => ({
      ruleId: p.ruleId,
      severity: 'error',
      path: p.path,
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
      location: locators.get(p.file)?.locate(p.path) ?? { file: p.file, line: 1, column: 1 },
    }));
    throw new ConfigError(findings, 1, texts);
  }

  const text = renderStarter(outcome.config, header(request.files.map((f) => displayPath(path.resolve(request.cwd, f), request.cwd))));
  const display = output ? displayPath(output, request.cwd) : STDOUT_NAME;
  const checked = await loadConfigText(text, output ?? path.resolve(request.cwd, STDOUT_NAME), display);
  const sources = new Map([[display, text]]);
  const errors = checked.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0 && !request.force) throw new ConfigError(checked.findings, 1, sources);
  if (!output) return { text, outcome, findings: checked.findings, sources };

  const exists = await stat(output).then(
    () => true,
    () => false,
  );
  if (exists && !request.force) throw new UserError(`${display} already exists`, 'pass --force to replace it, or --output FILE to write elsewhere');
  await writeLocked(output, text, { exclusive: !request.force, display });
  return { text, file: display, outcome, findings: checked.findings, sources };
}
