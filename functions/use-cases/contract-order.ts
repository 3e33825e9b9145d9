import type { Contract } from '../domain/contract';
import type { OutboundEvent } from '../domain/outbound-events';
import { contractNotFound, type Reason } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import type { OrderDeps } from './deps';
import { orderItem, saveRefusal, settleOrder, untilNotStale, type InboundOrder, type OrderResult, type Saved } from './order-idempotency';
import { refusalOf } from './refusals';

/**
 * A use case on an existing contract (services change, cancellation, plan change, one-off
 * order), named by its refusal and its decision: load the contract, decide in the domain,
 * save the next state conditioned on the version read (again on a fresh read while the
 * save is stale), then the idempotency step.
 */
export function contractOrderUseCase<T extends { contractId: string }>(
  refusal: (orderId: string, contractId: string | null, reasons: Reason[]) => OutboundEvent,
  decide: (deps: OrderDeps, orderId: string, contract: Contract, request: T) => ContractDecision,
): (deps: OrderDeps, inbound: ReadableInbound<T>, order: InboundOrder) => Promise<OrderResult> {
  return async (deps, inbound, order) => {
    const refuse = (reasons: Reason[]) => refusal(order.orderId, contractIdOf(inbound), reasons);
    const saved = await untilNotStale(order, async () => {
      const loaded = await loadContract(deps, inbound);
      if ('reasons' in loaded) return saveRefusal(deps, order, refuse(loaded.reasons));
      const decision = decided(() => decide(deps, order.orderId, loaded.contract, loaded.request));
      return saveDecision(deps, order, refuse, decision, loaded.contract.version);
    });
    return settleOrder(deps, order, saved, refuse);
  };
}

/** What the domain decided on the contract: refused with every reason, or its next state and outcome. */
export type ContractDecision = { reasons: Reason[] } | { next: Contract; outcome: OutboundEvent };

/** The contract an order names, read strongly consistent; a refusal when the order is invalid or the contract unknown. */
async function loadContract<T extends { contractId: string }>(
  deps: OrderDeps,
  inbound: ReadableInbound<T>,
): Promise<{ reasons: Reason[] } | { contract: Contract; request: T }> {
  if (inbound.kind === 'invalid') return { reasons: [inbound.reason] };
  const contract = await deps.store.getContract(inbound.request.contractId);
  return contract ? { contract, request: inbound.request } : { reasons: [contractNotFound(inbound.request.contractId)] };
}

/** A decision whose calculation refused its input by throwing (e.g. a date before the first tariff revision) is a refusal, not a retry. */
function decided(decide: () => ContractDecision): ContractDecision {
  try {
    return decide();
  } catch (error) {
    return { reasons: refusalOf(error) };
  }
}

/** The order with the contract's next state in one transaction, conditioned on the version the decision read; or the refusal alone. */
async function saveDecision(
  deps: OrderDeps,
  order: InboundOrder,
  refuse: (reasons: Reason[]) => OutboundEvent,
  decision: ContractDecision,
  readVersion: number,
): Promise<Saved> {
  if ('reasons' in decision) return saveRefusal(deps, order, refuse(decision.reasons));
  return { outcome: decision.outcome, result: await deps.store.updateContract(orderItem(deps, order, decision.outcome), decision.next, readVersion) };
}

/** The contract id a refusal names: the request's, or what could be read of an invalid one. */
function contractIdOf<T extends { contractId: string }>(inbound: ReadableInbound<T>): string | null {
  return inbound.kind === 'valid' ? inbound.request.contractId : inbound.contractId;
}
