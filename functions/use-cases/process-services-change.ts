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
  const decision = decideOn(
    await loadContract(deps, inbound),
    (contract, change) => checkServicesChange(deps.catalog, contract, change),
    (contract, request) => decideServicesChange(deps, order, contract, request),
  );
  return settleOrder(deps, order, await saveDecision(deps, order, refuse, decision), refuse);
}

function decideServicesChange(deps: OrderDeps, order: InboundOrder, contract: Contract, change: ServicesChangeRequest): ContractDecision {
  const next = withServices(contract, { ...change, orderId: order.orderId }, deps.catalog);
  return { next, outcome: outcomes.servicesChanged(order.orderId, next, jstDateOf(deps.clock.now())) };
}
