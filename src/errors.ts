/**
 * Errors the CLI knows how to report. Commands throw these; `cli/main.ts` catches them once and maps
 * them to the documented exit codes (0 ok, 1 invalid topology / failed check, 2 usage, I/O or internal).
 */
import type { Finding } from './core/findings/finding.js';

/** A mistake of the user's (bad flag, unknown server name): exit 2 unless told otherwise. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The configuration could not be loaded or is invalid: findings to print, exit 1 (2 for I/O). */
export class ConfigError extends Error {
  constructor(
    readonly findings: Finding[],
    readonly exitCode: number = 1,
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(findings[0]?.message ?? 'invalid configuration');
    this.name = 'ConfigError';
  }
}

/** Leave with this exit code; whatever had to be said was already rendered. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/** A broken invariant: a bug in mxt. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
