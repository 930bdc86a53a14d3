/**
 * Receive connector listeners on one server: V20, V21, V22 (R17, R30–R34, A17).
 * Only enabled connectors listen. The default connectors count: a new connector on 0.0.0.0:25 with
 * the default remote ranges collides with `Default Frontend` (V21).
 */
import type { Finding } from '../findings/finding.js';
import { parseBinding, parseIpRange, rangeContainsRange, rangesOverlap, type Binding, type IpRange } from '../model/ip-range.js';
import { nameKey } from '../model/names.js';
import type { ReceiveConnector } from '../model/topology.js';
import type { Rule } from './rule.js';
import { at, describeOrigin, directory, finding } from './support.js';

interface Listener {
  connector: ReceiveConnector;
  bindings: { binding: Binding; text: string; index: number }[];
  ranges: { range: IpRange; text: string; index: number }[];
}

function listener(connector: ReceiveConnector): Listener {
  return {
    connector,
    bindings: connector.bindings.flatMap((text, index) => {
      const p = parseBinding(text);
      return p.ok ? [{ binding: p.value, text, index }] : [];
    }),
    ranges: connector.remoteIPRanges.flatMap((text, index) => {
      const p = parseIpRange(text);
      return p.ok ? [{ range: p.value, text, index }] : [];
    }),
  };
}

/** A17: the kernel gives a port of one family to one socket, so a wildcard and a specific address clash. */
function clash(a: Binding, b: Binding): boolean {
  return a.port === b.port && a.family === b.family && (a.value === undefined || b.value === undefined || a.value === b.value);
}

function sameBinding(a: Binding, b: Binding): boolean {
  return a.port === b.port && a.family === b.family && a.value === b.value;
}

const sameRange = (a: IpRange, b: IpRange) => a.family === b.family && a.first === b.first && a.last === b.last;
const service = (c: ReceiveConnector) => (c.transportRole === 'FrontendTransport' ? 'Front End Transport' : c.transportRole === 'MailboxDelivery' ? 'Mailbox Transport Delivery' : 'Transport');
const named = (c: ReceiveConnector) => `${c.name}${describeOrigin(c.origin)}`;

export const receiveBindings: Rule = ({ topology, written }) => {
  const dir = directory(topology);
  const byServer = new Map<string, ReceiveConnector[]>();
  for (const c of topology.receiveConnectors) {
    if (!c.enabled || !dir.servers.has(nameKey(c.server))) continue;
    const key = nameKey(c.server);
    const list = byServer.get(key);
    if (list) list.push(c);
    else byServer.set(key, [c]);
  }
  const findings: Finding[] = [];
  for (const connectors of byServer.values()) {
    // Created connectors never clash with each other, except on servers sharing a name (V1's business):
    // a server with no written connector needs no parsing at all.
    if (!connectors.some((c) => c.origin.kind === 'config')) continue;
    const listeners = connectors.map(listener);
    for (let i = 0; i < listeners.length; i++) {
      for (let j = i + 1; j < listeners.length; j++) {
        if (listeners[i]!.connector.origin.kind !== 'config' && listeners[j]!.connector.origin.kind !== 'config') continue;
        // Report at a written connector: the created ones cannot be changed, only replaced.
        const [mine, other] = listeners[j]!.connector.origin.kind === 'config' || listeners[i]!.connector.origin.kind !== 'config' ? [listeners[j]!, listeners[i]!] : [listeners[i]!, listeners[j]!];
        const found = pair(mine, other, (c) => c.origin.kind === 'config' && written.receiveConnectors[c.origin.path[1] as number]?.remoteIPRanges === undefined);
        if (found) findings.push(found);
      }
    }
  }
  return findings;
};

function pair(mine: Listener, other: Listener, defaultRanges: (c: ReceiveConnector) => boolean): Finding | undefined {
  const a = mine.connector;
  const b = other.connector;
  if (a.transportRole !== b.transportRole) {
    for (const x of mine.bindings) {
      const y = other.bindings.find((o) => clash(x.binding, o.binding));
      if (!y) continue;
      return finding(
        'V20',
        at(a.origin, 'bindings', x.index),
        `receive connector ${a.name} (${service(a)}) binds ${x.text}, which ${named(b)} of the ${service(b)} service already holds with ${y.text} on server ${a.server}: two services cannot listen on one IP:port`,
        b.transportRole === 'MailboxDelivery'
          ? `use another port: ${y.binding.port} belongs to the Mailbox Transport Delivery service`
          : `use another port (the Transport service listens on 2525 for this reason, R17), or make it a ${b.transportRole} connector`,
      );
    }
    return undefined;
  }
  const shared = mine.bindings.find((x) => other.bindings.some((y) => sameBinding(x.binding, y.binding)));
  if (!shared) return undefined;
  for (const x of mine.ranges) {
    const y = other.ranges.find((o) => sameRange(x.range, o.range));
    if (!y) continue;
    return finding(
      'V21',
      at(a.origin, 'remoteIPRanges', x.index),
      `receive connectors ${a.name} and ${named(b)} both listen on ${shared.text} for remote range ${x.text}${defaultRanges(a) ? ` (${a.name} sets no remoteIPRanges, so it takes every address)` : ''}: a session from there matches both equally (R32)`,
      `narrow remoteIPRanges of ${a.name} to the hosts it is for (e.g. 10.1.5.0/24), or bind it to another address or port`,
    );
  }
  for (const x of mine.ranges) {
    const y = other.ranges.find((o) => rangesOverlap(x.range, o.range) && !rangeContainsRange(x.range, o.range) && !rangeContainsRange(o.range, x.range));
    if (!y) continue;
    return finding(
      'V22',
      at(a.origin, 'remoteIPRanges', x.index),
      `remote range ${x.text} of ${a.name} partly overlaps ${y.text} of ${named(b)} on ${shared.text}: ranges on one binding may overlap only when one contains the other (R34)`,
      'make one range contain the other, or make them disjoint',
    );
  }
  return undefined;
}
