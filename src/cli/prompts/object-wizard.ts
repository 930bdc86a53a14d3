/**
 * The add wizard: asks for the values an `add` still misses, one question per missing key of the
 * kind's table. Choices come from the topology (sites, servers, DAGs); typed answers are checked
 * with the same parsers as flags (address spaces, IP ranges, sizes). Returns a draft; never writes.
 */
import { fieldOf, RECEIVE_USAGES, SEND_USAGES, type Draft, type EditKind } from '../../core/edit/kinds.js';
import { checkAnswer, parseFieldValue } from '../../core/edit/parse-field.js';
import type { RefKind } from '../../core/edit/fields.js';
import { askChoice, askChoices, askText, type Choice } from './ask.js';

type Entry = Record<string, unknown>;

function entries(topology: unknown, section: string): Entry[] {
  const list = (topology as Record<string, unknown> | null)?.[section];
  return Array.isArray(list) ? list.filter((e): e is Entry => typeof e === 'object' && e !== null) : [];
}

/** Names the topology offers for a reference. */
export function refChoices(ref: RefKind, topology: unknown): Choice[] {
  const servers = entries(topology, 'servers');
  const serverChoice = (s: Entry): Choice => ({ name: `${String(s.name)} (${String(s.role ?? 'Mailbox')}${s.site ? `, ${String(s.site)}` : ''})`, value: String(s.name) });
  const mailbox = servers.filter((s) => (s.role ?? 'Mailbox') === 'Mailbox');
  const dags = entries(topology, 'databaseAvailabilityGroups').map((d): Choice => ({ name: `${String(d.name)} (DAG)`, value: String(d.name) }));
  switch (ref) {
    case 'site':
      return entries(topology, 'sites').map((s) => ({ name: String(s.name), value: String(s.name) }));
    case 'server':
      return servers.map(serverChoice);
    case 'mailboxServer':
      return mailbox.map(serverChoice);
    case 'dag':
      return dags;
    case 'serverOrDag':
      return [...dags, ...mailbox.map(serverChoice)];
  }
}

const USAGE_NOTES: Record<string, string> = {
  'send:Custom': 'a label only; 35MB limit',
  'send:Internal': 'MaxMessageSize unlimited (R110, A2)',
  'send:Internet': 'a label only; 35MB limit',
  'send:Partner': 'a label only; 35MB limit',
  'receive:Client': 'ExchangeUsers, Tls+BasicAuth+Integrated, bound to 0.0.0.0:587 (R35)',
  'receive:Custom': 'no permission group, Tls (R35)',
  'receive:Internal': 'Exchange servers, Tls+ExchangeServer, bound to 0.0.0.0:25 (R35)',
  'receive:Internet': 'AnonymousUsers, Tls, all IPv4 clients (R35)',
  'receive:Partner': 'Partners, Tls (R35)',
};

export async function askUsage(kind: EditKind): Promise<string> {
  const usages = kind.id === 'send' ? SEND_USAGES : RECEIVE_USAGES;
  return askChoice(
    `Usage of the ${kind.noun}`,
    usages.map((u) => ({ name: `${u} — ${USAGE_NOTES[`${kind.id}:${u}`]}`, value: u })),
    'Custom',
  );
}

/** Answers for `missing`, in table order. `suggest` pre-fills text answers (e.g. SMTP:* for Internet). */
export async function askMissing(kind: EditKind, missing: readonly string[], topology: unknown, suggest: Record<string, string> = {}): Promise<Draft> {
  const answers: Draft = {};
  for (const key of kind.fields.map((f) => f.key).filter((k) => missing.includes(k))) {
    const spec = fieldOf(kind, key)!;
    const message = `${key} — ${spec.description}`;
    const refs = spec.ref ? refChoices(spec.ref, topology) : [];
    if (refs.length > 0 && spec.parse === 'strings') answers[key] = await askChoices(message, refs, { min: key === 'sites' ? 2 : 1 });
    else if (refs.length > 0) answers[key] = await askChoice(message, refs);
    else if (spec.parse === 'enum') answers[key] = await askChoice(message, (spec.choices ?? []).map((c) => ({ name: c, value: c })));
    else if (spec.parse === 'enums') answers[key] = await askChoices(message, (spec.choices ?? []).map((c) => ({ name: c, value: c })), { min: 1 });
    else {
      const text = await askText(message, {
        default: suggest[key],
        validate: (value) => (value.trim() === '' ? 'a value is required' : checkAnswer(spec, value)),
      });
      const parsed = parseFieldValue(spec, text);
      if (parsed.ok) answers[key] = parsed.value;
    }
  }
  return answers;
}
