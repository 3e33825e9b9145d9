import { createCancellationHandler } from '../../../functions/handlers/cancellation';
import { createContractApplicationHandler } from '../../../functions/handlers/contract-application';
import { createOneOffOrderHandler } from '../../../functions/handlers/one-off-order';
import { createPlanChangeHandler } from '../../../functions/handlers/plan-change';
import { createServicesChangeHandler } from '../../../functions/handlers/services-change';
import { application, inboundEvent, newOrderId, type Harness } from './fixtures';
import { testDeps } from '../../support/handler-deps';

/**
 * The inbound handlers on one harness, and shortcuts that return the outcome event.
 * The table's stream publishes the outcomes a few ms after a handler returns: each handler
 * here returns once they are on the bus, so that a test reads them right after the call.
 */
export function inboundHandlers(h: Harness) {
  const published =
    <E, R>(handler: (event: E) => Promise<R>) =>
    async (event: E): Promise<R> => {
      await h.started;
      try {
        return await handler(event);
      } finally {
        await h.drain();
      }
    };
  const apply = published(createContractApplicationHandler(testDeps(h.deps)));
  const change = published(createServicesChangeHandler(testDeps(h.deps)));
  const cancel = published(createCancellationHandler(testDeps(h.deps)));
  const changePlan = published(createPlanChangeHandler(testDeps(h.deps)));
  const orderOneOff = published(createOneOffOrderHandler(testDeps(h.deps)));
  const outcomeOf = (orderId: string) => {
    const events = h.bus.forOrder(orderId);
    if (events.length !== 1) throw new Error(`expected one outcome for ${orderId}, got ${events.length}`);
    return events[0];
  };
  return {
    apply,
    change,
    cancel,
    changePlan,
    orderOneOff,
    outcomeOf,
    /** Applies and returns the created contract's id. */
    async created(overrides: Record<string, unknown> = {}): Promise<string> {
      const detail = application(overrides);
      await apply(inboundEvent('ContractApplicationSubmitted', detail));
      const outcome = outcomeOf(detail.orderId);
      if (outcome.detailType !== 'ContractCreated') throw new Error(`application refused: ${JSON.stringify(outcome.detail)}`);
      return outcome.detail.contract.contractId as string;
    },
    changeEvent: (detail: Record<string, unknown>) =>
      inboundEvent('ServicesChangeRequested', { orderId: newOrderId('chg'), requestedAt: '2024-06-01T09:00:00+09:00', ...detail }),
    cancelEvent: (detail: Record<string, unknown>) =>
      inboundEvent('CancellationRequested', { orderId: newOrderId('cxl'), requestedAt: '2024-06-01T09:00:00+09:00', ...detail }),
    planChangeEvent: (detail: Record<string, unknown>) =>
      inboundEvent('PlanChangeRequested', { orderId: newOrderId('plan'), requestedAt: '2024-06-01T09:00:00+09:00', ...detail }),
    oneOffEvent: (detail: Record<string, unknown>) =>
      inboundEvent('OneOffServiceOrdered', { orderId: newOrderId('one'), requestedAt: '2024-06-01T09:00:00+09:00', ...detail }),
  };
}
