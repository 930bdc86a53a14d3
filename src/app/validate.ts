/** Use case: validate one config file. Returns a result; never prints. */
import { hasErrors, sortFindings, type Finding } from '../core/findings/finding.js';
import { loadConfig } from '../config/load.js';

export interface ValidateResult {
  /** Version of this JSON shape; fields are only ever added. */
  version: 1;
  file: string;
  valid: boolean;
  errorCount: number;
  warningCount: number;
  findings: Finding[];
  /** Source text by file, for renderers that quote the offending line. */
  sources: Map<string, string>;
}

export async function validateConfig(options: { config?: string; cwd?: string; strict?: boolean }): Promise<ValidateResult> {
  const loaded = await loadConfig(options);
  const findings = sortFindings(loaded.findings);
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  const warningCount = findings.length - errorCount;
  return {
    version: 1,
    file: loaded.displayFile,
    valid: !hasErrors(findings) && !(options.strict && warningCount > 0),
    errorCount,
    warningCount,
    findings,
    sources: new Map([[loaded.displayFile, loaded.text]]),
  };
}
