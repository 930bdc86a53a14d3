/**
 * The connector wizards: the questions of Exchange's own "new send connector" and "new receive
 * connector" wizards (EAC) and of New-SendConnector / New-ReceiveConnector (spec R180, R181), in that
 * order, each skipped when its flag was given. The usage preset's values are offered as the
 * defaults, every answer is checked as it is typed (names against the topology, case-insensitive),
 * and an answer equal to Exchange's default is not written, so the wizard writes what the flags
 * version writes. Returns a draft; never writes.
 */
import { AUTH_MECHANISMS, PERMISSION_GROUPS, RECEIVE_CONNECTOR, SEND_CONNECTOR, SMART_HOST_AUTH, TLS_AUTH_LEVELS, type Draft } from '../../core/edit/kinds.js';
import { checkAnswer, parseFieldValue, splitList } from '../../core/edit/parse-field.js';
import { fieldOf } from '../../core/edit/kinds.js';
import { isDomainName } from '../../core/model/address-space.js';
import { parseIpAddress } from '../../core/model/ip-range.js';
import { askChoice, askChoices, askConfirm, askText } from './ask.js';
import { askUsage, refChoices, uniqueName, wholeNumber } from './object-wizard.js';

const check = (key: string, kind = SEND_CONNECTOR) => (text: string) => (text.trim() === '' ? 'a value is required' : checkAnswer(fieldOf(kind, key)!, text));
const parsed = (key: string, text: string, kind = SEND_CONNECTOR) => {
  const result = parseFieldValue(fieldOf(kind, key)!, text);
  return result.ok ? result.value : undefined;
};

/** A smart host is a host name or an IP address (R107); `[10.0.0.1]` is how Exchange writes an IP. */
export function checkSmartHosts(text: string): true | string {
  const hosts = splitList(text);
  if (hosts.length === 0) return 'name at least one smart host';
  for (const host of hosts) {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (!parseIpAddress(bare).ok && !isDomainName(bare)) return `"${host}" is neither a host name nor an IP address`;
  }
  return true;
}

export async function askSendConnector(given: Draft, topology: unknown): Promise<Draft> {
  const draft: Draft = { ...given };
  draft.usage ??= await askUsage(SEND_CONNECTOR);
  if (draft.name === undefined) draft.name = (await askText('Name of the send connector', { validate: uniqueName(SEND_CONNECTOR, topology) })).trim();
  if (draft.addressSpaces === undefined) {
    const text = await askText('Address spaces: domains the connector sends to, [Type:]Address[;Cost], comma-separated', {
      default: draft.usage === 'Internet' ? 'SMTP:*;1' : undefined,
      validate: check('addressSpaces'),
    });
    draft.addressSpaces = parsed('addressSpaces', text);
  }
  if (draft.isScopedConnector === undefined && (await askConfirm('Scoped: only servers in the source servers\' AD site may use it?', false))) draft.isScopedConnector = true;

  // Network settings: MX records, or smart hosts (with their authentication).
  const smartHostsGiven = Array.isArray(draft.smartHosts) && draft.smartHosts.length > 0;
  let viaSmartHosts = draft.dnsRoutingEnabled === false || smartHostsGiven;
  if (draft.dnsRoutingEnabled === undefined && !smartHostsGiven) {
    viaSmartHosts =
      (await askChoice(
        'How does mail leave?',
        [
          { name: 'MX records: look up the recipient domain\'s mail servers in DNS', value: 'dns' },
          { name: 'Smart hosts: hand every message to the hosts I name', value: 'smart' },
        ],
        draft.usage === 'Partner' ? 'smart' : 'dns',
      )) === 'smart';
  }
  if (viaSmartHosts) {
    if (!smartHostsGiven) draft.smartHosts = splitList(await askText('Smart hosts: host names or IP addresses, comma-separated', { validate: checkSmartHosts }));
    if (draft.smartHostAuthMechanism === undefined) {
      const auth = await askChoice(
        'How does the connector authenticate to the smart hosts?',
        SMART_HOST_AUTH.map((a) => ({ name: a, value: a, description: SMART_HOST_AUTH_NOTES[a] })),
        'None',
      );
      if (auth !== 'None') draft.smartHostAuthMechanism = auth;
    }
    if ((draft.smartHostAuthMechanism === 'BasicAuth' || draft.smartHostAuthMechanism === 'BasicAuthRequireTLS') && draft.authenticationCredential === undefined) {
      draft.authenticationCredential = await askCredential();
    }
  }
  if (draft.port === undefined) {
    const port = Number(await askText('Port of the remote hosts', { default: '25', validate: wholeNumber(1, 65_535) }));
    if (port !== 25) draft.port = port;
  }
  if (draft.requireTLS === undefined && (await askConfirm('Require TLS (a message waits in the queue rather than leave unencrypted)?', draft.smartHostAuthMechanism === 'BasicAuthRequireTLS'))) {
    draft.requireTLS = true;
  }
  if (draft.requireTLS === true && draft.tlsAuthLevel === undefined) {
    const level = await askChoice(
      'What must the remote TLS certificate prove?',
      [{ name: 'nothing beyond encryption (Exchange\'s default)', value: '' }, ...TLS_AUTH_LEVELS.map((l) => ({ name: l, value: l }))],
      '',
    );
    if (level) draft.tlsAuthLevel = level;
    if (level === 'DomainValidation' && draft.tlsDomain === undefined) {
      draft.tlsDomain = (await askText('Domain the certificate must name', { validate: (v) => isDomainName(v.trim().replace(/^\*\./, '')) || `"${v}" is not a domain name` })).trim();
    }
  }
  if (draft.sourceTransportServers === undefined) {
    draft.sourceTransportServers = await askChoices('Source servers: which servers send through the connector', refChoices('server', topology), { min: 1 });
  }
  return draft;
}

const SMART_HOST_AUTH_NOTES: Record<string, string> = {
  None: 'no authentication',
  BasicAuth: 'user name and password',
  BasicAuthRequireTLS: 'user name and password, only after STARTTLS',
  ExchangeServer: 'as an Exchange server of this organization',
  ExternalAuthoritative: 'the connection is secured outside Exchange (IPsec, a private line)',
};

/** The credential names where its password is (environment variable or file), never the password. */
async function askCredential(): Promise<Record<string, string>> {
  const username = (await askText('User name for the smart hosts', { validate: (v) => (v.trim() !== '' && !/[,=]/.test(v)) || 'a user name without "," or "="' })).trim();
  const where = await askChoice(
    'Where is the password? (never written into the file)',
    [
      { name: 'in an environment variable', value: 'passwordEnv' },
      { name: 'in a file', value: 'passwordFile' },
    ],
    'passwordEnv',
  );
  const location =
    where === 'passwordEnv'
      ? await askText('Name of the environment variable', { validate: (v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim()) || 'letters, digits and _, not starting with a digit' })
      : await askText('Path of the password file', { validate: (v) => (v.trim() !== '' && !/,/.test(v)) || 'a path without ","' });
  return { username, [where]: location.trim() };
}

/**
 * `preset(draft)` applies the usage preset for the draft's server (its role decides the defaults);
 * its values pre-fill the bindings, permission groups and authentication questions.
 */
export async function askReceiveConnector(given: Draft, topology: unknown, preset: (draft: Draft) => Draft, roleOf: (server: unknown) => 'Mailbox' | 'Edge'): Promise<Draft> {
  const draft: Draft = { ...given };
  draft.usage ??= await askUsage(RECEIVE_CONNECTOR);
  if (draft.server === undefined) draft.server = await askChoice('Server the connector listens on', refChoices('server', topology));
  if (draft.name === undefined) {
    draft.name = (await askText(`Name of the receive connector on ${String(draft.server)}`, { validate: uniqueName(RECEIVE_CONNECTOR, topology, { server: String(draft.server) }, 64) })).trim();
  }
  if (draft.transportRole === undefined && roleOf(draft.server) === 'Mailbox' && draft.usage !== 'Client' && draft.usage !== 'Internal') {
    const role = await askChoice(
      'Which service listens?',
      [
        { name: 'FrontendTransport: clients, applications and the Internet', value: 'FrontendTransport' },
        { name: 'HubTransport: other Exchange servers, on port 2525', value: 'HubTransport' },
      ],
      'FrontendTransport',
    );
    if (role !== 'FrontendTransport') draft.transportRole = role;
  }
  const defaults = preset(draft);
  if (draft.bindings === undefined && defaults.bindings === undefined) {
    const text = await askText('Bindings: local IP:port pairs it listens on, comma-separated', {
      default: draft.transportRole === 'HubTransport' ? '0.0.0.0:2525' : '0.0.0.0:25',
      validate: check('bindings', RECEIVE_CONNECTOR),
    });
    draft.bindings = parsed('bindings', text, RECEIVE_CONNECTOR);
  }
  if (draft.remoteIPRanges === undefined && draft.usage !== 'Internet') {
    const text = await askText('Remote IP ranges: client addresses it serves, comma-separated', { validate: check('remoteIPRanges', RECEIVE_CONNECTOR) });
    draft.remoteIPRanges = parsed('remoteIPRanges', text, RECEIVE_CONNECTOR);
  }
  if (draft.permissionGroups === undefined) {
    // R35: a connector without a permission group refuses every session, so at least one.
    draft.permissionGroups = await askChoices(
      'Permission groups: who may use the connector',
      PERMISSION_GROUPS.filter((g) => g !== 'None').map((g) => ({ name: g, value: g })),
      { min: 1, checked: defaults.permissionGroups as string[] },
    );
  }
  if (draft.authMechanism === undefined) {
    draft.authMechanism = await askChoices(
      'Authentication: how clients may authenticate',
      AUTH_MECHANISMS.map((a) => ({ name: a, value: a })),
      { min: 1, checked: defaults.authMechanism as string[] },
    );
  }
  return draft;
}
