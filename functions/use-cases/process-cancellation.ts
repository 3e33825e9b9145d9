import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withCancellation } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import { checkCancellation } from '../domain/rules/contract-rules';
import type { CancellationRequest } from '../schemas/orders/cancellation';
import { contractOrderUseCase, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { asFieldError } from './refusals';

/** CancellationRequested -> ContractCancelled (with the termination fee) | CancellationRejected. */
export const processCancellation = contractOrderUseCase<CancellationRequest>(outcomes.cancellationRejected, decideCancellation);

function decideCancellation(deps: OrderDeps, orderId: string, contract: Contract, request: CancellationRequest): ContractDecision {
  const reasons = checkCancellation(contract, request);
  if (reasons.length > 0) return { reasons };
  const next = asFieldError('effectiveDate', () => withCancellation(contract, request, deps.catalog, { taxable: deps.terminationFeeTaxable }));
  return { next, outcome: outcomes.contractCancelled(orderId, next, jstDateOf(deps.clock.now())) };
}
