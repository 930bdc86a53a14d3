/** `mxt send` output: the replies that decided the message (MAIL, RCPT, DATA) and its Message-ID, or the JSON object. */
import type { SendResult } from '../../app/relay-send.js';
import type { SmtpReply } from '../../relay/deliver/smtp-client.js';

const replyText = (r: SmtpReply | null): string => (r ? [r.code, r.enhancedCode, r.text].filter((p) => p !== '').join(' ') : '(no reply)');

export function renderSend(format: string, result: SendResult): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  const lines = [
    `${result.server}: ${result.connector} at ${result.endpoint.host}:${result.endpoint.port}${result.tls ? ', STARTTLS' : ', no TLS'}${result.authenticated ? ', authenticated' : ''}`,
  ];
  // The envelope and the message, each with its reply (greeting, EHLO, STARTTLS and AUTH left out).
  for (const t of result.transcript) {
    if (/^(MAIL FROM|RCPT TO|DATA$|\.$)/.test(t.command)) lines.push(`${t.command === '.' ? '<message>' : t.command}  →  ${replyText(t.reply)}`);
  }
  if (!result.transcript.some((t) => t.command.startsWith('MAIL FROM')) && result.reply) lines.push(`refused: ${replyText(result.reply)}`);
  lines.push(`Message-ID: ${result.messageId}`);
  return lines.join('\n');
}
