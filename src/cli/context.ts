/**
 * What a command needs from the terminal: where to write, whether to colour, which format is the
 * default. The only place that reads NO_COLOR / FORCE_COLOR and isTTY.
 */
export type OutputFormat = string;

export interface CliContext {
  out: (text: string) => void;
  /** Raw output for streamed commands (no newline added), resolved once the stream takes more (backpressure). */
  write?: (chunk: string) => Promise<void>;
  err: (text: string) => void;
  /** 0 none, 1 basic, 2 256, 3 truecolor */
  colorLevel: 0 | 1 | 2 | 3;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function createContext(): CliContext {
  const env = process.env;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    write: (chunk) => (process.stdout.write(chunk) ? Promise.resolve() : new Promise((resolve) => process.stdout.once('drain', () => resolve()))),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    colorLevel: colorLevel(env, stdoutIsTTY),
    stdoutIsTTY,
    stdinIsTTY: Boolean(process.stdin.isTTY) && env.CI !== 'true',
    cwd: process.cwd(),
    env,
  };
}

/** NO_COLOR wins over a terminal (chalk alone would ignore it there); FORCE_COLOR wins over a pipe. */
function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) {
    if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0;
    const n = Number(env.FORCE_COLOR);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return /truecolor|24bit/.test(env.COLORTERM ?? '') ? 3 : /256/.test(env.TERM ?? '') ? 2 : 1;
}

/** `--format` default: text on a terminal, JSON when piped (product.md). */
export function defaultFormat(ctx: CliContext, requested: string | undefined): string {
  return requested ?? (ctx.stdoutIsTTY ? 'text' : 'json');
}
