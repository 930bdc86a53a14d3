/**
 * Findings for people: grouped by file, each with `file:line:col`, severity, rule id, path, message,
 * the offending YAML line with a caret under the column, and the hint.
 */
import { Chalk } from 'chalk';
import { formatPath, type Finding } from '../../core/findings/finding.js';
import { maskSecrets } from '../../core/findings/secrets.js';
import { visible } from './escape.js';

export function renderFindingsText(findings: readonly Finding[], sources: ReadonlyMap<string, string>, colorLevel: 0 | 1 | 2 | 3): string {
  const c = new Chalk({ level: colorLevel });
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const file = f.location?.file ?? '';
    byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    if (file) out.push(c.underline(visible(file)));
    // A password written in the file is refused (secret-in-config), never quoted back.
    const source = sources.get(file);
    const lines = source === undefined ? undefined : maskSecrets(source);
    for (const f of list) {
      const where = f.location ? visible(`${f.location.file}:${f.location.line}:${f.location.column}`) : '';
      const sev = f.severity === 'error' ? c.red.bold('error') : c.yellow.bold('warning');
      const path = f.path.length ? ` ${c.cyan(visible(formatPath(f.path)))}` : '';
      out.push(`${where} ${sev} ${c.dim(f.ruleId)}${path}: ${visible(f.message)}`);
      const line = f.location && lines ? lines[f.location.line - 1] : undefined;
      if (line !== undefined && line.length < 400) {
        const gutter = String(f.location!.line).padStart(5);
        out.push(c.dim(`${gutter} | `) + visible(line));
        // Under the same character: escapes before the column widen the line.
        const caretAt = visible(line.slice(0, Math.max(0, f.location!.column - 1))).length;
        out.push(`${' '.repeat(gutter.length)}${c.dim(' | ')}${' '.repeat(caretAt)}${c.red('^')}`);
      }
      if (f.hint) out.push(`  ${c.green('hint:')} ${visible(f.hint)}`);
    }
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '');
}
