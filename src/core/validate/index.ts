/** validateTopology(): every semantic rule, in a stable order. */
import type { Finding } from '../findings/finding.js';
import { ambiguousConnectors } from './ambiguous-connectors.js';
import {
  acceptedDomainOverlap,
  acceptedDomainSyntax,
  externalRelayReachable,
  internalRelayReachable,
  oneDefaultDomain,
} from './domains.js';
import { edgePlacement, edgeSiteHasMailbox, edgeSubscriptionTarget } from './edge.js';
import { confusableNames, uniqueNames } from './names.js';
import { openRelay } from './open-relay.js';
import { receiveBindings } from './receive-bindings.js';
import {
  bindingOnServerAddress,
  receiveAuth,
  receiveConnectorAboveOrgLimit,
  receiveConnectorRole,
  receiveSession,
} from './receive-connectors.js';
import { expansionServerMailbox, groupMembershipCycle, recipientDomain, recipientUnique } from './recipients.js';
import { unknownReferences } from './references.js';
import type { Rule, RuleContext } from './rule.js';
import {
  edgeConnectorSettings,
  sendConnectorAboveOrgLimit,
  sendConnectorTls,
  smartHostRouting,
  sourceServerPlacement,
} from './send-connectors.js';
import { databaseHosting, dagMembers, serverInSite } from './servers.js';
import { hubSiteHasServer, hubSiteOnAPath, siteLinkLimits, siteLinkSites, sitesConnected } from './sites.js';

const rules: Rule[] = [
  // Names and references first: the section rules skip what these report.
  uniqueNames,
  confusableNames,
  unknownReferences,
  // Sites and site links
  siteLinkSites,
  siteLinkLimits,
  sitesConnected,
  hubSiteHasServer,
  hubSiteOnAPath,
  // Servers, DAGs, databases, Edge
  serverInSite,
  edgePlacement,
  dagMembers,
  databaseHosting,
  edgeSubscriptionTarget,
  edgeSiteHasMailbox,
  // Receive connectors
  receiveAuth,
  receiveSession,
  receiveConnectorRole,
  openRelay,
  receiveBindings,
  bindingOnServerAddress,
  receiveConnectorAboveOrgLimit,
  // Send connectors
  sendConnectorTls,
  smartHostRouting,
  edgeConnectorSettings,
  sourceServerPlacement,
  ambiguousConnectors,
  sendConnectorAboveOrgLimit,
  // Accepted domains and recipients
  acceptedDomainSyntax,
  oneDefaultDomain,
  acceptedDomainOverlap,
  externalRelayReachable,
  internalRelayReachable,
  recipientDomain,
  recipientUnique,
  groupMembershipCycle,
  expansionServerMailbox,
];

export function validateTopology(ctx: RuleContext): Finding[] {
  return rules.flatMap((rule) => rule(ctx));
}
