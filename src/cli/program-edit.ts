/** `mxt init` and the edit commands (connector, site, sitelink, server, dag, database, domain). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerEditCommands(_program: Command, _ctx: CliContext): void {}
