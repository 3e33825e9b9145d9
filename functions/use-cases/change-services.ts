import { jstDateOf } from '../domain/calendar';
import { changeServices as changeContractServices } from '../domain/contract-lifecycle';
import { checkServicesChange } from '../domain/rules/contract-rules';
import type { ReadableInbound, ServicesChangeRequest } from '../schemas/inbound';
import { runContractOrder } from './contract-orders';
import type { LifecycleDeps } from './deps';
import type { InboundOrder, OrderResult } from './orders';
import { outcomes } from './outcomes';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export function changeServices(deps: LifecycleDeps, inbound: ReadableInbound<ServicesChangeRequest>, order: InboundOrder): Promise<OrderResult> {
  return runContractOrder(deps, inbound, order, (contractId, reasons) => outcomes.servicesChangeRejected(order.orderId, contractId, reasons), (contract, change) => {
    const reasons = checkServicesChange(deps.catalog, contract, change);
    if (reasons.length > 0) return { reasons };
    const next = changeContractServices(contract, change);
    return { next, outcome: outcomes.servicesChanged(order.orderId, next, jstDateOf(deps.clock.now())) };
  });
}
