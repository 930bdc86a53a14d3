/**
 * The SMTP replies of the receive side (R53, plus R33, R51, R54, R57): one table, keyed by situation.
 * The relay sends every reply from here and `mxt route inbound` prints the same values, so the two
 * cannot disagree. Texts are Exchange's where R53 marks them [DOC]/[OBS], mxt's own otherwise (A10).
 * `{name}` in a text is filled by `reply(key, vars)`.
 */

export interface Reply {
  /** Basic SMTP code (RFC 5321). */
  code: number;
  /** RFC 3463 enhanced status code; `null` where the reply carries none (greeting, DATA go-ahead). */
  enhancedCode: string | null;
  text: string;
}

const r = (code: number, enhancedCode: string | null, text: string): Reply => ({ code, enhancedCode, text });

export const REPLIES = {
  // Session start and end
  greeting: r(220, null, '{fqdn} Microsoft ESMTP MAIL Service ready at {date}'), // R50, TEL [DOC]
  quit: r(221, '2.0.0', 'Service closing transmission channel'), // TEL [DOC]
  noConnector: r(421, '4.3.2', 'Service not available'), // R33 [MXT]: no enabled connector matches
  helo: r(250, null, '{fqdn} Hello [{clientIp}]'), // R51
  invalidHeloDomain: r(501, '5.5.4', 'Invalid domain name'), // R51
  // Command order
  helloFirst: r(503, '5.5.2', 'Send hello first'), // [OBS]
  needMail: r(503, '5.5.2', 'Need mail command'),
  needRcpt: r(503, '5.5.2', 'Need rcpt command'),
  senderAlreadySpecified: r(503, '5.5.2', 'Sender already specified'),
  // Transaction
  senderOk: r(250, '2.1.0', 'Sender OK'), // TEL [DOC]
  recipientOk: r(250, '2.1.5', 'Recipient OK'), // TEL [DOC]
  startMailInput: r(354, null, 'Start mail input; end with <CRLF>.<CRLF>'), // TEL [DOC]
  queued: r(250, '2.6.0', '<{messageId}> [InternalId={internalId}, Hostname={fqdn}] Queued mail for delivery'), // TEL [DOC]
  chunkReceived: r(250, '2.6.0', 'CHUNK received OK, {octets} octets'),
  reset: r(250, '2.0.0', 'Resetting'),
  noop: r(250, '2.0.0', 'OK'),
  // TLS and AUTH
  startTls: r(220, '2.0.0', 'SMTP server ready'),
  secondStartTls: r(503, '5.5.2', 'Only one STARTTLS command can be issued per session'),
  mustStartTls: r(530, '5.7.0', 'Must issue a STARTTLS command first'), // RequireTLS connector
  authOk: r(235, '2.7.0', 'Authentication successful'),
  authFailed: r(535, '5.7.3', 'Authentication unsuccessful'), // sent after AuthTarpitInterval
  authMechanismNotOffered: r(504, '5.7.4', 'Unrecognized authentication type'),
  authTwice: r(503, '5.5.2', 'Auth command already specified'),
  // MAIL FROM checks (R57)
  notAuthenticated: r(530, '5.7.1', 'Client was not authenticated'), // no Submit, anonymous: TEL [DOC]
  noSubmitPermission: r(550, '5.7.1', 'Client does not have permissions to submit to this server'), // no Submit, authenticated (A13)
  cannotSendAsSender: r(550, '5.7.1', 'Client does not have permissions to send as this sender'), // authoritative-domain sender [OBS]
  cannotSendAsAddress: r(550, '5.7.60', 'SMTP; Client does not have permissions to send as this sender'), // R57 step 4
  invalidSender: r(501, '5.1.7', 'Invalid address'),
  // RCPT TO checks (R56, R60, R73)
  invalidRecipient: r(501, '5.1.3', 'Invalid address'),
  relayDenied: r(550, '5.7.54', 'SMTP; Unable to relay recipient in non-accepted domain'), // R60 [OBS], A7
  tooManyRecipients: r(452, '4.5.3', 'Too many recipients'), // R56, MSL [DOC]
  userUnknown: r(550, '5.1.1', 'User unknown'), // R73, RF [DOC]
  // Limits
  messageTooBig: r(552, '5.3.4', 'Message size exceeds fixed maximum message size'),
  headerTooBig: r(552, '5.3.4', 'Header size exceeds fixed maximum size'),
  hopCountExceeded: r(554, '5.4.6', 'Hop count exceeded - possible mail loop'),
  inactivityTimeout: r(451, '4.7.0', 'Timeout waiting for client input'), // [OBS]
  tooManyErrors: r(421, '4.7.0', 'Too many errors on this connection, closing transmission channel'),
  tooManyConnections: r(421, '4.3.2', 'The maximum number of concurrent server connections has exceeded a limit, closing transmission channel'),
  tooManyConnectionsFromSource: r(421, '4.3.2', 'The maximum number of concurrent connections has exceeded a limit, closing transmission channel'),
  rateLimited: r(421, '4.4.2', 'Message submission rate for this client has exceeded the configured limit'),
  shadowFailed: r(451, '4.4.0', 'Message failed to be made redundant'), // SR [DOC]
  // Verbs
  unrecognizedCommand: r(500, '5.3.3', 'Unrecognized command'), // TEL [DOC]
  notImplemented: r(502, '5.3.3', 'Command not implemented'),
  // Legacy verbs (R54), mxt's own
  etrnStarted: r(250, '2.0.0', 'Queuing for node {domain} started'),
  etrnNothingQueued: r(251, '2.0.0', 'No messages waiting for node {domain}'),
  etrnCannotQueue: r(458, '4.5.0', 'Unable to queue messages for node {domain}'),
  etrnNodeNotAllowed: r(459, '4.5.0', 'Node {domain} not allowed'),
  etrnNeedsAuth: r(530, '5.7.0', 'Must be authenticated to use ETRN'),
  etrnSyntax: r(501, '5.5.4', 'Invalid ETRN argument'),
  turnRefused: r(502, '5.7.0', 'TURN is not supported'),
  atrnNeedsAuth: r(530, '5.7.0', 'Authentication required'),
  atrnNotEnabled: r(502, '5.5.1', 'ATRN is not enabled on this connector'),
  vrfy: r(252, '2.1.5', 'Cannot VRFY user'),
  // Protocol engine (src/relay/protocol), mxt's own texts [MXT]
  help: r(214, null, 'This server supports the following commands:'), // R53/R54, followed by the verbs
  lineTooLong: r(500, '5.5.6', 'Line too long'), // RFC 5321 4.5.3.1.4
  nulInCommand: r(500, '5.5.2', 'NUL character in command'),
  syntaxError: r(501, '5.5.4', 'Syntax error in parameters or arguments'),
  badSequence: r(503, '5.5.1', 'Bad sequence of commands'),
  unsupportedParameter: r(555, '5.5.4', 'Unsupported parameter {parameter}'), // RFC 5321 4.1.1.11
  nonAsciiNeedsSmtpUtf8: r(553, '5.6.7', 'Non-ASCII address requires SMTPUTF8'), // RFC 6531 3.7.4.1
  dataWithBinaryMime: r(503, '5.5.1', 'BODY=BINARYMIME requires BDAT'), // RFC 3030 3
  dataAfterBdat: r(503, '5.5.1', 'DATA cannot follow BDAT in one transaction'), // RFC 3030 2
  bareLineEnding: r(554, '5.6.11', 'SMTP; Bare CR or LF in message data is not allowed'), // smuggling guard
  nulInData: r(554, '5.6.0', 'NUL character in message data is not allowed'),
  storeFailed: r(451, '4.3.0', 'Temporary failure storing the message; try again later'), // MessageSink contract
  earlyTalker: r(554, '5.5.0', 'Protocol violation: client sent data before the greeting'),
  tlsNotAvailable: r(454, '4.7.0', 'TLS not available'),
  authNeedsTls: r(538, '5.7.11', 'Encryption required for requested authentication mechanism'), // RFC 4954 6
  authCancelled: r(501, '5.0.0', 'Authentication cancelled'), // RFC 4954 4
  authInvalidResponse: r(501, '5.5.2', 'Cannot decode response'),
  authContinue: r(334, null, '{challenge}'),
  shuttingDown: r(421, '4.3.2', 'Service not available, closing transmission channel'),
  connectionTimeout: r(421, '4.4.2', 'Connection timed out, closing transmission channel'), // ConnectionTimeout (R23)
} as const satisfies Record<string, Reply>;

export type ReplyKey = keyof typeof REPLIES;

/** The reply for a situation, with `{name}` placeholders filled in. */
export function reply(key: ReplyKey, vars: Record<string, string | number> = {}): Reply {
  const base = REPLIES[key];
  return { ...base, text: base.text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) };
}

/** One reply line as sent; the enhanced code only when the connector has EnhancedStatusCodesEnabled (R53). */
export function formatReply(value: Reply, enhancedStatusCodes = true): string {
  return enhancedStatusCodes && value.enhancedCode ? `${value.code} ${value.enhancedCode} ${value.text}` : `${value.code} ${value.text}`;
}
