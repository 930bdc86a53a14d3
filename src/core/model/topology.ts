/**
 * The effective topology: what the user wrote plus every default Exchange would create or imply
 * (default receive connectors, Edge subscription connectors, per-connector and per-server defaults).
 * Every other part of mxt reads this form only. It is what `mxt show effective` prints.
 */
import type { WrittenReceiveConnector, WrittenSendConnector, WrittenServer, WrittenTopology } from '../schema/topology.js';
import type { AddressSpace } from './address-space.js';
import type { ByteSize, Duration } from './units.js';

/** A path in the config file: `['sendConnectors', 2, 'smartHosts', 0]`. */
export type ConfigPath = readonly (string | number)[];

/** Where an effective object comes from: written in the file, or created as Exchange would. */
export interface Origin {
  kind: 'config' | 'default' | 'edgeSubscription' | 'implicit';
  /** The written object (or, for created ones, the object that caused them). */
  path: ConfigPath;
}

export type Limit = number | 'unlimited';

export interface TransportServiceSettings {
  messageExpirationTimeout: Duration;
  delayNotificationTimeout: Duration;
  transientFailureRetryCount: number;
  transientFailureRetryInterval: Duration;
  outboundConnectionFailureRetryInterval: Duration;
  messageRetryInterval: Duration;
  queueMaxIdleTime: Duration;
  queueGlitchRetryCount: number;
  queueGlitchRetryInterval: Duration;
  mailboxDeliveryQueueRetryInterval: Duration;
  maxIdleTimeBeforeResubmit: Duration;
  maxOutboundConnections: Limit;
  maxPerDomainOutboundConnections: Limit;
  maxConnectionRatePerMinute: number;
  externalDNSServers: string[];
  internalDNSServers: string[];
}

export interface Server extends Omit<WrittenServer, 'fqdn' | 'transportService' | 'site'> {
  fqdn: string;
  /** Mailbox: its own site. Edge: the site it is subscribed to (R118), if any. */
  site: string | undefined;
  transportService: TransportServiceSettings;
  origin: Origin;
}

export interface SendConnector extends Omit<WrittenSendConnector, 'maxMessageSize' | 'useExternalDNSServersEnabled' | 'addressSpaces'> {
  addressSpaces: AddressSpace[];
  maxMessageSize: ByteSize;
  useExternalDNSServersEnabled: boolean;
  /** Set on the two connectors an Edge subscription creates (R116). */
  edgeSync?: { site: string; direction: 'ToInternet' | 'Inbound' };
  origin: Origin;
}

export type TransportRole = 'FrontendTransport' | 'HubTransport' | 'MailboxDelivery';

export interface ReceiveConnector
  extends Required<
    Omit<
      WrittenReceiveConnector,
      'transportRole' | 'usage' | 'fqdn' | 'banner' | 'comment' | 'tlsCertificateName' | 'defaultDomain' | 'serviceDiscoveryFqdn'
    >
  > {
  /** `Edge` for the Transport service of an Edge server. */
  transportRole: TransportRole | 'Edge';
  usage?: WrittenReceiveConnector['usage'];
  fqdn: string;
  banner?: string;
  comment?: string;
  tlsCertificateName?: string;
  defaultDomain?: string;
  serviceDiscoveryFqdn?: string;
  origin: Origin;
}

export type AcceptedDomain = WrittenTopology['acceptedDomains'][number] & { name: string; addressBookEnabled: boolean };

export interface Topology
  extends Omit<WrittenTopology, 'servers' | 'sendConnectors' | 'receiveConnectors' | 'acceptedDomains' | 'transportService'> {
  transportService: TransportServiceSettings;
  servers: Server[];
  acceptedDomains: AcceptedDomain[];
  sendConnectors: SendConnector[];
  receiveConnectors: ReceiveConnector[];
}

export type Site = Topology['sites'][number];
export type SiteLink = Topology['siteLinks'][number];
export type Dag = Topology['databaseAvailabilityGroups'][number];
export type MailboxDatabase = Topology['mailboxDatabases'][number];
export type EdgeSubscription = Topology['edgeSubscriptions'][number];
export type Mailbox = Topology['recipients']['mailboxes'][number];
export type DistributionGroup = Topology['recipients']['distributionGroups'][number];
export type MailContact = Topology['recipients']['mailContacts'][number];
