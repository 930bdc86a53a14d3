/** Recipients that routing resolves (R7, R64). */
import { z } from 'zod';
import { mailboxAddress as address, name, size } from './leaf.js';

export const mailboxSchema = z.strictObject({
  address: address(),
  database: name().meta({ description: 'Mailbox database holding the mailbox' }),
  emailAddresses: z.array(address()).default([]).meta({ description: 'Proxy addresses that also reach this mailbox' }),
  maxSendSize: size().default(Infinity).meta({ default: 'unlimited' }),
  maxReceiveSize: size().default(Infinity).meta({ default: 'unlimited' }),
});

export const distributionGroupSchema = z.strictObject({
  address: address(),
  members: z.array(address()).default([]),
  expansionServer: name().optional().meta({ description: 'Mailbox server that expands the group (R99)' }),
});

export const mailContactSchema = z.strictObject({
  address: address(),
  externalEmailAddress: address().meta({ description: 'Where mail for the contact goes' }),
});

export const recipientsSchema = z
  .strictObject({
    mailboxes: z.array(mailboxSchema).default([]),
    distributionGroups: z.array(distributionGroupSchema).default([]),
    mailContacts: z.array(mailContactSchema).default([]),
    mailUsers: z.array(mailContactSchema).default([]),
  })
  .meta({ description: 'Recipients of the organization' });
