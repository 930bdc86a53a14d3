/** Edge subscriptions (R115, R116, R185). */
import { z } from 'zod';
import { name } from './leaf.js';

export const edgeSubscriptionSchema = z
  .strictObject({
    edgeServer: name().meta({ description: 'The subscribed Edge server' }),
    site: name().meta({ description: 'AD site it is subscribed to' }),
    createInternetSendConnector: z.boolean().default(true),
    createInboundSendConnector: z.boolean().default(true),
  })
  .meta({ description: 'An Edge subscription (New-EdgeSubscription)' });
