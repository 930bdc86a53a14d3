/**
 * `route table` output, written as it is computed: one chunk per server (text: a block of rows; json:
 * one element of `servers`), so that the table of a large organization is never held as one string.
 * Both costs are named apart (R104): the site path's cost and the aggregate cost the choice was made on.
 */
import { Chalk } from 'chalk';
import type { RouteTableResult, ServerRoutes } from '../../app/route-table.js';
import type { RouteTableEntry } from '../../core/route/table.js';
import { UserError } from '../../errors.js';
import { columns, visible } from './route-format.js';
import type { ColorLevel } from './registry.js';

const cost = (n: number | null) => (n === null ? '-' : String(n));

/**
 * The servers of a site mostly share their rows (core/route/table.ts, sharedRow): such a row carries the
 * very field values of the row before it for the same class, with another server name. The renderers
 * remember the last server's rows and reuse what they made of a row whose fields are all the same
 * values, which spares four fifths of the rendering of a large organization's table.
 */
function sameButServer(a: RouteTableEntry, b: RouteTableEntry | undefined): boolean {
  if (!b) return false;
  let keys = 0;
  for (const k in a) {
    keys++;
    if (k !== 'server' && a[k as keyof RouteTableEntry] !== b[k as keyof RouteTableEntry]) return false;
  }
  for (const _ in b) keys--;
  return keys === 0;
}

function textRow(r: RouteTableEntry): string[] {
  return [
    r.class.label,
    (r.routingDestination ? `${r.routingDestination.type} ${r.routingDestination.name}` : '-') + (r.deliveryGroup && r.deliveryGroup.name !== r.routingDestination?.name ? ` (${r.deliveryGroup.type} ${r.deliveryGroup.name})` : ''),
    r.status === 'routed' ? (r.deliveryType ?? 'expand here') : r.reason ? `${r.status} ${r.reason.enhancedCode}` : r.status,
    r.nextHop?.domain ?? '-',
    r.nextHop?.targets.join(', ') || '-',
    cost(r.sitePathCost),
    cost(r.aggregateCost),
    r.sitePath.join(' → ') || '-',
  ];
}

const TEXT_HEADER = ['addresses', 'destination', 'delivery type', 'next hop', 'targets', 'site path cost', 'aggregate cost', 'site path'];

/** Text blocks; a server whose rows are all its predecessor's (but for the name) reuses its table. */
function textRenderer(c: InstanceType<typeof Chalk>): (s: ServerRoutes) => string {
  let last: { routes: readonly RouteTableEntry[]; body: string } | undefined;
  return (s) => {
    const head = c.bold(visible(`${s.server}`)) + c.dim(visible(` (${s.role}${s.site ? `, site ${s.site}` : ''})`));
    if (s.routes.length === 0) return `${head}\n  (no addresses to route)`;
    const prev = last;
    const reuse = prev !== undefined && prev.routes.length === s.routes.length && s.routes.every((r, i) => sameButServer(r, prev.routes[i]));
    const body = reuse ? prev.body : columns(TEXT_HEADER, s.routes.map(textRow), (t, r) => (r < 0 ? c.dim(t) : t)).join('\n');
    last = { routes: s.routes, body };
    return `${head}\n${body}`;
  };
}

/**
 * JSON as JSON.stringify(result, null, 2) writes it. A row is serialised at its own depth (8 spaces: four
 * arrays deep) and cut out, which costs a third of re-indenting it; a row that is its predecessor's but
 * for the server takes that row's text after the `"server"` line.
 */
const ROW_DEPTH_HEAD = '[\n  [\n    [\n      [\n'.length;
const ROW_DEPTH_TAIL = '\n      ]\n    ]\n  ]\n]'.length;
const SERVER_LINE = '        {\n          "server": ';

/** Rows per chunk: small enough that no chunk is a large heap object (the GC frees them young). */
const ROWS_PER_CHUNK = 64;

function jsonRenderer(): (s: ServerRoutes) => Generator<string> {
  let last: { entry: RouteTableEntry; rest: string }[] = [];
  return function* (s) {
    const next: { entry: RouteTableEntry; rest: string }[] = [];
    const head = `    {\n      "server": ${JSON.stringify(s.server)},\n      "role": ${JSON.stringify(s.role)},\n      "site": ${JSON.stringify(s.site)},\n      "routes": `;
    if (s.routes.length === 0) {
      last = next;
      yield `${head}[]\n    }`;
      return;
    }
    yield `${head}[\n`;
    let rows: string[] = [];
    for (let i = 0; i < s.routes.length; i++) {
      const r = s.routes[i]!;
      const server = JSON.stringify(r.server);
      let rest: string;
      const prev = last[i];
      if (prev && sameButServer(r, prev.entry)) rest = prev.rest;
      else {
        const json = JSON.stringify([[[[r]]]], null, 2);
        rest = json.slice(ROW_DEPTH_HEAD + SERVER_LINE.length + server.length, json.length - ROW_DEPTH_TAIL);
      }
      next.push({ entry: r, rest });
      rows.push(SERVER_LINE + server + rest);
      if (rows.length === ROWS_PER_CHUNK && i < s.routes.length - 1) {
        yield `${rows.join(',\n')},\n`;
        rows = [];
      }
    }
    last = next;
    yield `${rows.join(',\n')}\n      ]\n    }`;
  };
}

/** The output as a sequence of chunks (JSON: at most ROWS_PER_CHUNK rows each); same JSON as JSON.stringify(result, null, 2). */
export function* routeTableChunks(format: string, result: RouteTableResult, colorLevel: ColorLevel): Generator<string> {
  if (format === 'json') {
    yield `{\n  "version": ${result.version},\n  "file": ${JSON.stringify(result.file)},\n  "servers": [`;
    const element = jsonRenderer();
    let first = true;
    for (const s of result.servers) {
      yield first ? '\n' : ',\n';
      yield* element(s);
      first = false;
    }
    yield first ? ']\n}\n' : '\n  ]\n}\n';
    return;
  }
  if (format !== 'text') throw new UserError(`unknown format "${format}"`, `use one of: ${ROUTE_TABLE_FORMATS.join(', ')}`);
  const block = textRenderer(new Chalk({ level: colorLevel }));
  let first = true;
  for (const s of result.servers) {
    yield `${first ? '' : '\n'}${block(s)}\n`;
    first = false;
  }
}

export const ROUTE_TABLE_FORMATS = ['text', 'json'];

/** The whole output as one string (tests, small tables). */
export function renderRouteTable(format: string, result: RouteTableResult, colorLevel: ColorLevel): string {
  return [...routeTableChunks(format, result, colorLevel)].join('');
}
