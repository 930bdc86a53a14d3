/**
 * Usage presets for `connector add`: the explicit keys a usage type stands for, written into the file
 * so that what the connector does no longer depends on a label.
 * - Receive (R35): permission groups and auth mechanisms per usage; Client and Internal fix the
 *   bindings; Internet fixes the remote ranges to all IPv4, so they are not written (the rule
 *   receive-connector-role refuses them); Client is not available on an Edge.
 * - Send (R110, A2): the usage is a label, except that Internal makes MaxMessageSize unlimited
 *   (35 MB otherwise). R180 keeps AddressSpaces required for every usage, so no usage invents one,
 *   and DomainSecureEnabled stays false whatever the usage (R108): no TLS defaults for Partner.
 */
import { receiveUsageDefaults } from '../schema/default-receive-connectors.js';
import { sameName } from '../model/names.js';
import type { Draft } from './kinds.js';

export interface Preset {
  draft: Draft;
  /** Contradictions between the flags and the usage (R35's fixed rules). */
  problems: string[];
}

export function sendConnectorPreset(given: Draft): Preset {
  const usage = (given.usage as string | undefined) ?? 'Custom';
  const draft: Draft = { ...given, usage };
  // R107: smart hosts without an explicit DNSRoutingEnabled mean smart-host routing.
  if (draft.dnsRoutingEnabled === undefined) draft.dnsRoutingEnabled = !(Array.isArray(given.smartHosts) && given.smartHosts.length > 0);
  if (draft.maxMessageSize === undefined) draft.maxMessageSize = usage === 'Internal' ? 'unlimited' : '35MB';
  return { draft, problems: [] };
}

export function receiveConnectorPreset(given: Draft, serverRole: 'Mailbox' | 'Edge'): Preset {
  const usage = (given.usage as string | undefined) ?? 'Custom';
  const defaults = receiveUsageDefaults(usage, serverRole);
  const problems: string[] = [];
  if (usage === 'Client' && serverRole === 'Edge') problems.push('usage Client is not available on an Edge server (R35)');
  const fixedBindings = usage === 'Client' || usage === 'Internal' ? defaults.bindings : undefined;
  const given_bindings = given.bindings as string[] | undefined;
  if (fixedBindings && given_bindings && !sameList(given_bindings, fixedBindings)) {
    problems.push(`usage ${usage} fixes the bindings to ${fixedBindings.join(', ')} (R35): drop --bindings or use --usage Custom`);
  }
  if (usage === 'Internet' && given.remoteIPRanges !== undefined) {
    problems.push('usage Internet takes no remote IP ranges: they are fixed to all IPv4 (R35); use --usage Partner or Custom to limit them');
  }
  const draft: Draft = { ...given, usage };
  draft.permissionGroups ??= defaults.permissionGroups;
  draft.authMechanism ??= defaults.authMechanism;
  if (fixedBindings) draft.bindings ??= fixedBindings;
  return { draft, problems };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => sameName(x, b[i]!));
}
