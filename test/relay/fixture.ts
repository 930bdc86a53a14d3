/** The topology the relay's engine and server tests share: one Mailbox server with its defaults plus connectors with small limits. */
import type { Topology } from '../../src/core/model/topology.js';
import { contosoDomain, mailbox, topology } from '../helpers/topology.js';

export function relayTopology(): Topology {
  return topology({
    sites: [{ name: 'Paris' }],
    servers: [mailbox('MBX-PAR', 'Paris', { addresses: ['10.1.0.11'], fqdn: 'mbx-par.contoso.com' })],
    acceptedDomains: [contosoDomain, { domainName: 'legacy.contoso.com', domainType: 'InternalRelay' }],
    recipients: { mailboxes: [{ address: 'alice@contoso.com', database: 'DB1' }] },
    mailboxDatabases: [{ name: 'DB1', masterServerOrAvailabilityGroup: 'MBX-PAR' }],
    receiveConnectors: [
      {
        name: 'Tiny',
        server: 'MBX-PAR',
        bindings: ['0.0.0.0:2600'],
        permissionGroups: ['AnonymousUsers'],
        maxRecipientsPerMessage: 2,
        maxMessageSize: '2KB',
        maxHeaderSize: '1KB',
        maxHopCount: 3,
        maxProtocolErrors: 3,
      },
      { name: 'Strict', server: 'MBX-PAR', bindings: ['0.0.0.0:2601'], permissionGroups: ['AnonymousUsers'], requireTLS: true, authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'] },
      {
        name: 'Plain',
        server: 'MBX-PAR',
        bindings: ['0.0.0.0:2602'],
        permissionGroups: ['AnonymousUsers', 'ExchangeUsers'],
        authMechanism: ['BasicAuth'],
        enhancedStatusCodesEnabled: false,
        chunkingEnabled: false,
        smtpUtf8Enabled: false,
        deliveryStatusNotificationEnabled: false,
      },
    ],
  });
}
