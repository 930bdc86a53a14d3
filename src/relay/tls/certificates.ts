/**
 * `mxt relay cert`: the organization's CA and one certificate per server (and per partner domain),
 * made with openssl through execa. Layout under the data folder:
 *
 *   ca/ca.crt, ca/ca.key                the organization CA (R52a: mxt nodes authenticate with it)
 *   <SERVER>/tls/server.crt, server.key one per server: CN and SAN = its FQDN and its connectors' FQDNs,
 *                                       serverAuth + clientAuth, so it is both the STARTTLS certificate
 *                                       and the client certificate the node presents to its peers
 *   partners/<domain>/partner.crt, .key a partner's mutual-TLS certificate (R40 Partners)
 *
 * Keys are P-256 EC, mode 0600. An existing CA is reused, so adding a server keeps the others valid.
 *
 * Security: runs openssl as a child process with fixed arguments; names go into the subject only
 * after a check that they are host names.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CertificatePaths {
  caCert: string;
  caKey: string;
}

export function caPaths(dataDir: string): CertificatePaths {
  return { caCert: path.join(dataDir, 'ca', 'ca.crt'), caKey: path.join(dataDir, 'ca', 'ca.key') };
}

export function serverTlsPaths(dataDir: string, server: string): { cert: string; key: string } {
  const dir = path.join(dataDir, server, 'tls');
  return { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

export function partnerTlsPaths(dataDir: string, domain: string): { cert: string; key: string } {
  const dir = path.join(dataDir, 'partners', domain.toLowerCase());
  return { cert: path.join(dir, 'partner.crt'), key: path.join(dir, 'partner.key') };
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The CA, created when missing. Returns whether it was created. */
export async function ensureCa(dataDir: string, organization: string): Promise<boolean> {
  const { caCert, caKey } = caPaths(dataDir);
  if ((await exists(caCert)) && (await exists(caKey))) return false;
  await mkdir(path.dirname(caCert), { recursive: true, mode: 0o700 });
  const cn = `${organization.replace(/[^A-Za-z0-9 .-]/g, '')} mxt relay CA`;
  await execa('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', caKey, '-out', caCert, '-days', '3650', '-subj', `/O=${cn.replace(/ mxt relay CA$/, '')}/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await chmod(caKey, 0o600);
  return true;
}

/** A leaf certificate signed by the CA for these DNS names (first = CN). */
export async function issueCertificate(dataDir: string, names: string[], out: { cert: string; key: string }): Promise<void> {
  const bad = names.find((n) => !HOST.test(n));
  if (bad !== undefined) throw new Error(`"${bad}" is not a host name`);
  const { caCert, caKey } = caPaths(dataDir);
  await mkdir(path.dirname(out.cert), { recursive: true, mode: 0o700 });
  const work = await mkdtemp(path.join(tmpdir(), 'mxt-cert-'));
  try {
    const csr = path.join(work, 'leaf.csr');
    const ext = path.join(work, 'leaf.ext');
    const unique = [...new Set(names.map((n) => n.toLowerCase()))];
    await writeFile(
      ext,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=${unique.map((n) => `DNS:${n}`).join(',')}`,
        '',
      ].join('\n'),
    );
    await execa('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', out.key, '-out', csr, '-subj', `/CN=${unique[0]}`]);
    await chmod(out.key, 0o600);
    await execa('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', serialNumber(), '-days', '825', '-sha256', '-extfile', ext, '-out', out.cert]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A positive 63-bit random serial (RFC 5280 4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(8);
  bytes[0] = bytes[0]! & 0x7f;
  return `0x${bytes.toString('hex')}`;
}
