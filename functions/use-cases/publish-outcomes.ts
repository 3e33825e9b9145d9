import type { DeadLetterSink } from '../events/dead-letter';
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
 * marked, what comes after is still to do (the publisher sends nothing after a call it
 * could not get accepted, so a retry delivers again only what a failed mark left
 * unmarked; consumers dedupe on eventKey, as at-least-once delivery requires). An
 * outcome that can never be published (too large for EventBridge) goes to the dead-letter
 * queue with its reason instead of holding up every outcome behind it; its order stays
 * unpublished in the table.
 */
export async function publishStoredOutcomes(
  deps: Pick<PublishingDeps, 'publisher' | 'store'> & { deadLetters: DeadLetterSink },
  outcomes: StoredOutcome[],
): Promise<PublishSummary> {
  if (outcomes.length === 0) return { published: 0, retryFrom: null, error: null };
  const { settled, error } = await publishInOrder(deps, outcomes);
  const results = await Promise.allSettled(
    settled.map((step) => (step.kind === 'accepted' ? deps.store.markPublished(step.stored.key) : deadLetter(deps, step))),
  );
  const unsettled = results.findIndex((result) => result.status === 'rejected');
  const done = unsettled === -1 ? settled.length : unsettled;
  const published = settled.slice(0, done).filter((step) => step.kind === 'accepted').length;
  if (done === outcomes.length) return { published, retryFrom: null, error: null };
  const settleError = unsettled === -1 ? null : describeError((results[unsettled] as PromiseRejectedResult).reason);
  return { published, retryFrom: outcomes[done].position, error: settleError ?? error };
}

type Step = { kind: 'accepted'; stored: StoredOutcome } | { kind: 'refused-for-good'; stored: StoredOutcome; reason: string };

async function deadLetter(deps: { deadLetters: DeadLetterSink }, step: Extract<Step, { kind: 'refused-for-good' }>): Promise<void> {
  await deps.deadLetters.deadLetter(`outcome of order ${step.stored.key.orderId} can never be published: ${step.reason}`, step.stored);
}

/** In stream order up to the first outcome EventBridge refused for now: those it accepted, and those it can never take. */
async function publishInOrder(deps: Pick<PublishingDeps, 'publisher'>, outcomes: StoredOutcome[]): Promise<{ settled: Step[]; error: string | null }> {
  try {
    await deps.publisher.publish(outcomes.map((stored) => stored.outcome));
    return { settled: outcomes.map((stored) => ({ kind: 'accepted', stored })), error: null };
  } catch (error) {
    if (!(error instanceof PublishError)) return { settled: [], error: describeError(error) };
    const failures = new Map(error.failed.map((failure) => [failure.event, failure]));
    const settled: Step[] = [];
    for (const stored of outcomes) {
      const failure = failures.get(stored.outcome);
      if (failure && !failure.permanent) break;
      settled.push(failure ? { kind: 'refused-for-good', stored, reason: `${failure.errorCode}: ${failure.errorMessage}` } : { kind: 'accepted', stored });
    }
    return { settled, error: describeError(error) };
  }
}
