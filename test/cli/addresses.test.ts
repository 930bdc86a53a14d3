/** Issue 7 item 7 at the CLI: `--to '<alice@contoso.com>'` is alice@contoso.com (angle brackets stripped, core/model/address.ts). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, mxt, ROOT } from '../helpers/cli.js';

const CONTOSO = path.join(ROOT, 'examples/contoso.mxt.yaml');

describe('command-line addresses follow the one address rule', () => {
  it('route plan --to "<alice@contoso.com>" is the Mailbox, not an External recipient', async () => {
    const r = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX01', '--to', '<alice@contoso.com>', '--to', 'a@@contoso.com', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const [bracketed, broken] = JSON.parse(r.stdout) as { recipient: string; recipientType: string; status: string; reason: { enhancedCode: string } | null }[];
    expect(bracketed).toMatchObject({ recipient: 'alice@contoso.com', recipientType: 'Mailbox', status: 'routed' });
    expect(broken).toMatchObject({ status: 'rejected', reason: { enhancedCode: '5.1.2' } });
  });

  it('route inbound: <> is the null sender, <alice@contoso.com> a recipient, a@@contoso.com refused with 501 by RCPT syntax', async () => {
    const r = await mxt(['route', 'inbound', '--config', CONTOSO, '--server', 'EX01', '--remote-ip', '198.51.100.20', '--sender', '<>', '--to', '<alice@contoso.com>', '--to', 'a@@contoso.com', '--format', 'json']);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const out = JSON.parse(r.stdout) as { recipients: { recipient: string; accepted: boolean; reply: { code: number } }[] };
    expect(out.recipients.map((x) => [x.recipient, x.accepted, x.reply.code])).toEqual([
      ['alice@contoso.com', true, 250],
      ['a@@contoso.com', false, 501],
    ]);
  });

  it('--to lists split on commas outside quotes: "a,b"@contoso.com is one recipient (route plan and route inbound)', async () => {
    const list = '"a,b"@contoso.com,alice@contoso.com';
    const plan = await mxt(['route', 'plan', '--config', CONTOSO, '--from', 'EX01', '--to', list, '--format', 'json']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as { recipient: string; recipientType: string }[];
    expect(planned.map((x) => [x.recipient, x.recipientType])).toEqual([
      ['"a,b"@contoso.com', 'Unknown'],
      ['alice@contoso.com', 'Mailbox'],
    ]);
    const inbound = await mxt(['route', 'inbound', '--config', CONTOSO, '--server', 'EX01', '--remote-ip', '198.51.100.20', '--to', list, '--format', 'json']);
    expect(inbound.exitCode, inbound.stderr).toBe(0);
    const out = JSON.parse(inbound.stdout) as { recipients: { recipient: string; reply: { code: number } }[] };
    expect(out.recipients.map((x) => x.recipient)).toEqual(['"a,b"@contoso.com', 'alice@contoso.com']);
  });
});
