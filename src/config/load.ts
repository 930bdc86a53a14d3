/**
 * Loading a config file: find it (cosmiconfig, module name `mxt`, or `--config`), read it, parse the
 * YAML/JSON keeping source ranges (plain-yaml.ts, else yaml's Document), then hand the value to the
 * pure core (schema, effective, rules) and put `file:line:col` on every finding.
 *
 * Diagnostics: a missing or unreadable file is the environment's (exit 2); everything about the
 * file's content is a finding (exit 1). Nothing here throws anything but ConfigError/UserError.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Finding } from '../core/findings/finding.js';
import type { Topology } from '../core/model/topology.js';
import type { WrittenTopology } from '../core/schema/topology.js';
import { checkConfig } from '../core/validate/check.js';
import { ConfigError, UserError } from '../errors.js';
import { documentLocator, plainLocator, type Locator } from './locate.js';
import { readPlainYaml } from './plain-yaml.js';

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  /** The path as the user would write it (relative to the working directory when inside it). */
  displayFile: string;
  text: string;
  /** Where findings are in the text (undefined for .js/.ts configs, and text that is not YAML). */
  locator?: Locator;
  /** Key path of the topology inside the document (`['mxt']` in package.json). */
  documentPrefix: (string | number)[];
  /**
   * The topology as plain data (under `mxt` in package.json), present when the file could be read as
   * data at all: text, well-formed YAML/JSON, within the alias and depth limits. Edits start from it.
   */
  data?: { value: unknown };
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

/**
 * The config file: `--config`, or found by cosmiconfig (module name `mxt`) in the working directory
 * and its parents up to the project's root, the first folder with a `.git` (the repository) or a
 * `package.json`, never above it (issue 8, item 11: from a folder under /tmp, a /tmp/mxt.config.yaml
 * written by someone else was used). Outside any project only the working directory is searched,
 * and no global (per-user) config folder ever is.
 */
export async function findConfigFile(explicit: string | undefined, cwd = process.cwd()): Promise<string> {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
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
    searchStrategy: 'none',
    // product.md names mxt.config.yaml first; cosmiconfig's own list has no mxt.config.yaml/.json.
    searchPlaces: ['mxt.config.yaml', 'mxt.config.yml', 'mxt.config.json', ...getDefaultSearchPlaces('mxt')],
    loaders: { '.yaml': yamlOrJson, '.yml': yamlOrJson, noExt: yamlOrJson, '.json': packageJson },
    ignoreEmptySearchPlaces: false,
  });
  const dirs = await searchDirs(path.resolve(cwd));
  for (const dir of dirs) {
    const result = await explorer.search(dir).catch((error: unknown) => {
      throw new UserError(`could not search for a config file: ${(error as Error).message.split('\n')[0]}`, 'pass --config FILE');
    });
    if (result) return result.filepath;
  }
  const where = dirs.length > 1 ? `${dirs[0]} or its parents up to ${dirs[dirs.length - 1]} (the project's root)` : `${dirs[0]} (outside any project, so only the working directory is searched)`;
  throw new UserError(`no mxt config found in ${where}: looked for mxt.config.yaml, .mxtrc.yaml, mxt.config.json, a "mxt" key in package.json …`, 'pass --config FILE, or create one with `mxt init`');
}

/** The working directory and its parents, up to and including the first with `.git` or `package.json`. */
async function searchDirs(start: string): Promise<string[]> {
  const dirs: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    dirs.push(dir);
    const marks = await Promise.all(['.git', 'package.json'].map((name) => stat(path.join(dir, name)).then(() => true, () => false)));
    if (marks.some(Boolean)) return dirs;
    if (path.dirname(dir) === dir) return [start];
  }
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

/**
 * Read a file mxt was told to read (a config, a `route test` file): a regular file of at most
 * MAX_CONFIG_BYTES, checked before reading, so that a FIFO cannot hang mxt and `/dev/zero` cannot
 * fill its memory. Opened non-blocking and checked again on the descriptor (the path may have been
 * swapped meanwhile), then read no further than the limit. Errors are `config-io` findings at
 * `file:1:1`, exit 2.
 */
export async function readConfigText(file: string, displayFile: string, what = 'config'): Promise<string> {
  return (await readConfigBytes(file, displayFile, what)).toString('utf8');
}

/** readConfigText's bytes, for a reader that decodes them itself (a UTF-16 PowerShell dump). */
export async function readConfigBytes(file: string, displayFile: string, what = 'config'): Promise<Buffer> {
  const ioError = (message: string, hint: string) =>
    new ConfigError([{ ruleId: 'config-io', severity: 'error', path: [], message, hint, location: { file: displayFile, line: 1, column: 1 } }], 2);
  const refuse = (info: Stats) => {
    if (!info.isFile()) throw ioError(`${displayFile} is not a regular file (${kindOf(info)})`, `give mxt the path of a YAML or JSON ${what} file`);
    if (info.size > MAX_CONFIG_BYTES) throw ioError(`${displayFile} is ${info.size} bytes, above the ${MAX_CONFIG_BYTES} bytes (8 MB) that mxt reads`, `is this really an mxt ${what} file? Move bulk data (recipients) out of it`);
  };
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ioError(`${displayFile}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'cannot be read')}`, what === 'config' ? 'check the path given to --config' : 'check the path');
  }
  refuse(info);
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    refuse(await handle.stat());
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES) throw ioError(`${displayFile} grew above the ${MAX_CONFIG_BYTES} bytes (8 MB) that mxt reads`, `is this really an mxt ${what} file?`);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw ioError(`${displayFile}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`, "check the file's permissions");
  } finally {
    await handle?.close();
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/** What reading a YAML/JSON text gives: its plain value, or the findings that stop it. */
export interface ReadDocument {
  /** Where findings are in the text; undefined for text that is not YAML at all (binary, too large). */
  locator?: Locator;
  /** Present when the text is well-formed data within the limits. */
  data?: { value: unknown };
  findings: Finding[];
}

/**
 * Text → plain value, with every guard mxt has: binary data, syntax errors (located), nesting depth,
 * alias expansion. Used for configs and for `route test` files alike. Plain YAML (plain-yaml.ts:
 * what topologies are written in, no errors) is read directly; anything else by yaml's Document,
 * which also locates what the plain reader's spans cannot.
 */
export function readDocument(text: string, displayFile: string): ReadDocument {
  const stop = (findings: Finding[]): ReadDocument => ({ findings });
  // A text that did not come through readConfigText (a git revision, `route diff --base REF`) gets the same limit.
  if (text.length > MAX_CONFIG_BYTES) {
    return stop([{ ruleId: 'config-io', severity: 'error', path: [], message: `${displayFile} is more than ${MAX_CONFIG_BYTES} bytes (8 MB), the most mxt reads`, hint: 'is this really an mxt file? Move bulk data (recipients) out of it', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  if (text.includes('\u0000') || /[\u0001-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) {
    return stop([{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `${displayFile} is not text (binary data)`, hint: 'give mxt a YAML or JSON file', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  // The plain reader gives up before the depth limit, so its values need no depth check.
  const plain = readPlainYaml(text, MAX_CONFIG_DEPTH);
  if (plain) {
    const exact = () => {
      const lines = new LineCounter();
      return documentLocator(parseYaml(text, lines), lines, displayFile);
    };
    return { locator: plainLocator(plain, text, displayFile, exact), data: { value: plain.value }, findings: [] };
  }
  return readYamlDocument(text, displayFile);
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

function parseYaml(text: string, lineCounter: LineCounter): Document {
  return parseDocument(text, { lineCounter, ...YAML_OPTIONS });
}

/** readDocument for what is not plain YAML: yaml's Document, its errors located. */
function readYamlDocument(text: string, displayFile: string): ReadDocument {
  const lines = new LineCounter();
  const stop = (findings: Finding[], document?: Document): ReadDocument => ({ locator: document && documentLocator(document, lines, displayFile), findings });
  let document: Document;
  try {
    document = parseYaml(text, lines);
  } catch (error) {
    return stop([{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `YAML could not be parsed: ${(error as Error).message}`, hint: 'is the file nested too deeply?', location: { file: displayFile, line: 1, column: 1 } }]);
  }
  if (document.errors.length > 0) {
    // The parser reports a stack overflow once per enclosing level; one finding says it all.
    const exhausted = document.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
    if (exhausted) {
      const pos = lines.linePos(exhausted.pos[0]);
      return stop([{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: 'the YAML is nested too deeply to read', hint: `a topology is a few levels deep; mxt reads at most ${MAX_CONFIG_DEPTH}`, location: { file: displayFile, line: pos.line, column: pos.col } }], document);
    }
    return stop(
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
      document,
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return stop([{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `YAML could not be read: ${(error as Error).message}`, hint: 'avoid deep nesting and alias chains', location: { file: displayFile, line: 1, column: 1 } }], document);
  }
  const locator = documentLocator(document, lines, displayFile);
  const tooDeep = deepestPath(value, MAX_CONFIG_DEPTH);
  if (tooDeep) {
    const location = locator.locate(tooDeep) ?? { file: displayFile, line: 1, column: 1 };
    return stop([{ ruleId: 'schema-type', severity: 'error', path: tooDeep.slice(0, 6), message: `the file is nested more than ${MAX_CONFIG_DEPTH} levels deep (${tooDeep.length > 6 ? 'inside' : 'at'} this entry)`, hint: 'a topology is a few levels deep: check the brackets and the indentation', location }], document);
  }
  return { locator, data: { value }, findings: [] };
}

/**
 * Everything after the read: pure apart from the lazy import of a JS/TS config. `check: false`
 * stops after reading the data (an edit checks the file itself, before and after the change).
 */
export async function loadConfigText(text: string, file: string, displayFile = file, options: { check?: boolean } = {}): Promise<LoadedConfig> {
  const base: LoadedConfig = { file, displayFile, text, documentPrefix: [], findings: [] };
  const ext = path.extname(file).toLowerCase();
  if (['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].includes(ext)) return loadScriptConfig(base);

  const read = readDocument(text, displayFile);
  base.locator = read.locator;
  if (!read.data) return withFindings(base, read.findings);
  let value = read.data.value;
  if (path.basename(file) === 'package.json') {
    base.documentPrefix = ['mxt'];
    value = value !== null && typeof value === 'object' ? (value as { mxt?: unknown }).mxt : undefined;
  }
  if (options.check === false) return { ...base, data: { value } };
  return evaluate({ ...base, data: { value } }, value);
}

async function loadScriptConfig(base: LoadedConfig): Promise<LoadedConfig> {
  const { cosmiconfig } = await import('cosmiconfig');
  try {
    const result = await cosmiconfig('mxt').load(base.file);
    // A transpiled `export default {…}` arrives as { __esModule, default }.
    const config = result?.config as { __esModule?: boolean; default?: unknown } | undefined;
    return evaluate(base, config?.__esModule && 'default' in config ? config.default : config);
  } catch (error) {
    return withFindings(base, [{ ruleId: 'yaml-syntax', severity: 'error', path: [], message: `${base.displayFile} could not be loaded: ${(error as Error).message.split('\n')[0]}`, location: { file: base.displayFile, line: 1, column: 1 } }]);
  }
}

function evaluate(base: LoadedConfig, value: unknown): LoadedConfig {
  let parsed;
  try {
    parsed = checkConfig(value);
  } catch (error) {
    if (error instanceof RangeError) {
      return withFindings({ ...base, data: undefined }, [{ ruleId: 'schema-type', severity: 'error', path: [], message: 'the configuration is nested too deeply to check', hint: 'a topology is at most a few levels deep', location: { file: base.displayFile, line: 1, column: 1 } }]);
    }
    throw error;
  }
  const findings = parsed.findings.map((finding) => {
    if (finding.location) return finding;
    const locator = base.locator;
    const location = finding.ruleId === 'schema-unknown-key' ? locator?.locateKey(finding.path, base.documentPrefix) : locator?.locate(finding.path, base.documentPrefix);
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

/**
 * For edits, `list` and `show`: the file's plain data, or a ConfigError with the located findings
 * that kept it from being read (YAML syntax, binary data, limits). Schema and semantic findings do
 * not stop an edit: it is refused only if it adds an error (core/edit/plan).
 */
export function requireData(loaded: LoadedConfig): { value: unknown; prefix: (string | number)[] } {
  if (!loaded.data) {
    throw new ConfigError(
      loaded.findings.filter((f) => f.severity === 'error').map((f) => ({ ...f, hint: f.hint ? `${f.hint} (mxt edits only a file it can read)` : 'fix the file before editing it' })),
      1,
      new Map([[loaded.displayFile, loaded.text]]),
    );
  }
  return { value: loaded.data.value, prefix: loaded.documentPrefix };
}

/** For commands that need a usable topology: throws ConfigError when the config has errors. */
export function requireTopology(loaded: LoadedConfig): Topology {
  if (!loaded.topology || loaded.findings.some((f) => f.severity === 'error')) {
    throw new ConfigError(loaded.findings.filter((f) => f.severity === 'error'), 1, new Map([[loaded.displayFile, loaded.text]]));
  }
  return loaded.topology;
}
