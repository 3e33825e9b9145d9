import type { Contract } from '../domain/contract';
import type { Reason } from '../domain/reasons';
import { contractNotFound } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import type { OutboundEvent } from '../store/contract-store';
import type { LifecycleDeps } from './deps';
import { refusalOf, runOrder, type InboundOrder, type OrderResult } from './orders';

/** A decision on an existing contract: refused with every reason, or its next state and outcome. */
export type ContractDecision = { reasons: Reason[] } | { next: Contract; outcome: OutboundEvent };

/**
 * An order on an existing contract (services change, cancellation): load it, decide in
 * the domain, write the next state conditioned on the version read. A concurrent change
 * makes the write stale, and the order is decided again on the fresh contract, so no
 * change is lost and none is applied to a state it was not decided on.
 */
export function runContractOrder<T extends { contractId: string }>(
  deps: LifecycleDeps,
  inbound: ReadableInbound<T>,
  order: InboundOrder,
  refuse: (contractId: string | null, reasons: Reason[]) => OutboundEvent,
  decide: (contract: Contract, request: T) => ContractDecision,
): Promise<OrderResult> {
  const contractId = inbound.kind === 'valid' ? inbound.request.contractId : inbound.contractId;
  return runOrder(deps, order, (reasons) => refuse(contractId, reasons), async (orderItem) => {
    const reject = async (reasons: Reason[]) => {
      const outcome = refuse(contractId, reasons);
      return { outcome, result: await deps.store.recordOrder(orderItem(outcome)) };
    };
    if (inbound.kind === 'invalid') return reject([inbound.reason]);
    const contract = await deps.store.getContract(inbound.request.contractId);
    if (!contract) return reject([contractNotFound(inbound.request.contractId)]);
    let decision: ContractDecision;
    try {
      decision = decide(contract, inbound.request);
    } catch (error) {
      // e.g. a request dated before the first tariff revision: a refusal, not a retry.
      return reject(refusalOf(error));
    }
    if ('reasons' in decision) return reject(decision.reasons);
    return { outcome: decision.outcome, result: await deps.store.updateContract(orderItem(decision.outcome), decision.next, contract.version) };
  });
}
