import { PublishError } from '../events/publisher';
import type { OutboundEvent } from '../domain/outbound-events';
import type { OrderKey } from '../store/contract-store';
import { describeError, type PublishingDeps } from './deps';

/** An order's outcome as the table's stream delivers it: written, not yet published. */
export interface StoredOutcome {
  key: OrderKey;
  outcome: OutboundEvent;
  /** Where the outcome sits in the stream (the record's sequence number). */
  position: string;
}

export interface PublishSummary {
  published: number;
  /** The position of the first outcome not published and marked, from where the stream must retry; null when all were. */
  retryFrom: string | null;
  error: string | null;
}

/**
 * Publishes stored outcomes in stream order, then marks their orders published, all at
 * once. It stops at the first outcome that could not be published or marked and reports
 * its position, so that the stream is retried from there: what came before is done and
 * marked, what comes after is still to do (a retry may publish some of those a second
 * time; consumers dedupe on orderId, as at-least-once delivery requires).
 */
export async function publishStoredOutcomes(deps: Pick<PublishingDeps, 'publisher' | 'store'>, outcomes: StoredOutcome[]): Promise<PublishSummary> {
  if (outcomes.length === 0) return { published: 0, retryFrom: null, error: null };
  const { accepted, error } = await publishInOrder(deps, outcomes);
  const marks = await Promise.allSettled(accepted.map((stored) => deps.store.markPublished(stored.key)));
  const unmarked = marks.findIndex((mark) => mark.status === 'rejected');
  const done = unmarked === -1 ? accepted.length : unmarked;
  if (done === outcomes.length) return { published: done, retryFrom: null, error: null };
  const markError = unmarked === -1 ? null : describeError((marks[unmarked] as PromiseRejectedResult).reason);
  return { published: done, retryFrom: outcomes[done].position, error: markError ?? error };
}

/** The outcomes EventBridge accepted, in order up to the first it refused. */
async function publishInOrder(
  deps: Pick<PublishingDeps, 'publisher'>,
  outcomes: StoredOutcome[],
): Promise<{ accepted: StoredOutcome[]; error: string | null }> {
  try {
    await deps.publisher.publish(outcomes.map((stored) => stored.outcome));
    return { accepted: outcomes, error: null };
  } catch (error) {
    if (!(error instanceof PublishError)) return { accepted: [], error: describeError(error) };
    const refused = new Set(error.failed.map((failure) => failure.event));
    const firstRefused = outcomes.findIndex((stored) => refused.has(stored.outcome));
    return { accepted: outcomes.slice(0, firstRefused === -1 ? outcomes.length : firstRefused), error: describeError(error) };
  }
}
