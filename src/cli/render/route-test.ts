/** `route test` output: text, json, junit. */
import { Chalk } from 'chalk';
import type { RouteTestResult } from '../../app/route-test.js';
import { junitDocument, xml } from './junit.js';
import { visible } from './route-format.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : JSON.stringify(v));

const renderers: Record<string, Renderer<RouteTestResult>> = {
  json: (result) => JSON.stringify(result, null, 2),
  text: (result, colorLevel) => {
    const c = new Chalk({ level: colorLevel });
    const out = [c.dim(visible(`route test ${result.file} (config ${result.config})`))];
    for (const t of result.cases) {
      out.push(`${t.passed ? c.green('✔') : c.red('✖')} ${visible(t.name)}`);
      for (const m of t.mismatches) out.push(`    ${m.field}: expected ${visible(show(m.expected))}, got ${visible(show(m.actual))}`);
    }
    const summary = `${result.passed} passed, ${result.failed} failed`;
    out.push('', result.failed ? c.red(summary) : c.green(summary));
    return out.join('\n');
  },
  junit: (result) => {
    const cases = result.cases.map((t) => {
      const name = xml(t.name);
      if (t.passed) return `    <testcase classname="mxt.route" name="${name}"/>`;
      const body = xml(t.mismatches.map((m) => `${m.field}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('\n'));
      return `    <testcase classname="mxt.route" name="${name}">\n      <failure message="${xml(`${t.mismatches.length} field(s) differ`)}">${body}</failure>\n    </testcase>`;
    });
    return junitDocument('mxt route test', result.file, cases, result.failed);
  },
};

export const ROUTE_TEST_FORMATS = Object.keys(renderers);

export function renderRouteTest(format: string, result: RouteTestResult, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, result, colorLevel);
}
