/**
 * `mxt validate` renderers keyed by --format, all over the same ValidateResult
 * (text, json, sarif 2.1.0, junit, github workflow commands).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chalk } from 'chalk';
import { ruleInfo, RULES } from '../../core/findings/catalogue.js';
import { formatPath, type Finding } from '../../core/findings/finding.js';
import type { ValidateResult } from '../../app/validate.js';
import { renderFindingsText } from './findings-text.js';
import { junitDocument, xml } from './junit.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

const renderers: Record<string, Renderer<ValidateResult>> = {
  text: (result, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const body = result.findings.length ? `${renderFindingsText(result.findings, result.sources, colorLevel)}\n\n` : '';
    const summary = `${result.file}: ${result.errorCount} error${result.errorCount === 1 ? '' : 's'}, ${result.warningCount} warning${result.warningCount === 1 ? '' : 's'}`;
    return body + (result.valid ? c.green(`✔ ${summary}: valid`) : c.red(`✖ ${summary}: invalid`));
  },
  json: (result) =>
    JSON.stringify(
      {
        version: result.version,
        file: result.file,
        valid: result.valid,
        errorCount: result.errorCount,
        warningCount: result.warningCount,
        findings: result.findings.map((f) => ({
          ...f,
          where: f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : result.file,
          path: formatPath(f.path),
          pathSegments: f.path,
        })),
      },
      null,
      2,
    ),
  sarif: (result) => JSON.stringify(sarif(result), null, 2),
  junit: junit,
  github: (result) =>
    result.findings
      .map((f) => {
        const props = [`file=${escapeProperty(f.location?.file ?? result.file)}`, `line=${f.location?.line ?? 1}`, `col=${f.location?.column ?? 1}`];
        if (f.location?.endLine) props.push(`endLine=${f.location.endLine}`);
        // GitHub uses endColumn only for a one-line annotation.
        if (f.location?.endLine === f.location?.line && f.location?.endColumn) props.push(`endColumn=${f.location.endColumn}`);
        props.push(`title=${escapeProperty(`mxt ${f.ruleId}`)}`);
        return `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(`${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}`)}`;
      })
      .concat(`${result.file}: ${result.errorCount} error(s), ${result.warningCount} warning(s)`)
      .join('\n'),
};

export function renderValidation(format: string, result: ValidateResult, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, result, colorLevel);
}

function sarif(result: ValidateResult) {
  const used = [...new Set(result.findings.map((f) => f.ruleId))];
  const rules = [...RULES.filter((r) => used.includes(r.id)), ...used.filter((id) => !RULES.some((r) => r.id === id)).map(ruleInfo)];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mxt',
            informationUri: 'https://github.com/mxt/mxt',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
              ...(r.spec ? { properties: { spec: r.spec } } : {}),
            })),
          },
        },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: `${f.message}${f.hint ? `\nhint: ${f.hint}` : ''}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.location?.file ?? result.file) },
                region: {
                  startLine: f.location?.line ?? 1,
                  startColumn: f.location?.column ?? 1,
                  ...(f.location?.endLine ? { endLine: f.location.endLine, endColumn: f.location.endColumn } : {}),
                },
              },
              logicalLocations: f.path.length ? [{ fullyQualifiedName: formatPath(f.path) }] : [],
            },
          ],
        })),
      },
    ],
  };
}

/** SARIF wants a URI: relative paths (the usual case, inside the repository) percent-encoded, absolute ones as file: URLs. */
function artifactUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : encodeURI(file.split('\\').join('/'));
}

function junit(result: ValidateResult): string {
  // Warnings fail the suite only when they made the result invalid (--strict with no errors).
  const warningsFail = !result.valid && result.errorCount === 0;
  const failing = (f: Finding) => f.severity === 'error' || warningsFail;
  const cases = result.findings.map((f) => {
    const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : result.file;
    const name = xml(`${f.ruleId} ${formatPath(f.path) || '(file)'}`);
    const body = xml(`${where}: ${f.message}${f.hint ? `\nhint: ${f.hint}` : ''}`);
    return failing(f)
      ? `    <testcase classname="mxt.validate" name="${name}" file="${xml(f.location?.file ?? result.file)}">\n      <failure type="${xml(f.ruleId)}" message="${xml(f.message)}">${body}</failure>\n    </testcase>`
      : `    <testcase classname="mxt.validate" name="${name}">\n      <system-out>warning: ${body}</system-out>\n    </testcase>`;
  });
  if (cases.length === 0) cases.push(`    <testcase classname="mxt.validate" name="${xml(result.file)} is valid"/>`);
  const failures = result.findings.filter(failing).length;
  return junitDocument('mxt validate', result.file, cases, failures);
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
