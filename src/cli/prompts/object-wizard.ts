/**
 * The add wizard: asks for the values an `add` still misses, one question per missing key of the
 * kind's table. Choices come from the topology (sites, servers, DAGs); typed answers are checked
 * with the same parsers as flags (address spaces, IP ranges, sizes). Returns a draft; never writes.
 */
import { fieldOf, RECEIVE_USAGES, SEND_USAGES, type Draft, type EditKind } from '../../core/edit/kinds.js';
import { checkAnswer, parseFieldValue } from '../../core/edit/parse-field.js';
import type { RefKind } from '../../core/edit/fields.js';
import { describeIdentity, findEntry, identityOf, sectionOf, type Identity } from '../../core/edit/plan.js';
import { askChoice, askChoices, askText, type Choice } from './ask.js';

type Entry = Record<string, unknown>;

export function entries(topology: unknown, section: string): Entry[] {
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
  'send:Custom': 'to any domain; 35MB limit',
  'send:Internal': 'to other Exchange organizations or servers; no size limit',
  'send:Internet': 'to the Internet (address space *); 35MB limit',
  'send:Partner': 'to a partner domain, usually over TLS; 35MB limit',
  'receive:Client': 'mail clients of your users: port 587, user logons',
  'receive:Custom': 'anything else, e.g. an application relay: you choose who may use it',
  'receive:Internal': 'other Exchange servers: port 25, Exchange server logons',
  'receive:Internet': 'anonymous mail from the Internet, every IPv4 client',
  'receive:Partner': 'a partner\'s servers over TLS',
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
  const identity = kind.identity[kind.identity.length - 1]!;
  for (const key of kind.fields.map((f) => f.key).filter((k) => missing.includes(k))) {
    const spec = fieldOf(kind, key)!;
    const message = `${key} — ${spec.description}`;
    const unique = key === identity ? uniqueName(kind, topology) : () => true as const;
    const refs = spec.ref ? refChoices(spec.ref, topology) : [];
    if (refs.length > 0 && spec.parse === 'strings') answers[key] = await askChoices(message, refs, { min: key === 'sites' ? 2 : 1 });
    else if (refs.length > 0) answers[key] = await askChoice(message, refs);
    else if (spec.parse === 'enum') answers[key] = await askChoice(message, (spec.choices ?? []).map((c) => ({ name: c, value: c })));
    else if (spec.parse === 'enums') answers[key] = await askChoices(message, (spec.choices ?? []).map((c) => ({ name: c, value: c })), { min: 1 });
    else {
      const text = await askText(message, {
        default: suggest[key],
        validate: (value) => {
          if (value.trim() === '') return 'a value is required';
          const checked = checkAnswer(spec, value);
          return checked === true ? unique(value) : checked;
        },
      });
      const parsed = parseFieldValue(spec, text);
      if (parsed.ok) answers[key] = parsed.value;
    }
  }
  return answers;
}

/**
 * Name answers: required, at most `maxLength`, and not the name of an entry already there (the
 * edit's own lookup, case-insensitive as Exchange and AD compare); `scope` fixes the other identity
 * keys (a receive connector's server).
 */
export function uniqueName(kind: EditKind, topology: unknown, scope: Identity = {}, maxLength?: number) {
  const key = kind.identity[kind.identity.length - 1]!;
  return (text: string): true | string => {
    const name = text.trim();
    if (name === '') return 'a name is required';
    if (maxLength && name.length > maxLength) return `at most ${maxLength} characters`;
    const index = findEntry(topology, kind, { ...scope, [key]: name });
    return index < 0 || `${describeIdentity(kind, identityOf(kind, sectionOf(topology, kind)[index]!))} already exists`;
  };
}

/** A whole number from `min` to `max` (ports, costs). */
export function wholeNumber(min: number, max: number) {
  return (text: string): true | string => {
    const n = Number(text.trim());
    return (/^\d+$/.test(text.trim()) && n >= min && n <= max) || `"${text}" is not a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  };
}

/**
 * Questions beyond the required keys, where Exchange or AD asks them when the object is created:
 * a site link's cost (New-ADReplicationSiteLink; AD's default 100 offered: routing decides by it),
 * an accepted domain's type (New-AcceptedDomain, the EAC's radio buttons; Authoritative offered).
 * An answer equal to the default is not written, as the flags would not write it.
 */
export async function askExtras(kind: EditKind, draft: Draft): Promise<Draft> {
  const answers: Draft = {};
  if (kind.id === 'sitelink' && draft.cost === undefined) {
    answers.cost = Number((await askText(`cost — ${fieldOf(kind, 'cost')!.description}`, { default: '100', validate: wholeNumber(1, 99_999) })).trim());
  }
  if (kind.id === 'domain' && draft.domainType === undefined) {
    const type = await askChoice(
      `domainType — ${fieldOf(kind, 'domainType')!.description}`,
      (fieldOf(kind, 'domainType')!.choices ?? []).map((c) => ({ name: c, value: c })),
      'Authoritative',
    );
    if (type !== 'Authoritative') answers.domainType = type;
  }
  return answers;
}
