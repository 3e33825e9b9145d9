import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withCancellation } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';
import { checkCancellation } from '../domain/rules/contract-rules';
import type { ReadableInbound } from '../schemas/inbound';
import type { CancellationRequest } from '../schemas/orders/cancellation';
import { contractIdOf, decideOn, loadContract, saveDecision, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { settleOrder, type InboundOrder, type OrderResult } from './order-idempotency';
import { asFieldError } from './refusals';

/** CancellationRequested -> ContractCancelled (with the termination fee) | CancellationRejected. */
export async function processCancellation(deps: OrderDeps, inbound: ReadableInbound<CancellationRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.cancellationRejected(order.orderId, contractIdOf(inbound), reasons);
  const decision = decideOn(await loadContract(deps, inbound), checkCancellation, (contract, request) =>
    decideCancellation(deps, order.orderId, contract, request),
  );
  return settleOrder(deps, order, await saveDecision(deps, order, refuse, decision), refuse);
}

function decideCancellation(deps: OrderDeps, orderId: string, contract: Contract, request: CancellationRequest): ContractDecision {
  const next = asFieldError('effectiveDate', () => withCancellation(contract, request, deps.catalog, { taxable: deps.terminationFeeTaxable }));
  return { next, outcome: outcomes.contractCancelled(orderId, next, jstDateOf(deps.clock.now())) };
}
