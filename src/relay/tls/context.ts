/**
 * STARTTLS settings (R45 `Tls`, R55): TLS 1.2 and 1.3 only, forward-secret AEAD ciphers only, the
 * server's certificate from `mxt relay cert`, and the organization CA to verify client certificates
 * (R40: other mxt nodes and partners are recognised by them). A client without a certificate is
 * still served: it simply stays anonymous.
 *
 * Security: reads key files from the data folder; never logs them.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { caPaths, serverTlsPaths } from './certificates.js';

/** TLS 1.2 suites: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (TLS 1.3 suites are all AEAD). */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export interface ServerTls {
  context: tls.SecureContext;
  /** PEM of the CA, to verify peers. */
  ca: Buffer;
  caCertificate: X509Certificate;
  /** The certificate and key, for the node's own client side. */
  cert: Buffer;
  key: Buffer;
}

/** The server's TLS material, or undefined when `mxt relay cert` has not made it (no STARTTLS then, R52). */
export async function loadServerTls(dataDir: string, server: string): Promise<ServerTls | undefined> {
  const paths = serverTlsPaths(dataDir, server);
  let cert: Buffer;
  let key: Buffer;
  let ca: Buffer;
  try {
    [cert, key, ca] = await Promise.all([readFile(paths.cert), readFile(paths.key), readFile(caPaths(dataDir).caCert)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const context = tls.createSecureContext({ cert, key, ca, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true, ecdhCurve: 'X25519:P-256:P-384' });
  return { context, ca, caCertificate: new X509Certificate(ca), cert, key };
}
