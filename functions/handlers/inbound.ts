import type { EventBridgeEvent } from 'aws-lambda';
import { describeError } from '../log';
import type { Schema } from '../schemas/fields';
import { parseInbound, type ReadableInbound } from '../schemas/inbound';
import type { LifecycleDeps } from '../use-cases/deps';
import { fingerprintOf, type InboundOrder, type OrderResult } from '../use-cases/orders';
import type { InboundHandlerDeps } from './inbound-deps';
import { lifecycleDeps } from './lifecycle-deps';

export type InboundResult = OrderResult | { deadLettered: true; reason: string };
export type InboundHandler<D extends string> = (event: EventBridgeEvent<D, unknown>) => Promise<InboundResult>;

type UseCase<T> = (deps: LifecycleDeps, inbound: ReadableInbound<T>, order: InboundOrder) => Promise<OrderResult>;

/**
 * The shape of every inbound handler: parse the detail, run one use case, log the outcome.
 * An event without a readable orderId cannot get an outcome, so it goes to the
 * dead-letter sink with its reason and the handler returns: retrying it would fail the
 * same way. Any other failure is thrown, for the event to be retried.
 */
export function inboundHandler<D extends string, T>(detailType: D, schema: Schema<T>, useCase: UseCase<T>) {
  return (deps: InboundHandlerDeps): InboundHandler<D> => {
    const lifecycle = lifecycleDeps(deps);
    const logger = lifecycle.logger;
    const deadLetter = async (reason: string, event: unknown): Promise<InboundResult> => {
      await deps.deadLetters.deadLetter(reason, event);
      logger.warn('event dead-lettered', { detailType, reason });
      return { deadLettered: true, reason };
    };
    return async (event) => {
      const received = (event as Partial<EventBridgeEvent<string, unknown>> | null)?.['detail-type'];
      if (received !== detailType) return deadLetter(`this function takes ${detailType} events, not ${String(received)}`, event);
      const inbound = parseInbound(schema, event.detail);
      if (inbound.kind === 'unreadable') return deadLetter(inbound.reason, event);
      try {
        const result = await useCase(lifecycle, inbound, { orderId: inbound.orderId, fingerprint: fingerprintOf(detailType, event.detail) });
        logger.info('order processed', { detailType, ...result });
        return result;
      } catch (error) {
        logger.error('order failed; the event will be retried', { detailType, orderId: inbound.orderId, error: describeError(error) });
        throw error;
      }
    };
  };
}

