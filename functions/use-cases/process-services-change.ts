import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withServices } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import { checkServicesChange } from '../domain/rules/contract-rules';
import type { ServicesChangeRequest } from '../schemas/orders/services-change';
import { contractOrderUseCase, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export const processServicesChange = contractOrderUseCase<ServicesChangeRequest>(outcomes.servicesChangeRejected, decideServicesChange);

function decideServicesChange(deps: OrderDeps, orderId: string, contract: Contract, change: ServicesChangeRequest): ContractDecision {
  const reasons = checkServicesChange(deps.catalog, contract, change);
  if (reasons.length > 0) return { reasons };
  const next = withServices(contract, { ...change, orderId }, deps.catalog);
  return { next, outcome: outcomes.servicesChanged(orderId, next, jstDateOf(deps.clock.now())) };
}
