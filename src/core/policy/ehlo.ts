/**
 * The EHLO keywords a receive connector advertises (R52, R52a), in Exchange's observed order, with
 * mxt's deviations of R52a's last paragraph:
 * - `ETRN` on every connector (R54);
 * - `AUTH PLAIN LOGIN` for BasicAuth where Exchange says `LOGIN`, and no `NTLM`/`GSSAPI` (Integrated
 *   is not implemented, so a connector whose only user mechanism is Integrated offers no AUTH);
 * - no `X-ANONYMOUSTLS` and no `X-EXPS`: mxt nodes authenticate each other with a TLS client
 *   certificate of the organization's CA instead (R52a), so `STARTTLS` takes X-ANONYMOUSTLS's place
 *   on a connector with `ExchangeServer` (R52: X-ANONYMOUSTLS is offered for ExchangeServer), even
 *   without `Tls` (the implicit Mailbox delivery connector, R21);
 * - no Exchange-internal verbs (XRDST, XEXCH50, XSHADOW): mxt does not implement them.
 */
import type { ReceiveConnector } from '../model/topology.js';

export interface EhloState {
  /** STARTTLS has completed in this session (R55). */
  tlsActive: boolean;
  /** A certificate for the connector's Fqdn is available (R45 `Tls`); default true. */
  certificateAvailable?: boolean;
}

export type EhloConnector = Pick<
  ReceiveConnector,
  | 'authMechanism'
  | 'sizeEnabled'
  | 'maxMessageSize'
  | 'pipeliningEnabled'
  | 'deliveryStatusNotificationEnabled'
  | 'enhancedStatusCodesEnabled'
  | 'eightBitMimeEnabled'
  | 'binaryMimeEnabled'
  | 'chunkingEnabled'
  | 'smtpUtf8Enabled'
  | 'longAddressesEnabled'
  | 'orarEnabled'
>;

/** The AUTH mechanisms offered now: PLAIN and LOGIN for BasicAuth, inside TLS when BasicAuthRequireTLS. */
export function authMechanismsOffered(connector: Pick<ReceiveConnector, 'authMechanism'>, tlsActive: boolean): string[] {
  const mechs = connector.authMechanism;
  if (!mechs.includes('BasicAuth')) return [];
  if (mechs.includes('BasicAuthRequireTLS') && !tlsActive) return [];
  return ['PLAIN', 'LOGIN'];
}

/** R45 `Tls`, R52a: STARTTLS is offered (the certificate exchange of mxt's Exchange Server authentication too). */
export function startTlsOffered(connector: Pick<ReceiveConnector, 'authMechanism'>, state: EhloState): boolean {
  const mechs = connector.authMechanism;
  return (mechs.includes('Tls') || mechs.includes('ExchangeServer')) && (state.certificateAvailable ?? true) && !state.tlsActive;
}

/** R52 keywords after the greeting line `<Fqdn> Hello [<client IP>]`, in order. */
export function ehloKeywords(connector: EhloConnector, state: EhloState): string[] {
  const keywords: string[] = [];
  if (connector.sizeEnabled === 'Enabled') {
    keywords.push(connector.maxMessageSize === Infinity ? 'SIZE' : `SIZE ${connector.maxMessageSize}`);
  } else if (connector.sizeEnabled === 'EnabledWithoutValue') keywords.push('SIZE');
  if (connector.pipeliningEnabled) keywords.push('PIPELINING');
  if (connector.deliveryStatusNotificationEnabled) keywords.push('DSN');
  if (connector.enhancedStatusCodesEnabled) keywords.push('ENHANCEDSTATUSCODES');
  if (startTlsOffered(connector, state)) keywords.push('STARTTLS');
  const auth = authMechanismsOffered(connector, state.tlsActive);
  if (auth.length > 0) keywords.push(`AUTH ${auth.join(' ')}`);
  if (connector.eightBitMimeEnabled) keywords.push('8BITMIME');
  // BINARYMIME is only meaningful with BDAT (RFC 3030), so it needs CHUNKING.
  if (connector.binaryMimeEnabled && connector.chunkingEnabled) keywords.push('BINARYMIME');
  if (connector.chunkingEnabled) keywords.push('CHUNKING');
  if (connector.smtpUtf8Enabled) keywords.push('SMTPUTF8');
  if (connector.longAddressesEnabled) keywords.push('XLONGADDR');
  if (connector.orarEnabled) keywords.push('XORAR');
  keywords.push('ETRN');
  return keywords;
}
