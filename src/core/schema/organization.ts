/** Org-wide settings: Set-TransportConfig (R186), Set-TransportService defaults (R166), Set-RecipientFilterConfig (R73). */
import { z } from 'zod';
import { duration, size } from './leaf.js';

export const organizationSchema = z
  .strictObject({
    name: z.string().trim().min(1).default('Organization').meta({ description: 'Organization name' }),
    maxSendSize: size().default(10 * 1024 ** 2).meta({ description: 'MaxSendSize of Set-TransportConfig (R130)', default: '10MB' }),
    maxReceiveSize: size().default(10 * 1024 ** 2).meta({ description: 'MaxReceiveSize of Set-TransportConfig (R130)', default: '10MB' }),
    maxRecipientEnvelopeLimit: z.union([z.number().int().min(1), z.literal('unlimited')]).default(500).meta({ description: 'Most recipients in one message envelope (R130)' }),
    externalDelayDSNEnabled: z.boolean().default(true),
    internalDelayDSNEnabled: z.boolean().default(true),
    shadowRedundancyEnabled: z.boolean().default(true),
    rejectMessageOnShadowFailure: z.boolean().default(false),
    shadowMessagePreferenceSetting: z.enum(['PreferRemote', 'RemoteOnly', 'LocalOnly']).default('PreferRemote'),
    safetyNetHoldTime: duration().default(2 * 86_400_000).meta({ default: '2d' }),
    internalSMTPServers: z.array(z.string()).default([]),
    tlsSendDomainSecureList: z.array(z.string()).default([]).meta({ description: 'Domains that domain-secure send connectors may use (R108)' }),
    tlsReceiveDomainSecureList: z.array(z.string()).default([]),
  })
  .meta({ description: 'Organization-wide transport settings (Set-TransportConfig)' });

/** Per-server transport settings of Set-TransportService (R166, R186); each may be overridden per server. */
export const transportServiceShape = {
  messageExpirationTimeout: duration().optional().meta({ description: 'Undelivered messages expire after this (R164)', default: '2d' }),
  delayNotificationTimeout: duration().optional().meta({ description: 'A delay DSN goes to the sender after this (R163)', default: '4h' }),
  transientFailureRetryCount: z.number().int().min(0).max(15).optional().meta({ description: 'Transient failure retry attempts (R160)', default: 6 }),
  transientFailureRetryInterval: duration().optional().meta({ description: 'Interval between transient retries: 5m (Mailbox), 10m (Edge)' }),
  outboundConnectionFailureRetryInterval: duration().optional().meta({ description: 'Retry interval after the transient ones: 10m (Mailbox), 30m (Edge)' }),
  messageRetryInterval: duration().optional().meta({ default: '15m' }),
  queueMaxIdleTime: duration().optional().meta({ default: '3m' }),
  queueGlitchRetryCount: z.number().int().min(0).optional().meta({ default: 4 }),
  queueGlitchRetryInterval: duration().optional().meta({ default: '1m' }),
  mailboxDeliveryQueueRetryInterval: duration().optional().meta({ default: '5m' }),
  maxIdleTimeBeforeResubmit: duration().optional().meta({ default: '12h' }),
  maxOutboundConnections: z.union([z.number().int().min(1), z.literal('unlimited')]).optional().meta({ default: 1000 }),
  maxPerDomainOutboundConnections: z.union([z.number().int().min(1), z.literal('unlimited')]).optional().meta({ default: 20 }),
  maxConnectionRatePerMinute: z.number().int().min(1).optional().meta({ default: 1200 }),
  externalDNSServers: z.array(z.string()).optional(),
  internalDNSServers: z.array(z.string()).optional(),
};

export const transportServiceSchema = z
  .strictObject(transportServiceShape)
  .meta({ description: 'Set-TransportService settings; org-wide defaults here, per-server overrides under servers[].transportService' });

export const recipientFilterSchema = z
  .strictObject({
    recipientValidationEnabled: z.boolean().default(false).meta({ description: 'Recipient Lookup on Edge servers (R73)' }),
  })
  .meta({ description: 'Set-RecipientFilterConfig' });
