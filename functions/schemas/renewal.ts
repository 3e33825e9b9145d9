import { z } from 'zod';
import { instant } from './fields';

/**
 * What EventBridge Scheduler sends the renewal function. `shards` lets one invocation
 * take part of the renewal index (a fan-out, docs/design.md); absent, it takes all.
 */
export const renewalPayloadSchema = z.object({
  scheduledTime: instant,
  shards: z.array(z.int().min(0)).min(1).optional(),
});

export type RenewalPayload = z.output<typeof renewalPayloadSchema>;
