import * as z from 'zod/mini';

/**
 * An item of the one outbox (an order, or a FACT) as the table's stream carries it
 * (NewImage, unmarshalled): what the outcome publisher needs of it. The store wrote it, so
 * a mismatch is a defect, not a bad request: the publisher dead-letters it (see outcome-publisher).
 */
export const storedOutcomeSchema = z.object({
  PK: z.string().check(z.minLength(1)),
  SK: z.string().check(z.minLength(1)),
  published: z.literal(false),
  outcome: z.object({ detailType: z.string().check(z.minLength(1)), detail: z.record(z.string(), z.unknown()) }),
});
