/** Mailbox and Edge servers, DAGs, mailbox databases (R4–R6). */
import { z } from 'zod';
import { hostName, ipAddress, name } from './leaf.js';
import { transportServiceShape } from './organization.js';

export const serverSchema = z
  .strictObject({
    name: name(),
    role: z.enum(['Mailbox', 'Edge']).default('Mailbox'),
    site: name().optional().meta({ description: 'AD site of a Mailbox server; Edge servers get theirs from a subscription (V2)' }),
    fqdn: hostName().optional().meta({ description: 'Server FQDN; default: name in lower case' }),
    addresses: z.array(ipAddress()).default([]).meta({ description: 'The server\'s IP addresses; bindings must use them (V23)' }),
    version: z.number().int().min(15).max(15).default(15).meta({ description: 'Exchange major version (15 = 2013/2016/2019)' }),
    defaultReceiveConnectors: z.boolean().default(true).meta({ description: 'false drops the default receive connectors of R20/R22' }),
    transportService: z.strictObject(transportServiceShape).optional().meta({ description: 'Per-server Set-TransportService overrides' }),
  })
  .meta({ description: 'A Mailbox or Edge Transport server' });

export const dagSchema = z
  .strictObject({
    name: name(),
    members: z.array(name()).default([]).meta({ description: 'Mailbox servers of one version (V7)' }),
  })
  .meta({ description: 'A database availability group' });

export const mailboxDatabaseSchema = z
  .strictObject({
    name: name(),
    masterServerOrAvailabilityGroup: name().meta({ description: 'The hosting server, or the DAG holding its copies' }),
    activationPreference: z.array(name()).optional().meta({ description: 'DAG members holding copies, first = active copy (R6)' }),
  })
  .meta({ description: 'A mailbox database' });
