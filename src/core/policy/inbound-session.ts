/**
 * One inbound session played through the receive-side policy, as `mxt route inbound` shows it:
 * connector selection (R30–R33), principal and rights (R40–R43), EHLO (R52), MAIL FROM (R57) and
 * each RCPT TO (R56, R60, R73). Assumes STARTTLS was done when the connector offers it, the
 * client authenticates (BasicAuthRequireTLS) and asks for SMTPUTF8 when offered, as a real client would.
 */
import { sameName } from '../model/names.js';
import type { ReceiveConnector, Server, Topology } from '../model/topology.js';
import { decideMailFrom, decideRcpt, type MailFromDecision, type RcptDecision } from './decisions.js';
import { ehloKeywords } from './ehlo.js';
import { sessionPermissions, sessionPrincipal, type SessionAuth, type SessionPermissions, type SessionPrincipal } from './permissions.js';
import { selectReceiveConnector, type InboundSession, type ReceiveConnectorSelection } from './receive-connector-selection.js';
import type { Reply } from './replies.js';
import { chooseTransportService, type TransportChoice } from './transport-choice.js';

export interface InboundRequest extends InboundSession {
  auth: SessionAuth;
  /** Reverse-path without brackets; `''` = null sender. */
  sender: string;
  declaredSize?: number;
  recipients: string[];
}

export interface InboundRecipientOutcome {
  recipient: string;
  accepted: boolean;
  reply: Reply;
  /** Which step answered: the session (no connector), MAIL FROM, or RCPT TO. */
  stage: 'connect' | 'mailFrom' | 'rcptTo';
  because: string;
}

export interface InboundEvaluation {
  request: InboundRequest;
  server: Server;
  selection: ReceiveConnectorSelection;
  connector: ReceiveConnector | undefined;
  principal?: SessionPrincipal;
  permissions?: SessionPermissions;
  ehlo: { beforeTls: string[]; afterTls: string[] };
  mailFrom?: MailFromDecision;
  rcpt: RcptDecision[];
  recipients: InboundRecipientOutcome[];
  /** R125: a FrontendTransport session is proxied to these Transport services (accepted recipients decide). */
  proxy?: TransportChoice;
}

export function evaluateInboundSession(topology: Topology, request: InboundRequest): InboundEvaluation {
  const server = topology.servers.find((s) => sameName(s.name, request.server));
  if (!server) throw new Error(`unknown server ${request.server}`);
  const selection = selectReceiveConnector(topology.receiveConnectors, topology.servers, request);
  const connector = selection.selected?.connector;
  if (!connector) {
    const refusal = selection.refusal!;
    return {
      request,
      server,
      selection,
      connector,
      ehlo: { beforeTls: [], afterTls: [] },
      rcpt: [],
      recipients: request.recipients.map((recipient) => ({
        recipient,
        accepted: false,
        reply: refusal,
        stage: 'connect',
        because: 'no receive connector takes the session (R33)',
      })),
    };
  }
  const principal = sessionPrincipal(connector, request.auth);
  const permissions = sessionPermissions(connector, principal.principal);
  const ehlo = { beforeTls: ehloKeywords(connector, { tlsActive: false }), afterTls: ehloKeywords(connector, { tlsActive: true }) };
  // A real client sends SMTPUTF8 (RFC 6531) when the connector advertises it and an address needs it.
  const utf8 = connector.smtpUtf8Enabled;
  const mailFrom = decideMailFrom({ topology, connector, permissions, sender: request.sender, declaredSize: request.declaredSize, utf8 });
  const rcpt: RcptDecision[] = [];
  if (mailFrom.accepted) {
    let acceptedSoFar = 0;
    for (const recipient of request.recipients) {
      const decision = decideRcpt({ topology, server, connector, permissions, recipient, acceptedSoFar, utf8 });
      if (decision.accepted) acceptedSoFar += 1;
      rcpt.push(decision);
    }
  }
  const recipients: InboundRecipientOutcome[] = mailFrom.accepted
    ? rcpt.map((d) => ({ recipient: d.recipient, accepted: d.accepted, reply: d.reply, stage: 'rcptTo', because: d.because }))
    : request.recipients.map((recipient) => ({ recipient, accepted: false, reply: mailFrom.reply, stage: 'mailFrom', because: mailFrom.because }));
  const accepted = recipients.filter((r) => r.accepted).map((r) => r.recipient);
  // R10/R125: the FET never queues; it hands the session to a Transport service chosen by the recipients.
  const proxy = connector.transportRole === 'FrontendTransport' && accepted.length > 0 ? chooseTransportService(topology, server, accepted, 'FrontendTransport') : undefined;
  return { request, server, selection, connector, principal, permissions, ehlo, mailFrom, rcpt, recipients, ...(proxy ? { proxy } : {}) };
}
