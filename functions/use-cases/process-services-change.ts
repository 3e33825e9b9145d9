import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withServices } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import { checkServicesChange } from '../domain/rules/contract-rules';
import type { ServicesChangeRequest } from '../schemas/orders/services-change';
import { contractIdOf, decideOn, loadContract, saveDecision, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { settleOrder, type InboundOrder, type OrderResult } from './order-idempotency';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export async function processServicesChange(deps: OrderDeps, inbound: ReadableInbound<ServicesChangeRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.servicesChangeRejected(order.orderId, contractIdOf(inbound), reasons);
  const loaded = await loadContract(deps, inbound);
  const decision = decideOn(loaded, (contract, request) => decideServicesChange(deps, order.orderId, contract, request));
  return settleOrder(deps, order, await saveDecision(deps, order, refuse, decision), refuse);
}

function decideServicesChange(deps: OrderDeps, orderId: string, contract: Contract, change: ServicesChangeRequest): ContractDecision {
  const reasons = checkServicesChange(deps.catalog, contract, change);
  if (reasons.length > 0) return { reasons };
  const next = withServices(contract, { ...change, orderId }, deps.catalog);
  return { next, outcome: outcomes.servicesChanged(orderId, next, jstDateOf(deps.clock.now())) };
}
