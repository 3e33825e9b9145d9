import * as z from 'zod/mini';
import type { FieldIssue } from '../domain/errors';
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

/**
 * The Scheduler's payload (or a rerun's, sent by an operator) that the renewal function
 * cannot run: which fields, and why. Not an InvalidRequestError: no customer's request
 * is refused; the run is not started, and Lambda's retry would refuse it again.
 */
export class SchedulePayloadError extends Error {
  constructor(
    message: string,
    readonly fields: FieldIssue[],
  ) {
    super(message);
    this.name = 'SchedulePayloadError';
  }
}
