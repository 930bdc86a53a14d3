/** `mxt route plan|table|diff|test`: subcommands of the `route` command created in program.ts. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerRouteCommands(_route: Command, _ctx: CliContext): void {}
