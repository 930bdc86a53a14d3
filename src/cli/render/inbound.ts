/**
 * `mxt route inbound` renderers keyed by --format over one InboundEvaluation. The JSON form is the
 * contract of product.md ("route inbound --format json"); members are only ever added.
 */
import { Chalk } from 'chalk';
import type { InboundEvaluation } from '../../core/policy/inbound-session.js';
import { formatReply, type Reply } from '../../core/policy/replies.js';
import { serviceLabel } from '../../core/policy/receive-connector-selection.js';
import { renderAs, type ColorLevel, type Renderer } from './registry.js';

export const INBOUND_FORMATS = ['text', 'json'] as const;

const bytes = (n: number): number | 'unlimited' => (n === Infinity ? 'unlimited' : n);
const plainReply = (r: Reply) => ({ code: r.code, enhancedCode: r.enhancedCode, text: r.text });

/** The JSON document of product.md: { server, remoteIp, port, receiveConnector, candidates, ehlo, recipients, … }. */
export function inboundJson(e: InboundEvaluation) {
  const selected = e.selection.selected;
  return {
    version: 1,
    server: e.server.name,
    remoteIp: e.request.remoteAddress,
    localIp: e.selection.localAddress ?? null,
    port: e.request.port,
    service: e.selection.service ?? null,
    receiveConnector: selected
      ? {
          name: selected.connector.name,
          transportRole: selected.connector.transportRole,
          binding: selected.binding,
          remoteIPRange: selected.remoteRange,
          fqdn: selected.connector.fqdn,
          permissionGroups: selected.connector.permissionGroups,
          authMechanism: selected.connector.authMechanism,
          maxMessageSize: bytes(selected.connector.maxMessageSize),
          maxRecipientsPerMessage: selected.connector.maxRecipientsPerMessage,
        }
      : null,
    refusal: e.selection.refusal ? plainReply(e.selection.refusal) : null,
    candidates: e.selection.losers.map((l) => ({
      name: l.connector.name,
      transportRole: l.connector.transportRole,
      lostBecause: l.reason.kind,
      reason: l.reason.text,
    })),
    session: e.permissions
      ? {
          auth: e.request.auth,
          principal: e.permissions.principal,
          principalNames: e.permissions.principalNames,
          authRefused: e.principal?.authRefused ?? null,
          permissionGroups: e.permissions.groups,
          rights: e.permissions.grants.map((g) => ({ right: g.right, source: g.source })),
        }
      : null,
    ehlo: e.ehlo.beforeTls,
    ehloAfterTls: e.ehlo.afterTls,
    mailFrom: e.mailFrom
      ? { sender: e.request.sender, accepted: e.mailFrom.accepted, reply: plainReply(e.mailFrom.reply), because: e.mailFrom.because }
      : null,
    recipients: e.recipients.map((r) => ({
      recipient: r.recipient,
      accepted: r.accepted,
      reply: plainReply(r.reply),
      stage: r.stage,
      because: r.because,
    })),
    proxyTo: e.proxy ?? null,
  };
}

function text(e: InboundEvaluation, colorLevel: 0 | 1 | 2 | 3): string {
  const c = new Chalk({ level: colorLevel });
  const lines: string[] = [];
  const selected = e.selection.selected;
  const local = e.selection.localAddress ?? (e.request.remoteAddress.includes(':') ? '[::]' : '0.0.0.0');
  const service = e.selection.service ? ` (${serviceLabel(e.selection.service)} service)` : '';
  lines.push(c.bold(`${e.request.remoteAddress} → ${e.server.name} ${local}:${e.request.port}${service}`));
  if (selected) {
    lines.push(`Receive connector: ${c.bold(selected.connector.name)}`);
    lines.push(c.dim(`  binding ${selected.binding}, remote range ${selected.remoteRange}`));
  } else {
    lines.push(c.red(`No receive connector takes the session: ${formatReply(e.selection.refusal!)}`));
  }
  if (e.selection.losers.length > 0) {
    lines.push('Other connectors of the server:');
    for (const l of e.selection.losers) lines.push(`  ${c.dim('✗')} ${l.connector.name}: ${l.reason.text}`);
  }
  if (e.permissions) {
    const p = e.permissions;
    lines.push(`Session: ${p.principalNames[0]}${p.groups.length ? ` via ${p.groups.join(', ')}` : c.yellow(' (no permission group of the connector covers it)')}`);
    if (e.principal?.authRefused) lines.push(c.yellow(`  --auth ${e.request.auth} not possible: ${e.principal.authRefused}; the client stays anonymous`));
    lines.push(c.dim(`  rights: ${p.grants.map((g) => (g.source === 'adPermission' ? `${g.right} (ADPermission)` : g.right)).join(', ') || 'none'}`));
    lines.push(`EHLO: ${e.ehlo.beforeTls.join(', ')}`);
    lines.push(c.dim(`  after STARTTLS: ${e.ehlo.afterTls.join(', ')}`));
  }
  if (e.mailFrom) {
    const mark = e.mailFrom.accepted ? c.green('✔') : c.red('✖');
    lines.push(`${mark} MAIL FROM:<${e.request.sender}> → ${formatReply(e.mailFrom.reply)}`);
    if (!e.mailFrom.accepted) lines.push(c.dim(`    ${e.mailFrom.because}`));
  }
  if (!e.mailFrom || e.mailFrom.accepted) {
    for (const r of e.recipients) {
      const mark = r.accepted ? c.green('✔') : c.red('✖');
      lines.push(`${mark} RCPT TO:<${r.recipient}> → ${formatReply(r.reply)}`);
      lines.push(c.dim(`    ${r.because}`));
    }
  } else {
    lines.push(c.dim(`  (no RCPT TO: every recipient gets the MAIL FROM reply)`));
  }
  if (e.proxy) {
    const basis = {
      deliveryGroup: `the closest delivery group of the recipients, ${e.proxy.deliveryGroup?.type} ${e.proxy.deliveryGroup?.name}`,
      hubSite: `the hub site on the path to ${e.proxy.deliveryGroup?.type} ${e.proxy.deliveryGroup?.name}`,
      localSite: 'no mailbox recipient: a Mailbox server of its own site',
      localDeliveryGroup: 'no mailbox recipient: its own delivery group',
    }[e.proxy.basis];
    lines.push(`Proxied to the Transport service of ${e.proxy.servers.join(', ') || '(no server available)'} (${e.proxy.rule}: ${basis})`);
  }
  return lines.join('\n');
}

const renderers: Record<string, Renderer<InboundEvaluation>> = {
  text,
  json: (e) => JSON.stringify(inboundJson(e), null, 2),
};

export function renderInbound(format: string, e: InboundEvaluation, colorLevel: ColorLevel): string {
  return renderAs(renderers, format, e, colorLevel);
}
