/** Options and help blocks shared by many commands. */
import { Option } from 'commander';

/**
 * Every help screen is wrapped at one width, whatever the terminal: option descriptions (commander,
 * configured in program.ts) and the examples block (below) alike.
 */
export const HELP_WIDTH = 100;

/** The exit codes, for the help of the commands they apply to. */
export const EXIT_CODES = 'Exit codes: 0 ok, 1 invalid topology or failed check, 2 usage, I/O or internal error.';

/** `--config FILE`, taken by every command that reads a topology. */
export function configOption(): Option {
  return new Option('-c, --config <file>', 'config file to read (default: mxt.config.yaml, .mxtrc.yaml, … found from the current folder up)');
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
 * checks it); `runs until stopped` marks a long-running one. Long commands wrap with ` \`.
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
