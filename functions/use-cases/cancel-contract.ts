import { jstDateOf } from '../domain/calendar';
import { cancelContract as cancel, checkCancellation } from '../domain/contract-lifecycle';
import type { CancellationRequest, ReadableInbound } from '../schemas/inbound';
import { runContractOrder } from './contract-orders';
import type { LifecycleDeps } from './deps';
import type { InboundOrder, OrderResult } from './orders';
import { outcomes } from './outcomes';

/** CancellationRequested -> ContractCancelled (with the termination fee) | CancellationRejected. */
export function cancelContract(deps: LifecycleDeps, inbound: ReadableInbound<CancellationRequest>, order: InboundOrder): Promise<OrderResult> {
  return runContractOrder(deps, inbound, order, (contractId, reasons) => outcomes.cancellationRejected(order.orderId, contractId, reasons), (contract, request) => {
    const reasons = checkCancellation(contract, request);
    if (reasons.length > 0) return { reasons };
    const next = cancel(contract, request, deps.catalog, { taxable: deps.terminationFeeTaxable });
    return { next, outcome: outcomes.contractCancelled(order.orderId, next, jstDateOf(deps.clock.now())) };
  });
}
