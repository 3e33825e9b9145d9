import type { DeadLetterSink } from '../events/dead-letter';
import { PublishError } from '../events/publisher';
import type { OutboundEvent } from '../domain/outbound-events';
import type { OutboxKey } from '../store/records';
import { describeError, type PublishingDeps } from './deps';

/** A fact to publish as the table's stream delivers it (an order's outcome, or a FACT item's): written, not yet published. */
export interface StoredOutcome {
  key: OutboxKey;
  outcome: OutboundEvent;
  /** Where the outcome sits in the stream (the record's sequence number). */
  position: string;
}

export interface PublishSummary {
  published: number;
  /** Outcomes EventBridge can never take, put in the dead-letter queue instead: done, like the published ones. */
  deadLettered: number;
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
  deps: Pick<PublishingDeps, 'publisher' | 'store'> & { deadLetters: DeadLetterSink; published?: PublishedOutcomes },
  outcomes: StoredOutcome[],
): Promise<PublishSummary> {
  if (outcomes.length === 0) return { published: 0, deadLettered: 0, retryFrom: null, error: null };
  const { settled, error } = await publishInOrder(deps, outcomes);
  for (const step of settled) if (step.kind === 'accepted') deps.published?.add(step.stored);
  const results = await Promise.allSettled(
    settled.map((step) => (step.kind === 'accepted' ? deps.store.markPublished(step.stored.key) : deadLetter(deps, step))),
  );
  const unsettled = results.findIndex((result) => result.status === 'rejected');
  const done = unsettled === -1 ? settled.length : unsettled;
  const published = settled.slice(0, done).filter((step) => step.kind === 'accepted').length;
  const deadLettered = done - published;
  if (done === outcomes.length) return { published, deadLettered, retryFrom: null, error: null };
  const settleError = unsettled === -1 ? null : describeError((results[unsettled] as PromiseRejectedResult).reason);
  return { published, deadLettered, retryFrom: outcomes[done].position, error: settleError ?? error };
}

type Step = { kind: 'accepted'; stored: StoredOutcome } | { kind: 'refused-for-good'; stored: StoredOutcome; reason: string };

async function deadLetter(deps: { deadLetters: DeadLetterSink }, step: Extract<Step, { kind: 'refused-for-good' }>): Promise<void> {
  await deps.deadLetters.deadLetter(`outcome stored at ${step.stored.key.PK} ${step.stored.key.SK} can never be published: ${step.reason}`, step.stored);
}

/**
 * The outcomes this function instance has had EventBridge accept, so that the stream's
 * retry of a batch whose marks failed (DynamoDB refusing writes) marks them again without
 * publishing them again: a further delivery only when another instance takes the retry.
 * Bounded: the oldest are forgotten first.
 */
export class PublishedOutcomes {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(stored: StoredOutcome): boolean {
    return this.keys.has(keyOf(stored));
  }

  add(stored: StoredOutcome): void {
    const key = keyOf(stored);
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
  }
}

const keyOf = (stored: StoredOutcome): string => `${stored.key.PK}\u0000${stored.key.SK}\u0000${stored.outcome.detailType}`;

/** In stream order up to the first outcome EventBridge refused for now: those it accepted, and those it can never take. */
async function publishInOrder(
  deps: Pick<PublishingDeps, 'publisher'> & { published?: PublishedOutcomes },
  outcomes: StoredOutcome[],
): Promise<{ settled: Step[]; error: string | null }> {
  const toSend = outcomes.filter((stored) => !deps.published?.has(stored));
  try {
    await deps.publisher.publish(toSend.map((stored) => stored.outcome));
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
