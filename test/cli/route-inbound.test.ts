import { describe, expect, it } from 'vitest';
import { hasStackTrace, mxt } from '../helpers/cli.js';

const CONFIG = ['--config', 'examples/contoso.mxt.yaml'];
const json = async (args: string[]) => {
  const r = await mxt(['route', 'inbound', ...CONFIG, ...args, '--format', 'json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('mxt route inbound (built CLI)', () => {
  it('R30/R60 an outside session on port 25 lands on Default Frontend EX01 and may not relay (contract)', async () => {
    const j = await json(['--server', 'EX01', '--remote-ip', '203.0.113.9', '--port', '25', '--auth', 'none', '--to', 'someone@fabrikam.com', '--to', 'alice@contoso.com']);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['server', 'remoteIp', 'port', 'receiveConnector', 'candidates', 'ehlo', 'recipients']));
    expect(j.receiveConnector.name).toBe('Default Frontend EX01');
    expect(j.server).toBe('EX01');
    expect(j.port).toBe(25);
    expect(j.ehlo).toContain('STARTTLS');
    expect(j.candidates.find((c: { name: string }) => c.name === 'App relay EX01').lostBecause).toBe('remoteRangeMismatch');
    expect(j.recipients[0]).toEqual(
      expect.objectContaining({
        recipient: 'someone@fabrikam.com',
        accepted: false,
        reply: { code: 550, enhancedCode: '5.7.54', text: 'SMTP; Unable to relay recipient in non-accepted domain' },
      }),
    );
    expect(j.recipients[1]).toMatchObject({ recipient: 'alice@contoso.com', accepted: true, reply: { code: 250, enhancedCode: '2.1.5' } });
  });

  it('R125 the Front End session is proxied to the Transport service of the accepted mailbox recipient\'s delivery group', async () => {
    const j = await json(['--server', 'EX01', '--remote-ip', '203.0.113.9', '--to', 'someone@fabrikam.com', '--to', 'alice@contoso.com']);
    // alice's DB01 is in DAG1, which has a member (EX01 itself) in Paris: the local DAG member serves it.
    expect(j.proxyTo).toEqual({ rule: 'R125', servers: ['EX01'], basis: 'deliveryGroup', deliveryGroup: { type: 'RoutableDag', name: 'DAG1' }, decidedBy: ['alice@contoso.com'] });
  });

  it('R31/R43 the app relay subnet gets the App relay connector, which relays anonymously', async () => {
    const j = await json(['--server', 'EX01', '--remote-ip', '10.1.5.20', '--to', 'someone@fabrikam.com']);
    expect(j.receiveConnector.name).toBe('App relay EX01');
    expect(j.candidates.find((c: { name: string }) => c.name === 'Default Frontend EX01').lostBecause).toBe('lessSpecificRange');
    expect(j.recipients[0]).toMatchObject({ accepted: true, reply: { code: 250 } });
  });

  it('W6 port 587 without authentication: every recipient gets the MAIL FROM reply 530 5.7.1', async () => {
    const j = await json(['--server', 'ex01', '--remote-ip', '198.51.100.20', '--port', '587', '--to', 'a@fabrikam.com', '--to', 'alice@contoso.com']);
    expect(j.receiveConnector.name).toBe('Client Frontend EX01');
    expect(j.recipients.map((r: { reply: { code: number; enhancedCode: string } }) => `${r.reply.code} ${r.reply.enhancedCode}`)).toEqual(['530 5.7.1', '530 5.7.1']);
  });

  it('R33 a port nobody listens on: receiveConnector null, 421 4.3.2', async () => {
    const j = await json(['--server', 'EX01', '--remote-ip', '203.0.113.9', '--port', '2626', '--to', 'alice@contoso.com']);
    expect(j.receiveConnector).toBeNull();
    expect(j.recipients[0].reply).toMatchObject({ code: 421, enhancedCode: '4.3.2' });
  });

  it('text form is a readable summary of connector, EHLO and replies', async () => {
    const r = await mxt(['route', 'inbound', ...CONFIG, '--server', 'EX01', '--remote-ip', '203.0.113.9', '--to', 'someone@fabrikam.com', '--format', 'text']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Receive connector: Default Frontend EX01');
    expect(r.stdout).toMatch(/EHLO: SIZE \d+, PIPELINING/);
    expect(r.stdout).toContain('RCPT TO:<someone@fabrikam.com> → 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
  });

  it('usage errors exit 2 with a hint and no stack trace', async () => {
    const unknown = await mxt(['route', 'inbound', ...CONFIG, '--server', 'NOPE', '--remote-ip', '203.0.113.9', '--to', 'a@contoso.com']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown server "NOPE"');
    expect(unknown.stderr).toContain('EX01');
    const badIp = await mxt(['route', 'inbound', ...CONFIG, '--server', 'EX01', '--remote-ip', 'not-an-ip', '--to', 'a@contoso.com']);
    expect(badIp.exitCode).toBe(2);
    expect(badIp.stderr).toContain('not-an-ip');
    const noTo = await mxt(['route', 'inbound', ...CONFIG, '--server', 'EX01', '--remote-ip', '203.0.113.9']);
    expect(noTo.exitCode).toBe(2);
    for (const r of [unknown, badIp, noTo]) expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('--help shows examples', async () => {
    const r = await mxt(['route', 'inbound', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('$ mxt route inbound --server EX01');
  });
});
