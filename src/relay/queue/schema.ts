/**
 * The queue database's tables (R140, R141, R150–R153). One SQLite file per server, in WAL mode.
 *
 * Message bodies live in the database (`bodies.content`), not in files beside it: a message and
 * its recipients then become durable in one WAL append and one fsync, shared by every message of
 * the batch (see store.ts). Files would need a write, an fsync of each file and an fsync of the
 * folder per message, and a crash between the two would leave orphans or dangling rows to repair.
 * Bodies are bounded by the receive connectors' size limits (35 MB at most by default), which
 * SQLite BLOBs carry well.
 *
 * The body has a table of its own, written once and deleted once: SQLite rewrites a whole row on
 * an UPDATE that changes its size, so with the body in `messages` a "processing started" mark or a
 * step end could copy the body's overflow pages into the WAL again.
 */

export const SCHEMA_VERSION = 2;

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queues (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  delivery_type TEXT NOT NULL,
  next_hop_domain TEXT NOT NULL,
  next_hop_connector TEXT NOT NULL DEFAULT '',
  hop TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'Ready',
  suspended INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  retry_count INTEGER NOT NULL DEFAULT 0,
  first_retry_time INTEGER,
  last_retry_time INTEGER,
  next_retry_time INTEGER,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY,
  front_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  receive_connector TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  helo TEXT NOT NULL,
  authenticated_as TEXT,
  sender TEXT NOT NULL,
  body_type TEXT NOT NULL,
  smtputf8 INTEGER NOT NULL,
  ret TEXT,
  envid TEXT,
  size INTEGER NOT NULL,
  subject TEXT,
  internet_message_id TEXT,
  in_process INTEGER NOT NULL DEFAULT 0,
  crash_count INTEGER NOT NULL DEFAULT 0,
  delivery_crash_count INTEGER NOT NULL DEFAULT 0,
  delay_sent INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS bodies (message_id INTEGER PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS recipients (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  notify TEXT,
  orcpt TEXT,
  queue_id INTEGER NOT NULL REFERENCES queues(id),
  state TEXT NOT NULL DEFAULT 'pending',
  outcome TEXT,
  last_error TEXT,
  retry_count INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL DEFAULT 0,
  connector TEXT
);
CREATE INDEX IF NOT EXISTS recipients_pending ON recipients (queue_id, next_attempt) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS recipients_message ON recipients (message_id);
CREATE INDEX IF NOT EXISTS recipients_queue_order ON recipients (queue_id, message_id) WHERE state = 'pending';
-- The sweep for delay DSNs and expiry (every second) reads only messages older than the delay timeout.
CREATE INDEX IF NOT EXISTS messages_received ON messages (received_at);
`;

/** Version 1 kept the body in `messages.content`; run after DDL (which made `bodies`), in one transaction. */
export const MIGRATE_1_TO_2 = `
INSERT INTO bodies (message_id, content) SELECT id, content FROM messages;
ALTER TABLE messages DROP COLUMN content;
`;
