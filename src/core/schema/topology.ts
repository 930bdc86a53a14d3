/** The whole config file: one strict object composed of the section schemas. */
import { z } from 'zod';
import { acceptedDomainSchema, remoteDomainSchema } from './domains.js';
import { edgeSubscriptionSchema } from './edge.js';
import { organizationSchema, recipientFilterSchema, transportServiceSchema } from './organization.js';
import { receiveConnectorSchema } from './receive-connector.js';
import { recipientsSchema } from './recipients.js';
import { dagSchema, mailboxDatabaseSchema, serverSchema } from './servers.js';
import { sendConnectorSchema } from './send-connector.js';
import { siteLinkSchema, siteSchema } from './sites.js';

// A config is parsed once per process: zod's JIT (new Function per object shape) costs more at
// start-up than it saves on one parse, and start-up time is a target (issue 2, item 10).
z.config({ jitless: true });

export const topologySchema = z
  .strictObject({
    // A JSON config names its schema for editors (`"$schema": "./node_modules/mxt/schemas/mxt.schema.json"`).
    $schema: z.string().optional().meta({ description: 'JSON Schema of this file, for editors; ignored by mxt' }),
    organization: organizationSchema.default(organizationSchema.parse({})),
    transportService: transportServiceSchema.default({}),
    recipientFilter: recipientFilterSchema.default({ recipientValidationEnabled: false }),
    sites: z.array(siteSchema).default([]),
    siteLinks: z.array(siteLinkSchema).default([]),
    servers: z.array(serverSchema).default([]),
    databaseAvailabilityGroups: z.array(dagSchema).default([]),
    mailboxDatabases: z.array(mailboxDatabaseSchema).default([]),
    acceptedDomains: z.array(acceptedDomainSchema).default([]),
    remoteDomains: z.array(remoteDomainSchema).default([]),
    recipients: recipientsSchema.default({ mailboxes: [], distributionGroups: [], mailContacts: [], mailUsers: [] }),
    sendConnectors: z.array(sendConnectorSchema).default([]),
    receiveConnectors: z.array(receiveConnectorSchema).default([]),
    edgeSubscriptions: z.array(edgeSubscriptionSchema).default([]),
  })
  .meta({ title: 'mxt topology', description: 'An Exchange-style transport topology (mxt config file)' });

/** What the user wrote, after parsing and the defaults that do not depend on context. */
export type WrittenTopology = z.output<typeof topologySchema>;
export type WrittenTopologyInput = z.input<typeof topologySchema>;
export type WrittenSendConnector = WrittenTopology['sendConnectors'][number];
export type WrittenReceiveConnector = WrittenTopology['receiveConnectors'][number];
export type WrittenServer = WrittenTopology['servers'][number];
