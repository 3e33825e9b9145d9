import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { toJstIso } from '../domain/calendar';
import { InvalidRequestError, RuleViolationError, TariffNotInForceError } from '../domain/errors';
import { invalidRequest, orderIdReused, type Reason } from '../domain/reasons';
import {
  ORDER_SLOT,
  reusedSlot,
  type NewOrder,
  type OrderKey,
  type OrderRecord,
  type OutboundEvent,
  type WriteResult,
} from '../store/contract-store';
import type { LifecycleDeps } from './deps';

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
}

export interface OrderResult {
  orderId: string;
  /** The detail-type of the order's outcome event. */
  outcome: string;
  /** True when the order had been processed before and nothing new happened. */
  duplicate: boolean;
}

/** One try at deciding and writing: `order(outcome)` is the order item to write with it. */
export type DecideAndWrite = (order: (outcome: OutboundEvent) => NewOrder, attempt: number) => Promise<{ result: WriteResult; outcome: OutboundEvent }>;

/**
 * A domain decision that refused its input by throwing, as the refusal's reasons; any
 * other error is not about the request and is rethrown (the event is retried).
 */
export function refusalOf(error: unknown): Reason[] {
  if (error instanceof RuleViolationError) return error.reasons;
  if (error instanceof InvalidRequestError) return [invalidRequest(error.fields)];
  if (error instanceof TariffNotInForceError) return [invalidRequest([{ path: 'date', message: error.message }])];
  throw error;
}

export class ConcurrentChangeError extends Error {
  constructor(orderId: string, attempts: number) {
    super(`order ${orderId}: the contract kept changing under ${attempts} attempts; the event will be retried`);
    this.name = 'ConcurrentChangeError';
  }
}

/** How long the table's stream owns the publishing of an outcome it was handed: its retention. */
export const STREAM_PUBLISH_LEASE_MS = 24 * 60 * 60_000;
const MAX_DECISION_ATTEMPTS = 25;

export async function runOrder(
  deps: LifecycleDeps,
  order: InboundOrder,
  refuse: (reasons: Reason[]) => OutboundEvent,
  decideAndWrite: DecideAndWrite,
): Promise<OrderResult> {
  const newOrder = (slot: string) => (outcome: OutboundEvent): NewOrder => ({
    orderId: order.orderId,
    slot,
    fingerprint: order.fingerprint,
    outcome,
    leaseUntil: Date.now() + STREAM_PUBLISH_LEASE_MS,
    at: toJstIso(deps.clock.now()),
  });
  for (let attempt = 1; attempt <= MAX_DECISION_ATTEMPTS; attempt++) {
    const { result, outcome } = await decideAndWrite(newOrder(ORDER_SLOT), attempt);
    if (result.status === 'written') return { orderId: order.orderId, outcome: outcome.detailType, duplicate: false };
    if (result.status === 'order-exists') return settleExistingOrder(deps, order, refuse, newOrder);
    // Stale: someone else changed the contract or the line since we read it; decide again.
    await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
  }
  throw new ConcurrentChangeError(order.orderId, MAX_DECISION_ATTEMPTS);
}

/**
 * The orderId was used before: the same request again gets the stored outcome (published
 * at most once); a different request gets ORDER_ID_REUSED, itself stored per request so
 * that its redelivery is not refused twice.
 */
async function settleExistingOrder(
  deps: LifecycleDeps,
  order: InboundOrder,
  refuse: (reasons: Reason[]) => OutboundEvent,
  newOrder: (slot: string) => (outcome: OutboundEvent) => NewOrder,
): Promise<OrderResult> {
  const first = await requireOrder(deps, { orderId: order.orderId, slot: ORDER_SLOT });
  if (first.fingerprint === order.fingerprint) return deliverStoredOutcome(deps, first);

  const slot = reusedSlot(order.fingerprint);
  const outcome = refuse([orderIdReused(order.orderId)]);
  const { status } = await deps.store.recordOrder(newOrder(slot)(outcome));
  if (status === 'written') return { orderId: order.orderId, outcome: outcome.detailType, duplicate: false };
  return deliverStoredOutcome(deps, await requireOrder(deps, { orderId: order.orderId, slot }));
}

async function requireOrder(deps: LifecycleDeps, key: OrderKey): Promise<OrderRecord> {
  const record = await deps.store.getOrder(key);
  if (!record) throw new Error(`order ${key.orderId} (${key.slot}) was reported as existing but cannot be read`);
  return record;
}

/**
 * A stored outcome is published by the stream while its lease runs. One still unpublished
 * after it (the stream gave up on it, e.g. EventBridge refused it for a day) is handed to
 * the stream again: renewing the lease is a new stream record of the unpublished order.
 */
async function deliverStoredOutcome(deps: LifecycleDeps, stored: OrderRecord): Promise<OrderResult> {
  const result = { orderId: stored.orderId, outcome: stored.outcome.detailType, duplicate: true };
  const now = Date.now();
  if (stored.published || stored.leaseUntil > now) return result;
  if (await deps.store.requeueOutcome(stored, stored.leaseUntil, now + STREAM_PUBLISH_LEASE_MS)) {
    deps.logger.warn('stored outcome handed to the stream again by a redelivery: it was not published in time', { orderId: stored.orderId, outcome: stored.outcome.detailType });
  }
  return result;
}

/**
 * What makes two deliveries "the same request": the detail-type and the detail, with
 * object keys in a fixed order (a resend may serialize them differently).
 */
export function fingerprintOf(detailType: string, detail: unknown): string {
  return createHash('sha256').update(canonicalJson([detailType, detail])).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
