/**
 * The one door to @inquirer/prompts: every question of every wizard goes through here, so a wizard
 * never touches the terminal itself and Ctrl-C means the same everywhere (PromptCancelled, turned
 * into exit 130 with nothing written by `cancellable`). Inquirer is imported lazily: it is only
 * loaded when a question is actually asked.
 */
import { ExitError } from '../../errors.js';
import type { CliContext } from '../context.js';

export class PromptCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PromptCancelled';
  }
}

export interface Choice {
  name: string;
  value: string;
  description?: string;
}

async function prompts() {
  return import('@inquirer/prompts');
}

/** Inquirer's Ctrl-C (ExitPromptError) and a closed terminal become PromptCancelled. */
async function guarded<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new PromptCancelled();
    throw error;
  }
}

export async function askText(message: string, options: { default?: string; validate?: (text: string) => true | string } = {}): Promise<string> {
  const { input } = await prompts();
  return guarded(() => input({ message, default: options.default, validate: options.validate }));
}

export async function askChoice(message: string, choices: readonly Choice[], defaultValue?: string): Promise<string> {
  const { select } = await prompts();
  return guarded(() => select({ message, choices: [...choices], default: defaultValue }));
}

export async function askChoices(message: string, choices: readonly Choice[], options: { min?: number; checked?: readonly string[] } = {}): Promise<string[]> {
  const { checkbox } = await prompts();
  const min = options.min ?? 0;
  return guarded(() =>
    checkbox({
      message,
      choices: choices.map((c) => ({ ...c, checked: options.checked?.includes(c.value) ?? false })),
      validate: (picked) => picked.length >= min || `pick at least ${min}`,
    }),
  );
}

export async function askConfirm(message: string, defaultValue = true): Promise<boolean> {
  const { confirm } = await prompts();
  return guarded(() => confirm({ message, default: defaultValue }));
}

/** Run a wizard; Ctrl-C leaves with exit 130 and a one-line notice, the file untouched. */
export async function cancellable<T>(ctx: CliContext, wizard: () => Promise<T>): Promise<T> {
  try {
    return await wizard();
  } catch (error) {
    if (error instanceof PromptCancelled) {
      ctx.err('cancelled: nothing written');
      throw new ExitError(130);
    }
    throw error;
  }
}
