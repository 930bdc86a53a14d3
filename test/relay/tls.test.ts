/**
 * STARTTLS offers TLS 1.2 and 1.3 only, with forward-secret AEAD ciphers only (R45 `Tls`, issue 9
 * item 10), as testssl.sh sees it; restricted to the protocol and per-protocol cipher checks.
 */
import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRelay, type TestRelay } from './helpers/relay.js';

let r: TestRelay;
beforeAll(async () => {
  r = await testRelay();
});
afterAll(async () => {
  await r?.close();
});

interface Finding {
  id: string;
  finding: string;
  severity: string;
}

describe('testssl.sh --starttls smtp', () => {
  it('SSLv2, SSLv3, TLS 1.0 and 1.1 not offered; 1.2 and 1.3 offered; every cipher ECDHE with AES-GCM or ChaCha20', { timeout: 240_000 }, async () => {
    const json = path.join(r.dir, 'testssl.json');
    await execa('testssl', ['--starttls', 'smtp', '-p', '-E', '--quiet', '--color', '0', '--warnings', 'off', '--jsonfile', json, `127.0.0.1:${r.port('Default Frontend MBX-PAR')}`], { reject: false, timeout: 230_000 });
    const findings = JSON.parse(await readFile(json, 'utf8')) as Finding[];
    const byId = new Map(findings.map((f) => [f.id, f.finding]));
    for (const id of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) expect(byId.get(id), id).toMatch(/^not offered/);
    expect(byId.get('TLS1_2')).toMatch(/^offered/);
    expect(byId.get('TLS1_3')).toMatch(/^offered/);
    const ciphers = findings.filter((f) => /^cipher-tls1_[23]_/.test(f.id)).map((f) => f.finding);
    expect(ciphers.length).toBeGreaterThan(0);
    for (const c of ciphers) expect(c).toMatch(/(ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM|CHACHA20)|TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305))/);
    await rm(json, { force: true });
  });
});
