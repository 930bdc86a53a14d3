/** Options and help blocks shared by many commands. */
import { Option, type Command } from 'commander';
import { UserError } from '../errors.js';
import type { CliContext } from './context.js';

/**
 * Every help screen is wrapped at one width, whatever the terminal: option descriptions (commander,
 * configured in program.ts) and the examples block (below) alike.
 */
export const HELP_WIDTH = 100;

/** The exit codes, for the help of the commands they apply to. */
export const EXIT_CODES = 'Exit codes: 0 ok, 1 invalid topology or failed check, 2 usage, I/O or internal error.';

/** `--config FILE`, taken by every command that reads a topology. */
export function configOption(): Option {
  return new Option('-c, --config <file>', 'config file to read (default: mxt.config.yaml, .mxtrc.yaml, … found from the current folder up to the project root: .git or package.json)');
}

/** `--format`, with the formats a command supports. */
export function formatOption(formats: readonly string[], description = 'output format'): Option {
  return new Option('-f, --format <format>', `${description} (default: text on a terminal, json otherwise)`).choices(formats);
}

/** Split a shell command into words, keeping quoted strings whole (for wrapping only). */
function shellWords(command: string): string[] {
  return command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

/** Greedy wrap of words into lines of at most `width`; `joiner` ends every line but the last. */
function wrapWords(words: string[], width: number, first: string, next: string, joiner: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length + joiner.length > width) {
      lines.push(line + joiner);
      line = next + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Examples block for --help. Each entry is a command line as an admin types it, optionally followed
 * by `# note`; the note is printed on its own line above the command. A note saying `exits N` marks
 * an example that fails on purpose with that exit code (test/cli/help.test.ts runs every example and
 * checks it); `runs until stopped` marks a long-running one (a server: it is stopped after its ready
 * line); `with a relay running` marks one that needs the relay of the server it names (its --server,
 * and its --config and --port-offset if any) running in the same folder with the default data folder: the test starts
 * `mxt relay start` there first and stops it after; `with a relay holding message 1`, the same relay
 * with one message waiting in a delivery queue (the test sends it, for a server it says is down).
 * Every example starts with `mxt `; a password comes from an example variable (`--password-env
 * APP_PW`, set by the test). Long commands wrap with ` \`.
 */
export function examples(entries: string[], width = HELP_WIDTH): string {
  const lines: string[] = [];
  for (const entry of entries) {
    const hash = entry.search(/\s+#\s/);
    const command = hash >= 0 ? entry.slice(0, hash).trim() : entry.trim();
    const note = hash >= 0 ? entry.slice(hash).replace(/^\s+#\s*/, '') : '';
    if (note) lines.push(...wrapWords(note.split(/\s+/), width, '  # ', '  # ', ''));
    lines.push(...wrapWords(shellWords(command), width, '  $ ', '      ', ' \\'));
  }
  return `\nExamples:\n${lines.join('\n')}`;
}

/**
 * Empty values are usage errors, for every option and argument of every command (issue 8, item 10):
 * `--config ""` would otherwise fall back to discovery, `route diff --base ""` to the git index, an
 * empty name to whatever a later check makes of it. Installed once, after every command is
 * declared: each option's raw value is checked as commander reads it (before a list parser could
 * drop it), and each argument before the action runs.
 */
export function refuseEmptyValues(program: Command): void {
  const blank = (value: unknown) => typeof value === 'string' && value.trim() === '';
  const visit = (command: Command) => {
    for (const option of command.options) {
      if (!option.required && !option.optional) continue; // a boolean flag takes no value
      const flag = option.long ?? option.short ?? option.flags;
      command.on(`option:${option.name()}`, (value: unknown) => {
        if (blank(value)) throw new UserError(`${flag} needs a value, not an empty string`, `give ${flag} a value, or leave it out${option.long === '--config' ? ' (then the config is found by discovery)' : ''}`);
      });
    }
    command.commands.forEach(visit);
  };
  visit(program);
  program.hook('preAction', (_program, action) => {
    action.registeredArguments.forEach((argument, i) => {
      const value: unknown = action.processedArgs[i];
      if (blank(value) || (Array.isArray(value) && value.some(blank))) {
        throw new UserError(`<${argument.name()}> needs a value, not an empty string`, `see \`mxt ${commandPath(action)} --help\``);
      }
    });
  });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Formats meant for programs: they carry the file themselves (`file` in JSON), stderr stays quiet. */
const MACHINE_FORMATS = new Set(['json', 'sarif', 'junit', 'github']);

/**
 * Every command that reads a config says which file it read (issue 8, item 11): the file is found
 * once here, before the action (discovery, or --config), handed to the action as its --config, and
 * named on stderr in one line unless the output is for a program. `init` (whose --config names the
 * file to write), `route test` without --config (its assertion file names the config) and `relay
 * status|down` without it are left to themselves.
 */
export function announceConfig(program: Command, ctx: CliContext): void {
  program.hook('preAction', async (_program, action) => {
    if (!action.options.some((o) => o.long === '--config') || action.name() === 'init') return;
    const opts = action.opts<{ config?: string; format?: string }>();
    // `relay status|down` act on the lab recorded in the data folder: a --config is checked, none is looked for.
    const optional = action.name() === 'test' || (action.parent?.name() === 'relay' && ['status', 'down'].includes(action.name()));
    if (optional && opts.config === undefined) return;
    const { displayPath, findConfigFile } = await import('../config/load.js');
    const file = await findConfigFile(opts.config, ctx.cwd);
    action.setOptionValue('config', file);
    const hasFormat = action.options.some((o) => o.long === '--format');
    const format = hasFormat ? (opts.format ?? (ctx.stdoutIsTTY ? 'text' : 'json')) : 'text';
    if (!MACHINE_FORMATS.has(format)) ctx.err(`mxt: config ${displayPath(file, ctx.cwd)}`);
  });
}
