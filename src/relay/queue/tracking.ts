/**
 * Message tracking past RECEIVE: what happened to each recipient of a queued message, as Exchange's
 * message tracking log records it (EventId and field names, in the camelCase of the RECEIVE event of
 * server/logs.ts): SEND (a next hop took it), DELIVER (written into a mailbox), FAIL (permanent
 * failure or expiry), EXPAND (a group replaced by its members), DSN (a report was generated),
 * POISONMESSAGE (set aside after crashes, R140). Without these, a message that bounced and whose
 * report could not be delivered in turn left no trace after RECEIVE.
 *
 * The events are told to a tracker (the relay's tracking log); the queue's stages reach it through
 * the store they share. An event is written once its change is decided, before that transaction
 * commits: a crash in between can log an event whose effect is then done again (at least once).
 */
import type { MessageRow } from './store.js';

export type TrackingEventId = 'SEND' | 'DELIVER' | 'FAIL' | 'EXPAND' | 'DSN' | 'POISONMESSAGE';

export interface TrackingEvent {
  eventId: TrackingEventId;
  /** Exchange's Source: SMTP (a hop), ROUTING (the categorizer), DSN, STOREDRIVER (mailbox), QUEUE. */
  source: 'SMTP' | 'ROUTING' | 'DSN' | 'STOREDRIVER' | 'QUEUE';
  internalMessageId: string;
  messageId: string | null;
  sender: string;
  recipients: string[];
  /** Per recipient, in the same order: the reply or reason (FAIL), the queue (SEND). */
  recipientStatus?: string[];
  /** EXPAND: the group; DSN: the recipient the report is about. */
  relatedRecipientAddress?: string;
  connectorId?: string | null;
  nextHopDomain?: string;
  serverIp?: string;
  serverHostname?: string;
  /** DSN: the report's own Message-ID. */
  reference?: string;
}

export type MessageTracker = (event: TrackingEvent) => void;

/** The fields every event of a queued message carries. */
export function trackedMessage(message: Pick<MessageRow, 'id' | 'internet_message_id' | 'sender'>): Pick<TrackingEvent, 'internalMessageId' | 'messageId' | 'sender'> {
  // The same InternalId as the RECEIVE event and the 250 reply (the message's row).
  return { internalMessageId: String(message.id), messageId: message.internet_message_id, sender: message.sender };
}
