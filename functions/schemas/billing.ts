import * as z from 'zod/mini';
import { instant, yearMonth } from './fields';

/** What EventBridge Scheduler (or an operator's rerun) sends the billing run: the run closes the month before scheduledTime's JST month (I2). */
export const billingPayloadSchema = z.object({ scheduledTime: instant });

/** One message of the billing queue: one shard of the run closing `month` (docs/design.md, the billing run on AWS). */
export const shardMessageSchema = z.object({
  month: yearMonth,
  shard: z.int().check(z.minimum(0), z.maximum(999)),
  /** A continuation's page token (opaque; a foreign one fails each delivery, and the message ends in the queue's dead letters). */
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
});

export type ShardMessage = z.output<typeof shardMessageSchema>;
