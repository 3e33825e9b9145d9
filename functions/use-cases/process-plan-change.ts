import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withPlanChange } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import { checkPlanChange } from '../domain/rules/contract-rules';
import type { PlanChangeRequest } from '../schemas/orders/plan-change';
import { contractIdOf, decideOn, loadContract, saveDecision, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { settleOrder, type InboundOrder, type OrderResult } from './order-idempotency';
import { asFieldError } from './refusals';

/** PlanChangeRequested -> ContractPlanChanged (with the PC4 fee, or null) | PlanChangeRejected. */
export async function processPlanChange(deps: OrderDeps, inbound: ReadableInbound<PlanChangeRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.planChangeRejected(order.orderId, contractIdOf(inbound), reasons);
  const decision = decideOn(
    await loadContract(deps, inbound),
    (contract, request) => checkPlanChange(deps.catalog, contract, request),
    (contract, request) => decidePlanChange(deps, order.orderId, contract, request),
  );
  return settleOrder(deps, order, await saveDecision(deps, order, refuse, decision), refuse);
}

function decidePlanChange(deps: OrderDeps, orderId: string, contract: Contract, request: PlanChangeRequest): ContractDecision {
  const changed = asFieldError('effectiveDate', () => withPlanChange(contract, { ...request, orderId }, deps.catalog, { taxable: deps.terminationFeeTaxable }));
  const outcome = outcomes.planChanged(
    orderId,
    { contract: changed.contract, previousPlan: contract.plan, effectiveDate: request.effectiveDate, terminationFee: changed.terminationFee },
    jstDateOf(deps.clock.now()),
  );
  return { next: changed.contract, outcome };
}
