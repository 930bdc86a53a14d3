/**
 * R40 and R52a: what a TLS client certificate makes of a session. mxt nodes of the organization stand
 * in for Exchange Server authentication (X-EXPS) with a certificate issued by the organization's CA
 * (`mxt relay cert`); a partner is recognised by mutual TLS (R40 "mutual TLS with a domain-secure
 * partner"): a certificate the CA verifies whose name is a domain on the organization's
 * TLSReceiveDomainSecureList. Never by address alone: no certificate, or one the CA does not verify,
 * leaves the session anonymous.
 */
import { sameName } from '../model/names.js';
import type { Topology } from '../model/topology.js';
import type { SessionAuth } from './permissions.js';

export interface TlsClientCertificate {
  /** The TLS layer verified the chain against the organization CA. */
  verified: boolean;
  /** Subject CN and DNS subjectAltNames. */
  names: readonly string[];
}

export interface TlsPrincipal {
  auth: SessionAuth;
  /** The server or partner domain the certificate names. */
  as?: string;
}

export function tlsClientPrincipal(topology: Topology, certificate: TlsClientCertificate | undefined): TlsPrincipal {
  if (!certificate?.verified) return { auth: 'none' };
  const server = topology.servers.find((s) => certificate.names.some((n) => sameName(n, s.fqdn)));
  if (server) return { auth: 'server', as: server.name };
  const partner = certificate.names.find((n) => topology.organization.tlsReceiveDomainSecureList.some((d) => sameName(d, n)));
  if (partner) return { auth: 'partner', as: partner.toLowerCase() };
  return { auth: 'none' };
}
