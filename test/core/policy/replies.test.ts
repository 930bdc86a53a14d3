import { describe, expect, it } from 'vitest';
import { formatReply, REPLIES, reply } from '../../../src/core/policy/replies.js';

describe('reply table (R53)', () => {
  it('R53 replies documented or observed keep Exchange\'s codes and texts', () => {
    expect(formatReply(REPLIES.relayDenied)).toBe('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain');
    expect(formatReply(REPLIES.notAuthenticated)).toBe('530 5.7.1 Client was not authenticated');
    expect(formatReply(REPLIES.senderOk)).toBe('250 2.1.0 Sender OK');
    expect(formatReply(REPLIES.recipientOk)).toBe('250 2.1.5 Recipient OK');
    expect(formatReply(REPLIES.tooManyRecipients)).toBe('452 4.5.3 Too many recipients');
    expect(formatReply(REPLIES.cannotSendAsSender)).toBe('550 5.7.1 Client does not have permissions to send as this sender');
    expect(formatReply(REPLIES.userUnknown)).toBe('550 5.1.1 User unknown');
    expect(formatReply(REPLIES.hopCountExceeded)).toBe('554 5.4.6 Hop count exceeded - possible mail loop');
    expect(formatReply(REPLIES.unrecognizedCommand)).toBe('500 5.3.3 Unrecognized command');
  });

  it('R53 codes of mxt\'s own replies (A10: code and enhanced code)', () => {
    expect([REPLIES.noSubmitPermission.code, REPLIES.noSubmitPermission.enhancedCode]).toEqual([550, '5.7.1']);
    expect([REPLIES.invalidSender.code, REPLIES.invalidSender.enhancedCode]).toEqual([501, '5.1.7']);
    expect([REPLIES.messageTooBig.code, REPLIES.messageTooBig.enhancedCode]).toEqual([552, '5.3.4']);
    expect([REPLIES.mustStartTls.code, REPLIES.mustStartTls.enhancedCode]).toEqual([530, '5.7.0']);
    expect([REPLIES.noConnector.code, REPLIES.noConnector.enhancedCode]).toEqual([421, '4.3.2']); // R33
  });

  it('R53 every enhanced code agrees with its basic code class (RFC 3463)', () => {
    for (const [key, r] of Object.entries(REPLIES)) {
      if (r.enhancedCode) expect(r.enhancedCode[0], key).toBe(String(r.code)[0]);
    }
  });

  it('R50/R53 placeholders are filled, and enhanced codes are left out when EnhancedStatusCodesEnabled is off', () => {
    expect(reply('greeting', { fqdn: 'ex01.contoso.com', date: 'Mon, 30 Nov 2026 01:00:00 +0000' }).text).toBe(
      'ex01.contoso.com Microsoft ESMTP MAIL Service ready at Mon, 30 Nov 2026 01:00:00 +0000',
    );
    expect(formatReply(REPLIES.relayDenied, false)).toBe('550 SMTP; Unable to relay recipient in non-accepted domain');
  });
});
