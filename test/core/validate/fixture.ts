/** A small valid organization the rule tests start from, and helpers to pick findings of one rule. */
import { formatPath, type Finding } from '../../../src/core/findings/finding.js';
import type { WrittenTopologyInput } from '../../../src/core/schema/topology.js';
import { contosoDomain, findingsOf, mailbox } from '../../helpers/topology.js';

export type Config = WrittenTopologyInput;

/** Two linked sites, one Mailbox server each, a database, contoso.com and an Internet connector. */
export function base(): Config {
  return {
    sites: [{ name: 'Paris' }, { name: 'Lyon' }],
    siteLinks: [{ name: 'Paris-Lyon', sites: ['Paris', 'Lyon'], cost: 10 }],
    servers: [mailbox('EX01', 'Paris', { addresses: ['10.1.0.11'] }), mailbox('EX02', 'Lyon')],
    mailboxDatabases: [{ name: 'DB01', masterServerOrAvailabilityGroup: 'EX01' }],
    acceptedDomains: [{ ...contosoDomain }],
    recipients: { mailboxes: [{ address: 'alice@contoso.com', database: 'DB01' }] },
    sendConnectors: [{ name: 'To Internet', addressSpaces: ['SMTP:*;100'], sourceTransportServers: ['EX01'] }],
  };
}

/** The base with more entries appended to some sections (arrays are concatenated, the rest replaced). */
export function withBase(extra: Partial<Record<keyof Config, unknown>>): Config {
  const config = base() as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    const current = config[key];
    config[key] = Array.isArray(current) && Array.isArray(value) ? [...current, ...value] : value;
  }
  return config as Config;
}

/** Findings of one rule, as `path` strings (what a test usually asserts). */
export function rule(config: unknown, ruleId: string): Finding[] {
  return findingsOf(config).filter((f) => f.ruleId === ruleId);
}

export function pathsOf(config: unknown, ruleId: string): string[] {
  return rule(config, ruleId).map((f) => formatPath(f.path));
}

export { findingsOf, mailbox };
