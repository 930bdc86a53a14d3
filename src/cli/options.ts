/** Options and help blocks shared by many commands. */
import { Option } from 'commander';

/** `--config FILE`, taken by every command that reads a topology. */
export function configOption(): Option {
  return new Option('-c, --config <file>', 'config file (default: found by cosmiconfig: mxt.config.yaml, .mxtrc.yaml, …)');
}

/** `--format`, with the formats a command supports. */
export function formatOption(formats: readonly string[], description = 'output format'): Option {
  return new Option('-f, --format <format>', `${description} (default: text on a terminal, json otherwise)`).choices(formats);
}

/** Examples block for --help. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}
