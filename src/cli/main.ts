/**
 * The CLI's entry: parse, run, catch once, map errors to the documented exit codes
 * (0 ok, 1 invalid topology / failed check, 2 usage, I/O or internal error, 3 route diff changes).
 */
import { CommanderError } from 'commander';
import { ConfigError, ExitError, InternalError, UserError } from '../errors.js';
import { createContext, type CliContext } from './context.js';
import { buildProgram } from './program.js';
import { visible } from './render/escape.js';

export async function main(argv: string[], ctx: CliContext = createContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return await report(error, ctx);
  }
}

async function report(error: unknown, ctx: CliContext): Promise<number> {
  if (error instanceof CommanderError) {
    // commander already printed its message (help, version, or a usage error).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof ConfigError) {
    const { renderFindingsText } = await import('./render/findings-text.js');
    ctx.err(renderFindingsText(error.findings, error.sources, ctx.colorLevel));
    return error.exitCode;
  }
  if (error instanceof UserError) {
    // Messages quote the input (names, paths, flag values): escaped like every text output.
    ctx.err(`mxt: ${visible(error.message)}`);
    if (error.hint) ctx.err(`hint: ${visible(error.hint)}`);
    return error.exitCode;
  }
  const message = error instanceof InternalError ? error.message : ((error as Error)?.stack ?? String(error));
  ctx.err(`mxt: internal error: ${scrub(message, ctx.cwd)}`);
  ctx.err('This is a bug in mxt. Please report it with the command you ran and this message.');
  return 2;
}

function scrub(text: string, cwd: string): string {
  return text.split(cwd).join('.');
}

/** Called by bin/mxt.js. */
export function run(): void {
  // `mxt … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`mxt: internal error: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
