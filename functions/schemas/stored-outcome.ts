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

/**
 * An outcome with its eventKey (docs/terms.md K1): outcomes stored before K1 carry none, and
 * an order's outcome is keyed by its orderId.
 */
export function keyedOutcome<O extends { detail: { eventKey?: unknown } }>(outcome: O, orderId: string): O & { detail: { eventKey: string } } {
  const { eventKey } = outcome.detail;
  return { ...outcome, detail: { ...outcome.detail, eventKey: typeof eventKey === 'string' ? eventKey : orderId } };
}
