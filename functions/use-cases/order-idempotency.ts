import { createHash } from 'node:crypto';
import { toJstIso } from '../domain/calendar';
import { canonicalJson } from '../domain/canonical-json';
import type { OutboundEvent } from '../domain/outbound-events';
import { orderIdReused, type Reason } from '../domain/reasons';
import { ORDER_SLOT, reusedSlot, type NewOrder, type OrderKey, type OrderRecord, type WriteResult } from '../store/records';
import { jitteredBackoff } from '../retry/backoff';
import type { OrderDeps } from './deps';

/**
 * One effect and one outcome per orderId (interface §1.1), under at-least-once delivery:
 * - the order item, holding the request's fingerprint and its outcome, is written in the
 *   same transaction as the state change (or alone for a refusal), so either both exist
 *   or neither does; that one write is all the happy path does;
 * - the table's stream hands the new order item to the outcome publisher, which
 *   publishes the outcome and marks the order published (publish-outcomes.ts), retrying
 *   until it succeeds; the order is written with a lease saying so;
 * - a redelivered order therefore changes nothing while that lease runs; once it has run
 *   out unpublished (the stream keeps records 24 hours, and gave up on it), a redelivery
 *   renews the lease, and that write puts the order on the stream again: the outcome
 *   publisher publishes it as it publishes new ones. Of concurrent copies, one renews.
 * Nothing here publishes: the inbound functions only write to the table.
 * Lease times are wall-clock milliseconds between invocations, not business time, so
 * they read Date.now() rather than the injected clock.
 */
export interface InboundOrder {
  orderId: string;
  /** Hash of the detail-type and detail: tells a redelivery from a reuse of the orderId. */
  fingerprint: string;
  /** Which decision of this delivery this is (decisionAttempts): 1 unless an earlier one was stale. */
  attempt?: number;
}

export interface OrderResult {
  orderId: string;
  /** The order's outcome event: new, or the one stored by its first delivery. */
  outcome: OutboundEvent;
  /** True when the order had been processed before and nothing new happened. */
  duplicate: boolean;
}

/** What one attempt at an order wrote, or found in its way. */
export interface Saved {
  result: WriteResult;
  outcome: OutboundEvent;
}

const MAX_DECISION_ATTEMPTS = 25;

export class ConcurrentChangeError extends Error {
  constructor(orderId: string, attempts = MAX_DECISION_ATTEMPTS) {
    super(`order ${orderId}: the contract kept changing under ${attempts} attempts; the event will be retried`);
    this.name = 'ConcurrentChangeError';
  }
}

/** How long the table's stream owns the publishing of an outcome it was handed: its retention. */
export const STREAM_PUBLISH_LEASE_MS = 24 * 60 * 60_000;

/** The order item written with an outcome: in the transaction of the state change, or alone. */
export function orderItem(deps: OrderDeps, order: InboundOrder, outcome: OutboundEvent, slot = ORDER_SLOT): NewOrder {
  return {
    orderId: order.orderId,
    slot,
    fingerprint: order.fingerprint,
    outcome,
    leaseUntil: Date.now() + STREAM_PUBLISH_LEASE_MS,
    at: toJstIso(deps.clock.now()),
  };
}

/** A refusal changes no state: only the order and its outcome are written. */
export async function saveRefusal(deps: OrderDeps, order: InboundOrder, outcome: OutboundEvent): Promise<Saved> {
  return { outcome, result: await deps.store.recordOrder(orderItem(deps, order, outcome)) };
}

/**
 * A save that found the contract or the line changed since they were read: the order is
 * to be decided again on what is there now (the inbound handler runs the use case again),
 * so no change is lost and none is applied to a state it was not decided on.
 */
export class StaleDecisionError extends Error {
  constructor(orderId: string) {
    super(`order ${orderId}: the contract or line changed since it was read; deciding again`);
    this.name = 'StaleDecisionError';
  }
}

/**
 * The attempts at deciding one delivery of an order, a jittered pause between them; after
 * MAX_DECISION_ATTEMPTS stale ones the handler throws ConcurrentChangeError and the event is retried.
 */
export async function* decisionAttempts(): AsyncGenerator<number> {
  for (let n = 1; n <= MAX_DECISION_ATTEMPTS; n++) {
    if (n > 1) await jitteredBackoff(n - 1, { baseMs: 10, capMs: 500 });
    yield n;
  }
}

/**
 * The idempotency step, after the save: a new order is done; a stale save is decided
 * again (StaleDecisionError); an orderId used before
 * gets the stored outcome when it is the same request (published at most once), and
 * ORDER_ID_REUSED when it is a different one, itself stored per request so that its
 * redelivery is not refused twice.
 */
export async function settleOrder(deps: OrderDeps, order: InboundOrder, saved: Saved, refuse: (reasons: Reason[]) => OutboundEvent): Promise<OrderResult> {
  if (saved.result.status === 'written') return { orderId: order.orderId, outcome: saved.outcome, duplicate: false };
  if (saved.result.status === 'stale') throw new StaleDecisionError(order.orderId);
  const first = await requireOrder(deps, { orderId: order.orderId, slot: ORDER_SLOT });
  if (first.fingerprint === order.fingerprint) return deliverStoredOutcome(deps, first);

  const slot = reusedSlot(order.fingerprint);
  // Another fact than the order's own outcome: a key of its own, or consumers would dedupe it away (docs/terms.md K1).
  const refusal = refuse([orderIdReused(order.orderId)]);
  const outcome = { ...refusal, detail: { ...refusal.detail, eventKey: `${order.orderId}#${slot}` } };
  const { status } = await deps.store.recordOrder(orderItem(deps, order, outcome, slot));
  if (status === 'written') return { orderId: order.orderId, outcome, duplicate: false };
  return deliverStoredOutcome(deps, await requireOrder(deps, { orderId: order.orderId, slot }));
}

async function requireOrder(deps: OrderDeps, key: OrderKey): Promise<OrderRecord> {
  const record = await deps.store.getOrder(key);
  if (!record) throw new Error(`order ${key.orderId} (${key.slot}) was reported as existing but cannot be read`);
  return record;
}

/**
 * A stored outcome is published by the stream while its lease runs. One still unpublished
 * after it (the stream gave up on it, e.g. EventBridge refused it for a day) is handed to
 * the stream again: renewing the lease is a new stream record of the unpublished order.
 */
async function deliverStoredOutcome(deps: OrderDeps, stored: OrderRecord): Promise<OrderResult> {
  const result = storedResult(stored);
  const now = Date.now();
  if (inStreamsHands(stored, now)) return result;
  if (await deps.store.requeueOutcome(stored, stored.leaseUntil, now + STREAM_PUBLISH_LEASE_MS)) {
    deps.logger.warn('stored outcome handed to the stream again by a redelivery: it was not published in time', {
      orderId: stored.orderId,
      outcome: stored.outcome.detailType,
    });
  }
  return result;
}

const storedResult = (stored: OrderRecord): OrderResult => ({ orderId: stored.orderId, outcome: stored.outcome, duplicate: true });

/** Published, or the stream's to publish while its lease runs. */
const inStreamsHands = (stored: OrderRecord, now: number): boolean => stored.published || stored.leaseUntil > now;

/**
 * After an attempt at the order failed: its result if what it set out to store is stored
 * all the same (a write DynamoDB carried out after the SDK stopped waiting for it, then
 * retries that found it there and timed out too) and its outcome is in the stream's hands;
 * null otherwise, for the event to be retried. `withinMs`: the most both reads may take.
 */
export async function landedDespiteFailure(deps: OrderDeps, order: InboundOrder, withinMs: number): Promise<OrderResult | null> {
  const deadline = Date.now() + withinMs;
  const read = (slot: string) => deps.store.getOrder({ orderId: order.orderId, slot }, { withinMs: Math.max(1, deadline - Date.now()) });
  const first = await read(ORDER_SLOT);
  // A reused orderId's refusal is stored in a slot of its own request.
  const stored = first && first.fingerprint !== order.fingerprint ? await read(reusedSlot(order.fingerprint)) : first;
  return stored && inStreamsHands(stored, Date.now()) ? storedResult(stored) : null;
}

/**
 * What makes two deliveries "the same request": the detail-type and the detail, with
 * object keys in a fixed order (a resend may serialize them differently).
 */
export function fingerprintOf(detailType: string, detail: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([detailType, detail]))
    .digest('base64url');
}
