import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { withServices } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import { checkServicesChange } from '../domain/rules/contract-rules';
import type { ReadableInbound, ServicesChangeRequest } from '../schemas/inbound';
import { processContractOrder, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import type { InboundOrder, OrderResult } from './order-idempotency';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export function processServicesChange(deps: OrderDeps, inbound: ReadableInbound<ServicesChangeRequest>, order: InboundOrder): Promise<OrderResult> {
  return processContractOrder(deps, inbound, order, {
    refuse: (contractId, reasons) => outcomes.servicesChangeRejected(order.orderId, contractId, reasons),
    decide: (contract, change) => decideServicesChange(deps, order.orderId, contract, change),
  });
}

function decideServicesChange(deps: OrderDeps, orderId: string, contract: Contract, change: ServicesChangeRequest): ContractDecision {
  const reasons = checkServicesChange(deps.catalog, contract, change);
  if (reasons.length > 0) return { reasons };
  const next = withServices(contract, change);
  return { next, outcome: outcomes.servicesChanged(orderId, next, jstDateOf(deps.clock.now())) };
}
