/**
 * Use case: `mxt route test FILE`: routing assertions kept next to a config (examples/*.routes.yaml).
 * Each case plans one recipient and compares the fields it names with the decision.
 *
 *   config: multi-site.mxt.yaml        # relative to the assertion file; --config overrides
 *   tests:
 *     - name: fabrikam.com leaves by To Fabrikam
 *       from: EX01
 *       to: someone@fabrikam.com
 *       size: 1MB                       # optional, also sender and down
 *       expect: { status: routed, connector: To Fabrikam, deliveryType: SmtpRelayToConnectorSourceServers,
 *                 nextHop: To Fabrikam, targets: [EX02], sitePath: [Paris, Lyon], cost: 6, hops: [EX01, EX02] }
 */
import path from 'node:path';
import { z } from 'zod';
import { displayPath, loadConfig, readConfigText, readDocument, requireTopology } from '../config/load.js';
import { unbracket } from '../core/model/address.js';
import type { Finding } from '../core/findings/finding.js';
import { findingsFromZod } from '../core/findings/from-zod.js';
import { keysAt } from '../core/schema/parse.js';
import type { RouteDecision } from '../core/route/types.js';
import { ConfigError, UserError } from '../errors.js';
import { parseSizeOption, planOrExplain } from './route-plan.js';

const text = () => z.string().min(1);
const expectSchema = z.strictObject({
  status: z.enum(['routed', 'unreachable', 'rejected']).optional(),
  recipientType: text().optional(),
  connector: z.string().nullable().optional(),
  deliveryType: text().optional(),
  nextHop: text().optional().meta({ description: 'NextHopDomain of the first queue' }),
  targets: z.array(text()).optional(),
  deliveryGroup: text().optional().meta({ description: 'name of the destination delivery group' }),
  routingDestination: text().optional(),
  sitePath: z.array(text()).optional(),
  cost: z.number().optional(),
  hops: z.array(text()).optional().meta({ description: 'servers the message stops on, in order' }),
  enhancedCode: text().optional(),
});

const caseSchema = z.strictObject({
  name: text().optional(),
  from: text(),
  to: text(),
  sender: text().optional(),
  size: z.union([z.string(), z.number()]).optional(),
  down: z.array(text()).optional(),
  expect: expectSchema,
});

const fileSchema = z.strictObject({
  config: text().optional(),
  tests: z.array(caseSchema).min(1),
});

export interface Mismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface RouteTestCase {
  name: string;
  from: string;
  to: string;
  passed: boolean;
  mismatches: Mismatch[];
  decision: RouteDecision;
}

export interface RouteTestResult {
  version: 1;
  file: string;
  config: string;
  passed: number;
  failed: number;
  cases: RouteTestCase[];
}

type Expect = z.infer<typeof expectSchema>;

function actualOf(decision: RouteDecision, field: keyof Expect): unknown {
  switch (field) {
    case 'nextHop':
      return decision.nextHop?.domain ?? null;
    case 'targets':
      return decision.nextHop?.targets ?? [];
    case 'deliveryGroup':
      return decision.deliveryGroup?.name ?? null;
    case 'routingDestination':
      return decision.routingDestination?.name ?? null;
    case 'hops':
      return decision.hops.map((h) => h.server);
    case 'enhancedCode':
      return decision.reason?.enhancedCode ?? null;
    default:
      return decision[field];
  }
}

function same(expected: unknown, actual: unknown): boolean {
  const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(norm) : v);
  return JSON.stringify(norm(expected)) === JSON.stringify(norm(actual));
}

export async function routeTest(options: { file: string; config?: string; cwd?: string }): Promise<RouteTestResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.file);
  const displayFile = displayPath(file, cwd);
  // The same reader, limits and located errors as a config (config/load): a FIFO or /dev/zero is
  // refused before it is read, a syntax error points at its line.
  const text = await readConfigText(file, displayFile, 'route test');
  const read = readDocument(text, displayFile);
  const located = (findings: Finding[]) =>
    new ConfigError(
      findings.map((f) => ({ ...f, location: f.location ?? read.locator?.locate(f.path) ?? { file: displayFile, line: 1, column: 1 } })),
      2,
      new Map([[displayFile, text]]),
    );
  if (!read.data) throw located(read.findings);
  const parsed = fileSchema.safeParse(read.data.value);
  if (!parsed.success) {
    const findings = findingsFromZod(parsed.error, (at) => keysAt(fileSchema, at), read.data.value);
    throw located(findings.map((f) => ({ ...f, hint: f.hint ?? 'each test needs from, to and expect; see mxt route test --help' })));
  }
  const spec = parsed.data;
  const config = options.config ?? (spec.config ? path.resolve(path.dirname(file), spec.config) : undefined);
  const loaded = await loadConfig({ config, cwd });
  const topology = requireTopology(loaded);
  const cases = spec.tests.map((t, i): RouteTestCase => {
    let size: number | undefined;
    try {
      size = t.size === undefined ? undefined : parseSizeOption(String(t.size), 'size');
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw located([{ ruleId: 'schema-type', severity: 'error', path: ['tests', i, 'size'], message: error.message, hint: 'e.g. size: 30MB' }]);
    }
    const [decision] = planOrExplain(topology, { from: t.from, recipients: [unbracket(t.to)], sender: t.sender === undefined ? undefined : unbracket(t.sender), size, down: t.down ?? [] }, { server: 'from:', down: 'down:' }).decisions;
    const mismatches: Mismatch[] = [];
    for (const [field, expected] of Object.entries(t.expect) as [keyof Expect, unknown][]) {
      if (expected === undefined) continue;
      const actual = actualOf(decision!, field);
      if (!same(expected, actual)) mismatches.push({ field, expected, actual });
    }
    return { name: t.name ?? `${t.from} → ${t.to}`, from: t.from, to: t.to, passed: mismatches.length === 0, mismatches, decision: decision! };
  });
  const passed = cases.filter((c) => c.passed).length;
  return { version: 1, file: path.relative(cwd, file) || file, config: loaded.displayFile, passed, failed: cases.length - passed, cases };
}
