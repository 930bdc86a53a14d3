/** `mxt route …` and `mxt graph`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerRouteCommands(_program: Command, _ctx: CliContext): void {}
