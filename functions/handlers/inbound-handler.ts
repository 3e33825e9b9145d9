import type { Context, EventBridgeEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Schema } from '../schemas/field-issues';
import { parseInbound, type ReadableInbound } from '../schemas/inbound';
import { describeError, type OrderDeps } from '../use-cases/deps';
import {
  ConcurrentChangeError,
  decisionAttempts,
  fingerprintOf,
  landedDespiteFailure,
  StaleDecisionError,
  type InboundOrder,
  type OrderResult,
} from '../use-cases/order-idempotency';
import type { OrderHandlerDeps } from '../wiring/dependencies';
import { countOutcome, flushMetrics, METRIC } from '../observability/metrics';
import { invocationLogger, Invocations } from '../observability/invocation-logger';

/** What an inbound handler answers: the order's result, or why its event was dead-lettered. */
export type InboundResult = { orderId: string; outcome: string; duplicate: boolean } | { deadLettered: true; reason: string };
export type InboundHandler<D extends string> = (event: EventBridgeEvent<D, unknown>, context?: Context) => Promise<InboundResult>;

type UseCase<T> = (deps: OrderDeps, inbound: ReadableInbound<T>, order: InboundOrder) => Promise<OrderResult>;

/**
 * The shape of the three inbound handlers: parse the detail, run one use case, log and
 * count the outcome. Every log line of an order carries its `orderId` (and `contractId`
 * when the request names one). An event without a readable orderId cannot get an
 * outcome, so it goes to the dead-letter queue with its reason and the handler returns:
 * retrying it would fail the same way. Any other failure is thrown, for the event to be
 * retried, unless the order's write landed all the same (a slow DynamoDB carries out a
 * write the SDK gave up waiting for): then its stored outcome stands, where retries that
 * timed out as well would have dead-lettered an order that succeeded.
 */
export function inboundHandler<D extends string, T>(detailType: D, schema: Schema<T>, useCase: UseCase<T>) {
  return (deps: OrderHandlerDeps): InboundHandler<D> => {
    const invocations = new Invocations();
    return async (event, context) => {
      const logger = invocationLogger(deps.logger, context, invocations.next());
      try {
        const received = (event as Partial<EventBridgeEvent<string, unknown>> | null)?.['detail-type'];
        if (received !== detailType) return await deadLetter(deps, logger, `this function takes ${detailType} events, not ${String(received)}`, event);
        const inbound = parseInbound(schema, event.detail);
        if (inbound.kind === 'unreadable') return await deadLetter(deps, logger, inbound.reason, event);
        logger.appendKeys({ orderId: inbound.orderId, ...contractKey(inbound) });
        const order = { orderId: inbound.orderId, fingerprint: fingerprintOf(detailType, event.detail) };
        try {
          const result = await decidedAgainWhileStale(order, (attempt) => useCase({ ...deps, logger }, inbound, attempt));
          if (!result.duplicate) countOutcome(deps.metrics, result.outcome);
          logger.info('order processed', { detailType, outcome: result.outcome.detailType, duplicate: result.duplicate });
          return { orderId: result.orderId, outcome: result.outcome.detailType, duplicate: result.duplicate };
        } catch (error) {
          const landed = await storedAfterFailure(deps, order, context);
          if (landed) {
            logger.warn('order failed after its write landed; its stored outcome stands', {
              detailType,
              outcome: landed.outcome.detailType,
              error: describeError(error),
            });
            return { orderId: landed.orderId, outcome: landed.outcome.detailType, duplicate: true };
          }
          logger.error('order failed; the event will be retried', { detailType, error: describeError(error) });
          throw error;
        }
      } finally {
        flushMetrics(deps.metrics);
      }
    };
  };
}

/**
 * The use case, run again on what is stored now while its save finds the contract or the
 * line changed since it read them (StaleDecisionError), a jittered pause between attempts.
 */
export async function decidedAgainWhileStale(order: InboundOrder, run: (order: InboundOrder) => Promise<OrderResult>): Promise<OrderResult> {
  for await (const attempt of decisionAttempts()) {
    try {
      return await run({ ...order, attempt });
    } catch (error) {
      if (!(error instanceof StaleDecisionError)) throw error;
    }
  }
  throw new ConcurrentChangeError(order.orderId);
}

/** Left of the invocation for the handler to answer after the check; without a context (tests), the check gets FALLBACK_CHECK_MS. */
const ANSWER_MARGIN_MS = 1_000;
const FALLBACK_CHECK_MS = 3_000;

/** The order's stored result after a failure, asked with the time the invocation has left; null when not stored, or the store does not say in time. */
async function storedAfterFailure(deps: OrderHandlerDeps, order: InboundOrder, context: Context | undefined): Promise<OrderResult | null> {
  const withinMs = context ? context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS : FALLBACK_CHECK_MS;
  if (withinMs <= 0) return null;
  try {
    return await landedDespiteFailure(deps, order, withinMs);
  } catch {
    // The store still failing: the event is retried for the use case's own error, logged next.
    return null;
  }
}

async function deadLetter(deps: OrderHandlerDeps, logger: OrderHandlerDeps['logger'], reason: string, event: unknown): Promise<InboundResult> {
  await deps.deadLetters.deadLetter(reason, event);
  deps.metrics.addMetric(METRIC.deadLetters, MetricUnit.Count, 1);
  logger.warn('event dead-lettered', { reason });
  return { deadLettered: true, reason };
}

function contractKey<T>(inbound: ReadableInbound<T>): { contractId?: string } {
  const contractId = inbound.kind === 'valid' ? (inbound.request as { contractId?: unknown }).contractId : inbound.contractId;
  return typeof contractId === 'string' ? { contractId } : {};
}
