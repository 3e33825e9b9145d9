import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withPlanChange } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import { checkPlanChange } from '../domain/rules/contract-rules';
import type { PlanChangeRequest } from '../schemas/orders/plan-change';
import { contractOrderUseCase, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { asFieldError } from './refusals';

/** PlanChangeRequested -> ContractPlanChanged (with the PC4 fee, or null) | PlanChangeRejected. */
export const processPlanChange = contractOrderUseCase<PlanChangeRequest>(outcomes.planChangeRejected, decidePlanChange);

function decidePlanChange(deps: OrderDeps, orderId: string, contract: Contract, request: PlanChangeRequest): ContractDecision {
  const reasons = checkPlanChange(deps.catalog, contract, request);
  if (reasons.length > 0) return { reasons };
  const changed = asFieldError('effectiveDate', () => withPlanChange(contract, { ...request, orderId }, deps.catalog, { taxable: deps.terminationFeeTaxable }));
  const outcome = outcomes.planChanged(
    orderId,
    { contract: changed.contract, previousPlan: contract.plan, effectiveDate: request.effectiveDate, terminationFee: changed.terminationFee },
    jstDateOf(deps.clock.now()),
  );
  return { next: changed.contract, outcome };
}
