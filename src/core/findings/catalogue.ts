/**
 * Every rule mxt can report: the spec's validation rules (section 23) and mxt's own checks.
 * Renderers (SARIF, JUnit) list rules from here; `validate/` rules look up their severity here.
 */
import type { Severity } from './finding.js';

export interface RuleInfo {
  id: string;
  /** kebab-case short name */
  name: string;
  severity: Severity;
  /** One sentence: what the rule requires. */
  summary: string;
  /** Spec rules it rests on. */
  spec?: string;
}

const rule = (id: string, name: string, severity: Severity, summary: string, spec?: string): RuleInfo => ({ id, name, severity, summary, spec });

export const RULES: readonly RuleInfo[] = [
  // Loading and schema
  rule('config-io', 'config-io', 'error', 'The configuration file can be found and read.'),
  rule('yaml-syntax', 'yaml-syntax', 'error', 'The file is well-formed YAML or JSON.'),
  rule('config-empty', 'config-empty', 'error', 'The file holds a topology, not nothing.'),
  rule('schema-type', 'schema-type', 'error', 'Every value has the type and form the schema gives it.'),
  rule('schema-unknown-key', 'schema-unknown-key', 'error', 'Every key is one the schema knows.'),
  rule('schema-required', 'schema-required', 'error', 'Every required key is present.'),
  // mxt import exchange
  rule('import-json', 'import-json', 'error', 'Every file given to mxt import exchange is JSON.'),
  rule('import-unrecognised', 'import-unrecognised', 'error', 'Every object of a dump is one of a Get-… cmdlet of Exchange transport.'),
  rule('import-value', 'import-value', 'error', 'Every property mxt maps has a value of its Exchange type.'),
  // Section 23 of the spec
  rule('V1', 'unique-names', 'error', 'Site, server, DAG, database, connector and accepted domain names are unique (case-insensitive).', 'R1'),
  rule('V2', 'server-in-one-site', 'error', 'Every Mailbox server is in exactly one existing site; Edge servers only through a subscription.', 'R2, R4'),
  rule('V3', 'site-link-valid', 'error', 'A site link joins two or more existing sites, costs 1–99,999 and carries at least 64 KB.', 'R3'),
  rule('V4', 'sites-connected', 'warning', 'Every site with servers is connected to every other through site links.', 'R80'),
  rule('V5', 'hub-site-has-server', 'warning', 'A hub site has a Mailbox server, or it is ignored.', 'R84, R85'),
  rule('V6', 'hub-site-on-a-path', 'warning', 'A hub site lies on some least-cost path between two server sites, or it is never used.', 'R85'),
  rule('V7', 'dag-members', 'error', 'DAG members are Mailbox servers of one version, each in at most one DAG.', 'R5'),
  rule('V8', 'database-hosting', 'error', 'A database is hosted by one server or by members of one DAG; its activation preference lists only those.', 'R6'),
  rule('V10', 'auth-none-alone', 'error', 'AuthMechanism None is not combined with another mechanism.', 'R45'),
  rule('V11', 'basic-auth-require-tls', 'error', 'BasicAuthRequireTLS comes with BasicAuth and Tls.', 'R45'),
  rule('V12', 'external-authoritative', 'error', 'ExternalAuthoritative is combined only with Tls and with PermissionGroups ExchangeServers.', 'R45'),
  rule('V13', 'receive-require-tls', 'error', 'RequireTLS on a receive connector needs Tls.', 'R45, R55'),
  rule('V14', 'receive-domain-secure', 'error', 'DomainSecureEnabled on a receive connector needs Tls and excludes ExternalAuthoritative.', 'R45'),
  rule('V15', 'inactivity-below-timeout', 'error', 'ConnectionInactivityTimeout is below ConnectionTimeout.', 'R181'),
  rule('V16', 'receive-grants-something', 'warning', 'A receive connector has a permission group or an extra grant, or it accepts nothing.', 'R40'),
  rule('V17', 'no-open-relay', 'error', 'Relay to any recipient is never granted to every host on the Internet.', 'R43, R60'),
  rule('V20', 'binding-one-service', 'error', 'Connectors of different services on one server do not share an IP:port.', 'R17'),
  rule('V21', 'binding-distinct-ranges', 'error', 'Connectors of one service sharing a binding have different remote ranges.', 'R32'),
  rule('V22', 'binding-ranges-nest', 'error', 'Remote ranges of connectors on one binding overlap only by containment.', 'R34'),
  rule('V23', 'binding-on-server-address', 'error', 'A binding IP is one of the server\'s addresses (when addresses are given).', 'R30'),
  rule('V30', 'address-space-syntax', 'error', 'Address spaces are [Type:]Address[;Cost] with a leading "*." wildcard only and a cost of 1–100.', 'R100'),
  rule('V31', 'send-tls-contradiction', 'error', 'RequireTLS and IgnoreSTARTTLS are not both true.', 'R108'),
  rule('V32', 'edge-connector-settings', 'error', 'No FrontendProxyEnabled on an Edge-sourced connector.', 'R109'),
  rule('V33', 'smart-host-routing', 'error', 'Smart hosts and smart host auth go with DNSRoutingEnabled false, which needs smart hosts.', 'R46, R102, R107'),
  rule('V34', 'source-servers-one-site', 'warning', 'A connector\'s source servers are in one site.', 'R105'),
  rule('V35', 'tls-auth-level', 'error', 'TlsAuthLevel needs RequireTLS; TlsDomain needs DomainValidation and is not "*".', 'R108'),
  rule('V36', 'domain-secure-send', 'error', 'DomainSecureEnabled needs DNS routing, STARTTLS and no wildcard address space.', 'R108'),
  rule('V37', 'non-smtp-address-space', 'error', 'A non-SMTP address space needs smart-host routing and a Mailbox-sourced connector.', 'R100'),
  rule('V38', 'edge-double-dash', 'error', 'The "--" address space or smart host is used only on an Edge connector, alone.', 'R100, R117'),
  rule('V39', 'smart-host-credential', 'error', 'BasicAuth smart host authentication names a credential.', 'R46'),
  rule('V40', 'accepted-domain-syntax', 'error', 'Accepted domain names have no embedded wildcard and at most 256 characters.', 'R62'),
  rule('V41', 'one-default-domain', 'error', 'Exactly one accepted domain is the default.', 'R63'),
  rule('V42', 'external-relay-reachable', 'warning', 'Some send connector matches every ExternalRelay domain.', 'R61'),
  rule('V43', 'internal-relay-reachable', 'warning', 'Some send connector matches every InternalRelay domain.', 'R61'),
  rule('V44', 'edge-site-has-mailbox', 'error', 'An Edge server is subscribed to a site with a Mailbox server.', 'R115'),
  rule('V45', 'expansion-server-mailbox', 'error', 'An expansion server is a Mailbox server.', 'R99'),
  // mxt's own checks beyond section 23
  rule('unknown-reference', 'unknown-reference', 'error', 'Every name that refers to another object names one that exists.'),
  rule('site-link-sites', 'site-link-sites', 'error', 'A site link names two or more distinct, existing sites.', 'R3'),
  rule('edge-placement', 'edge-placement', 'error', 'Edge servers are in no DAG and no site of their own.', 'R4, R118'),
  rule('edge-subscription-target', 'edge-subscription-target', 'error', 'An Edge subscription names an Edge server and an existing site; an Edge is subscribed once.', 'R115'),
  rule('ambiguous-connectors', 'ambiguous-connectors', 'warning', 'Two connectors with the same address space and cost are not seen from the same site.', 'R104'),
  rule('smart-host-auth-tls', 'smart-host-auth-tls', 'error', 'BasicAuthRequireTLS smart host auth is not combined with IgnoreSTARTTLS.', 'R46'),
  rule('scoped-multi-site', 'scoped-multi-site', 'warning', 'A scoped connector\'s source servers are in one site.', 'R103'),
  rule('accepted-domain-overlap', 'accepted-domain-overlap', 'error', 'No two accepted domains cover the same domains (listed twice, or *.x beside x with matchSubDomains).', 'R62, A16'),
  rule('recipient-domain', 'recipient-domain', 'error', 'Mailboxes and groups are in an accepted domain.', 'R61'),
  rule('connector-above-org-limit', 'connector-above-org-limit', 'warning', 'A connector limit above the organization limit never takes effect.', 'R131'),
  rule('database-has-server', 'database-has-server', 'error', 'Every database has a server that can host it.', 'R6'),
  rule('recipient-unique', 'recipient-unique', 'error', 'A recipient address belongs to one recipient.', 'R64'),
  rule('group-membership-cycle', 'group-membership-cycle', 'warning', 'No distribution group contains itself, directly or through nested groups (each is expanded once per message).', 'R64, R99'),
  rule('source-server-role', 'source-server-role', 'error', 'Send connector source servers are Mailbox servers, or all Edge servers.', 'R110'),
  rule('name-confusable', 'name-confusable', 'warning', 'No two names of one kind look alike (look-alike letters of another script, invisible characters, compatibility forms).', 'R1'),
  rule('secret-in-config', 'secret-in-config', 'error', 'No password is written in the config: a credential names where the password is (passwordEnv, passwordFile).', 'R46'),
  rule('receive-connector-role', 'receive-connector-role', 'error', 'TransportRole is set only on Mailbox servers\' connectors; usage limits of R35 hold.', 'R35'),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo {
  return BY_ID.get(id) ?? { id, name: id, severity: 'error', summary: id };
}
