/**
 * NDR and Unreachable reasons of the routing core (R61, R87, R104, R120, R121, R132). Texts marked
 * [MXT] in the spec are mxt's wording (A10): tests assert codes, not texts.
 */
import type { RouteReason } from './types.js';

export const reasons = {
  recipientNotFound: (): RouteReason => ({ code: 550, enhancedCode: '5.1.1', text: 'RESOLVER.ADR.RecipNotFound; not found', rule: 'R61' }),
  invalidAddress: (): RouteReason => ({ code: 550, enhancedCode: '5.1.2', text: 'ROUTING.InvalidAddress; invalid address domain', rule: 'R121' }),
  routeSizeLimit: (rule: string): RouteReason => ({
    code: 550,
    enhancedCode: '5.3.4',
    text: 'ROUTING.SizeLimit; message size exceeds fixed maximum size for route',
    rule,
  }),
  recipientSizeLimit: (): RouteReason => ({ code: 550, enhancedCode: '5.2.3', text: 'RESOLVER.RST.RecipSizeLimit; message too large for this recipient', rule: 'R131' }),
  senderSizeLimit: (): RouteReason => ({ code: 550, enhancedCode: '5.2.3', text: 'RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender', rule: 'R131' }),
  orgSizeLimit: (): RouteReason => ({ code: 550, enhancedCode: '5.2.3', text: 'RESOLVER.RST.SendSizeLimit.Org; message too large for this organization', rule: 'R131' }),
  tooManyRecipients: (): RouteReason => ({ code: 550, enhancedCode: '5.5.3', text: 'RESOLVER.ADR.RecipLimit; too many recipients', rule: 'R132' }),
  // R120: Unreachable queue; the NDR comes only when the message expires there.
  noConnector: (): RouteReason => ({ code: 550, enhancedCode: '4.4.7', text: 'A matching connector cannot be found to route the external recipient', rule: 'R120' }),
  noRoute: (group: string): RouteReason => ({ code: 550, enhancedCode: '4.4.7', text: `No route to the destination delivery group ${group}`, rule: 'R120' }),
  noServer: (group: string): RouteReason => ({ code: 550, enhancedCode: '4.4.7', text: `Destination delivery group ${group} has no available server`, rule: 'R120' }),
  routingLoop: (server: string): RouteReason => ({ code: 550, enhancedCode: '4.4.6', text: `Routing loop detected at ${server}`, rule: 'R93' }),
};

/** R120: the single Unreachable queue of a server. */
export const UNREACHABLE_DOMAIN = 'Unreachable Domain';
