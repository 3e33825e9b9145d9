import { describeError } from '../log';
import { PublishError } from '../events/publisher';
import type { OrderKey, OutboundEvent } from '../store/contract-store';
import type { LifecycleDeps } from './deps';

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

// PutEvents takes ten entries a call: a chunk is published, then marked, before the next.
const CHUNK = 10;

/**
 * Publishes stored outcomes in stream order and marks each order published. It stops at
 * the first outcome that could not be published or marked and reports its position, so
 * that the stream is retried from there: what came before is done and marked, what
 * comes after is still to do (a retry may publish an outcome of the failed chunk a
 * second time; consumers dedupe on orderId, as at-least-once delivery requires).
 */
export async function publishStoredOutcomes(deps: Pick<LifecycleDeps, 'publisher' | 'store'>, outcomes: StoredOutcome[]): Promise<PublishSummary> {
  let published = 0;
  for (let start = 0; start < outcomes.length; start += CHUNK) {
    const chunk = outcomes.slice(start, start + CHUNK);
    const { accepted, error } = await publishChunk(deps, chunk);
    const marks = await Promise.allSettled(accepted.map((stored) => deps.store.markPublished(stored.key)));
    const unmarked = marks.findIndex((mark) => mark.status === 'rejected');
    const done = unmarked === -1 ? accepted.length : unmarked;
    published += done;
    if (done < chunk.length) {
      const markError = unmarked === -1 ? null : describeError((marks[unmarked] as PromiseRejectedResult).reason);
      return { published, retryFrom: (chunk[done] as StoredOutcome).position, error: markError ?? error };
    }
  }
  return { published, retryFrom: null, error: null };
}

/** The outcomes EventBridge accepted, in order up to the first it refused. */
async function publishChunk(deps: Pick<LifecycleDeps, 'publisher'>, chunk: StoredOutcome[]): Promise<{ accepted: StoredOutcome[]; error: string | null }> {
  try {
    await deps.publisher.publish(chunk.map((stored) => stored.outcome));
    return { accepted: chunk, error: null };
  } catch (error) {
    if (!(error instanceof PublishError)) return { accepted: [], error: describeError(error) };
    const refused = new Set(error.failed.map((failure) => failure.event));
    const firstRefused = chunk.findIndex((stored) => refused.has(stored.outcome));
    return { accepted: chunk.slice(0, firstRefused === -1 ? chunk.length : firstRefused), error: describeError(error) };
  }
}
