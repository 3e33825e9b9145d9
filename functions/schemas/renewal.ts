import * as z from 'zod/mini';
import { instant } from './fields';

/**
 * What EventBridge Scheduler sends the renewal function. `shards` lets one invocation
 * take part of the renewal index (a fan-out, docs/design.md); absent, it takes all.
 */
export const renewalPayloadSchema = z.object({
  scheduledTime: instant,
  shards: z.optional(z.array(z.int().check(z.minimum(0))).check(z.minLength(1))),
});

export type RenewalPayload = z.output<typeof renewalPayloadSchema>;
