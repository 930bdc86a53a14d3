/** `mxt route inbound` (a subcommand of `route`) and `mxt graph`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerInboundCommand(_route: Command, _ctx: CliContext): void {}

export function registerGraphCommand(_program: Command, _ctx: CliContext): void {}
