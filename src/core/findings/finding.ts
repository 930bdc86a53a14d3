/** A validation finding: one problem, with the rule that found it and where it is. */
import type { ConfigPath } from '../model/topology.js';

export type Severity = 'error' | 'warning';

export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Finding {
  /** `V30` for the spec's rules, a kebab-case id for mxt's own checks. */
  ruleId: string;
  severity: Severity;
  /** Path in the config file, e.g. `['sendConnectors', 2, 'smartHosts', 0]`. */
  path: ConfigPath;
  message: string;
  hint?: string;
  /** Filled by `config/` from the YAML document's source ranges. */
  location?: SourceLocation;
}

/** `sendConnectors[2].smartHosts[0]` */
export function formatPath(path: ConfigPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Stable order: by location or path, then rule id. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      formatPath(a.path).localeCompare(formatPath(b.path)) ||
      a.ruleId.localeCompare(b.ruleId, 'en', { numeric: true }),
  );
}
