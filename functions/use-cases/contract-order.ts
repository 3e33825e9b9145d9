import type { Contract } from '../domain/contract';
import { withLateChanges } from '../domain/invoices/late-change';
import type { OutboundEvent } from '../domain/outbound-events';
import { contractNotFound, type Reason } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import type { OrderDeps } from './deps';
import { orderItem, saveRefusal, type InboundOrder, type Saved } from './order-idempotency';
import { refusalOf } from './refusals';

/**
 * The steps an order on an existing contract (services change, cancellation, plan change,
 * one-off order) takes between its own decision: load the contract, save the decision.
 * Each use case calls them in order, top to bottom in its own file.
 */

/** What the domain decided on the contract: refused with every reason, or its next state and outcome. */
export type ContractDecision = { reasons: Reason[] } | { next: Contract; outcome: OutboundEvent };
/** A decision with the contract it was made on, which saving compares with (I4). */
type DecisionOn = { reasons: Reason[] } | { next: Contract; outcome: OutboundEvent; previous: Contract };

export type LoadedContract<T> = { reasons: Reason[] } | { contract: Contract; request: T };

/** The contract an order names, read strongly consistent; a refusal when the order is invalid or the contract unknown. */
export async function loadContract<T extends { contractId: string }>(deps: OrderDeps, inbound: ReadableInbound<T>): Promise<LoadedContract<T>> {
  if (inbound.kind === 'invalid') return { reasons: [inbound.reason] };
  const contract = await deps.store.getContract(inbound.request.contractId);
  return contract ? { contract, request: inbound.request } : { reasons: [contractNotFound(inbound.request.contractId)] };
}

/**
 * The decision on what was loaded: a refusal stays one; the rules' `check` refuses with
 * every reason; else `decide` gives the next state, and a calculation that refused its
 * input by throwing (e.g. a date before the first tariff revision) is a refusal, not a retry.
 */
export function decideOn<T>(
  loaded: LoadedContract<T>,
  check: (contract: Contract, request: T) => Reason[],
  decide: (contract: Contract, request: T) => ContractDecision,
): DecisionOn {
  if ('reasons' in loaded) return loaded;
  const reasons = check(loaded.contract, loaded.request);
  if (reasons.length > 0) return { reasons };
  try {
    const decision = decide(loaded.contract, loaded.request);
    return 'reasons' in decision ? decision : { ...decision, previous: loaded.contract };
  } catch (error) {
    return { reasons: refusalOf(error) };
  }
}

/**
 * The order with the contract's next state in one transaction, conditioned on the version
 * the decision read (a state change bumps it by one); or the refusal alone. A change to a
 * month already invoiced marks the contract for the next billing run to adjust (I4).
 */
export async function saveDecision(deps: OrderDeps, order: InboundOrder, refuse: (reasons: Reason[]) => OutboundEvent, decision: DecisionOn): Promise<Saved> {
  if ('reasons' in decision) return saveRefusal(deps, order, refuse(decision.reasons));
  const { outcome, previous } = decision;
  const next = withLateChanges(deps.catalog, previous, decision.next);
  return { outcome, result: await deps.store.updateContract(orderItem(deps, order, outcome), next, previous.version) };
}

/** The contract id a refusal names: the request's, or what could be read of an invalid one. */
export function contractIdOf<T extends { contractId: string }>(inbound: ReadableInbound<T>): string | null {
  return inbound.kind === 'valid' ? inbound.request.contractId : inbound.contractId;
}
