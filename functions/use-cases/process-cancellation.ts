import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withCancellation } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import { checkCancellation } from '../domain/rules/contract-rules';
import type { CancellationRequest, ReadableInbound } from '../schemas/inbound';
import { processContractOrder, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import type { InboundOrder, OrderResult } from './order-idempotency';
import { asFieldError } from './refusals';

/** CancellationRequested -> ContractCancelled (with the termination fee) | CancellationRejected. */
export function processCancellation(deps: OrderDeps, inbound: ReadableInbound<CancellationRequest>, order: InboundOrder): Promise<OrderResult> {
  return processContractOrder(deps, inbound, order, {
    refuse: (contractId, reasons) => outcomes.cancellationRejected(order.orderId, contractId, reasons),
    decide: (contract, request) => decideCancellation(deps, order.orderId, contract, request),
  });
}

function decideCancellation(deps: OrderDeps, orderId: string, contract: Contract, request: CancellationRequest): ContractDecision {
  const reasons = checkCancellation(contract, request);
  if (reasons.length > 0) return { reasons };
  const next = asFieldError('effectiveDate', () => withCancellation(contract, request, deps.catalog, { taxable: deps.terminationFeeTaxable }));
  return { next, outcome: outcomes.contractCancelled(orderId, next, jstDateOf(deps.clock.now())) };
}
