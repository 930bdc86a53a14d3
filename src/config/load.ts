/**
 * Loading a config file: find it (cosmiconfig, module name `mxt`, or `--config`), read it, parse the
 * YAML/JSON keeping source ranges, then hand the value to the pure core (schema, effective, rules)
 * and put `file:line:col` on every finding.
 *
 * Diagnostics: a missing or unreadable file is the environment's (exit 2); everything about the
 * file's content is a finding (exit 1). Nothing here throws anything but ConfigError/UserError.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Finding } from '../core/findings/finding.js';
import type { Topology } from '../core/model/topology.js';
import { parseTopology } from '../core/schema/parse.js';
import type { WrittenTopology } from '../core/schema/topology.js';
import { validateTopology } from '../core/validate/index.js';
import { ConfigError, UserError } from '../errors.js';
import { locate, locateKey } from './locate.js';

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  /** The path as the user would write it (relative to the working directory when inside it). */
  displayFile: string;
  text: string;
  /** The parsed YAML document (undefined for .js/.ts configs), for edits that keep comments. */
  document?: Document;
  /** Key path of the topology inside the document (`['mxt']` in package.json). */
  documentPrefix: (string | number)[];
  written?: WrittenTopology;
  topology?: Topology;
  findings: Finding[];
}

/**
 * Files larger than this are refused before parsing. A topology with tens of thousands of recipients
 * stays well below it, while parsing a 10 MB YAML file takes the yaml library seconds and a gigabyte
 * of memory, which is not worth spending on something that is not a topology.
 */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** No section of a topology is nested this deep; anything deeper is refused before the schema sees it. */
export const MAX_CONFIG_DEPTH = 64;
/** YAML aliases expanded at most this often (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

export async function findConfigFile(explicit: string | undefined, cwd = process.cwd()): Promise<string> {
  if (explicit) return path.resolve(cwd, explicit);
  const { cosmiconfig, getDefaultSearchPlaces } = await import('cosmiconfig');
  // Discovery only finds the file; loadConfigText parses it, with locations. So the YAML/JSON loaders
  // here do not parse (a syntax error becomes a located finding, not a failed search), except for
  // package.json, where only a parsed file tells whether it has an "mxt" key.
  const found = { found: true };
  const yamlOrJson = () => found;
  const packageJson = (filepath: string, content: string) => {
    if (path.basename(filepath) !== 'package.json') return found;
    try {
      return JSON.parse(content) as unknown;
    } catch {
      return /"mxt"\s*:/.test(content) ? { mxt: found } : {};
    }
  };
  const explorer = cosmiconfig('mxt', {
    searchStrategy: 'global',
    // product.md names mxt.config.yaml first; cosmiconfig's own list has no mxt.config.yaml/.json.
    searchPlaces: ['mxt.config.yaml', 'mxt.config.yml', 'mxt.config.json', ...getDefaultSearchPlaces('mxt')],
    loaders: { '.yaml': yamlOrJson, '.yml': yamlOrJson, noExt: yamlOrJson, '.json': packageJson },
    ignoreEmptySearchPlaces: false,
  });
  const result = await explorer.search(cwd).catch((error: unknown) => {
    throw new UserError(`could not search for a config file: ${(error as Error).message.split('\n')[0]}`, 'pass --config FILE');
  });
  if (!result) {
    throw new UserError('no mxt config found (mxt.config.yaml, .mxtrc.yaml, mxt.config.json, a "mxt" key in package.json …)', 'pass --config FILE, or create one with `mxt init`');
  }
  return result.filepath;
}

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export async function loadConfig(options: { config?: string; cwd?: string }): Promise<LoadedConfig> {
  const file = await findConfigFile(options.config, options.cwd);
  const displayFile = displayPath(file, options.cwd);
  const text = await readConfigText(file, displayFile);
  return loadConfigText(text, file, displayFile);
}

async function readConfigText(file: string, displayFile: string): Promise<string> {
  const ioError = (message: string, hint: string) =>
    new ConfigError([{ ruleId: 'config-io', severity: 'error', path: [], message, hint, location: { file: displayFile, line: 1, column: 1 } }], 2);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw ioError(`${displayFile}: no such file`, 'check the path given to --config');
  }
  if (!info.isFile()) throw ioError(`${displayFile} is not a file`, 'give --config the path of a YAML or JSON file');
  if (info.size > MAX_CONFIG_BYTES) throw ioError(`${displayFile} is ${info.size} bytes, above the ${MAX_CONFIG_BYTES} bytes (8 MB) that mxt reads`, 'is this really an mxt config? Move bulk data (recipients) out of it');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw ioError(`${displayFile}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`, 'check the file\'s permissions');
  }
}

/** Everything after the read: pure apart from the lazy import of a JS/TS config. */
export async function loadConfigText(text: string, file: string, displayFile = file): Promise<LoadedConfig> {
  const base: LoadedConfig = { file, displayFile, text, documentPrefix: [], findings: [] };
  const ext = path.extname(file).toLowerCase();
  if (['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].includes(ext)) return loadScriptConfig(base);

  if (text.includes('\u0000') || /[\u0001-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) {
    return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `${displayFile} is not text (binary data)`, hint: 'give --config a YAML or JSON file', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  const lines = new LineCounter();
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `YAML could not be parsed: ${(error as Error).message}`, hint: 'is the file nested too deeply?', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  base.document = document;
  if (document.errors.length > 0) {
    // The parser reports a stack overflow once per enclosing level; one finding says it all.
    const exhausted = document.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
    if (exhausted) {
      const pos = lines.linePos(exhausted.pos[0]);
      return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: 'the YAML is nested too deeply to read', hint: `a topology is a few levels deep; mxt reads at most ${MAX_CONFIG_DEPTH}`, location: { file: displayFile, line: pos.line, column: pos.col } }]);
    }
    return withFindings(
      base,
      document.errors.slice(0, 20).map((error) => {
        const pos = lines.linePos(error.pos[0]);
        return {
          ruleId: 'yaml-syntax',
          severity: 'error' as const,
          path: [],
          message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, ''),
          hint: yamlHint(error.code),
          location: { file: displayFile, line: pos.line, column: pos.col },
        };
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `YAML could not be read: ${(error as Error).message}`, hint: 'avoid deep nesting and alias chains', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  if (path.basename(file) === 'package.json') {
    base.documentPrefix = ['mxt'];
    value = value !== null && typeof value === 'object' ? (value as { mxt?: unknown }).mxt : undefined;
  }
  const tooDeep = deepestPath(value, MAX_CONFIG_DEPTH);
  if (tooDeep) {
    const location = locate(document, lines, displayFile, tooDeep, base.documentPrefix) ?? { file: displayFile, line: 1, column: 1 };
    return withFindings(base, [{ ruleId: 'schema-type', severity: 'error', path: tooDeep.slice(0, 6), message: `the configuration is nested more than ${MAX_CONFIG_DEPTH} levels deep (${tooDeep.length > 6 ? 'inside' : 'at'} this entry)`, hint: 'a topology is a few levels deep: check the brackets and the indentation', location }]);
  }
  return evaluate(base, value, lines);
}

async function loadScriptConfig(base: LoadedConfig): Promise<LoadedConfig> {
  const { cosmiconfig } = await import('cosmiconfig');
  try {
    const result = await cosmiconfig('mxt').load(base.file);
    // A transpiled `export default {…}` arrives as { __esModule, default }.
    const config = result?.config as { __esModule?: boolean; default?: unknown } | undefined;
    return evaluate(base, config?.__esModule && 'default' in config ? config.default : config, undefined);
  } catch (error) {
    return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `${base.displayFile} could not be loaded: ${(error as Error).message.split('\n')[0]}`, location: { file: base.displayFile, line: 1, column: 1 } }]);
  }
}

function evaluate(base: LoadedConfig, value: unknown, lines: LineCounter | undefined): LoadedConfig {
  let parsed;
  let semantic: Finding[] = [];
  try {
    parsed = parseTopology(value);
    if (parsed.written && parsed.topology) semantic = validateTopology({ written: parsed.written, topology: parsed.topology });
  } catch (error) {
    if (error instanceof RangeError) {
      return withFindings(base, [{ ruleId: 'schema-type', severity: 'error', path: [], message: 'the configuration is nested too deeply to check', hint: 'a topology is at most a few levels deep', location: { file: base.displayFile, line: 1, column: 1 } }]);
    }
    throw error;
  }
  const findings = [...parsed.findings, ...semantic].map((finding) => {
    if (finding.location) return finding;
    const location =
      base.document && lines
        ? finding.ruleId === 'schema-unknown-key'
          ? locateKey(base.document, lines, base.displayFile, finding.path, base.documentPrefix)
          : locate(base.document, lines, base.displayFile, finding.path, base.documentPrefix)
        : undefined;
    return { ...finding, location: location ?? { file: base.displayFile, line: 1, column: 1 } };
  });
  return { ...base, written: parsed.written, topology: parsed.topology, findings };
}

/**
 * The path to the first value nested deeper than `limit`, or undefined. Iterative, so that a hostile
 * file cannot overflow the stack here (the schema and the effective builder recurse).
 */
function deepestPath(value: unknown, limit: number): (string | number)[] | undefined {
  // Each entry links to its parent instead of copying the path: the path is built only when it is returned.
  interface Entry {
    node: unknown;
    key: string | number;
    parent: Entry | undefined;
    depth: number;
  }
  const stack: Entry[] = [{ node: value, key: '', parent: undefined, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { node, depth } = entry;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) {
      const at: (string | number)[] = [];
      for (let e: Entry | undefined = entry; e?.parent; e = e.parent) at.unshift(e.key);
      return at;
    }
    const push = (child: unknown, key: string | number) => {
      if (child !== null && typeof child === 'object') stack.push({ node: child, key, parent: entry, depth: depth + 1 });
    };
    if (Array.isArray(node)) node.forEach((child, i) => push(child, i));
    else for (const [key, child] of Object.entries(node)) push(child, key);
  }
  return undefined;
}

function withFindings(base: LoadedConfig, findings: Finding[]): LoadedConfig {
  return { ...base, findings };
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key may appear once per mapping: merge the two entries';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the brackets of this line';
    case 'TAB_AS_INDENT':
      return 'indent YAML with spaces, not tabs';
    default:
      return 'fix the YAML syntax at this position';
  }
}

/** For commands that need a usable topology: throws ConfigError when the config has errors. */
export function requireTopology(loaded: LoadedConfig): Topology {
  if (!loaded.topology || loaded.findings.some((f) => f.severity === 'error')) {
    throw new ConfigError(loaded.findings.filter((f) => f.severity === 'error'), 1, new Map([[loaded.displayFile, loaded.text]]));
  }
  return loaded.topology;
}
