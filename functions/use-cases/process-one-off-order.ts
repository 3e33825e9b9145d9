import { oneOffFeeFor } from '../domain/charges/one-off-order';
import type { Contract } from '../domain/contract';
import { withOneOffFee } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';
import type { ReadableInbound } from '../schemas/inbound';
import { checkOneOffOrder } from '../domain/rules/contract-rules';
import type { OneOffOrderRequest } from '../schemas/orders/one-off-order';
import { contractIdOf, decideOn, loadContract, saveDecision, type ContractDecision } from './contract-order';
import type { OrderDeps } from './deps';
import { settleOrder, type InboundOrder, type OrderResult } from './order-idempotency';
import { asFieldError } from './refusals';

/**
 * OneOffServiceOrdered -> OneOffFeeCharged | OneOffServiceRejected. The fee is kept on the
 * contract (in the same transaction as the order), where its month's bill and the next
 * order's "first" (V1, V2) read it.
 */
export async function processOneOffOrder(deps: OrderDeps, inbound: ReadableInbound<OneOffOrderRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.oneOffServiceRejected(order.orderId, contractIdOf(inbound), reasons);
  const decision = decideOn(await loadContract(deps, inbound), checkOneOffOrder, (contract, request) => decideOneOffOrder(deps, order, contract, request));
  return settleOrder(deps, order, await saveDecision(deps, order, refuse, decision), refuse);
}

function decideOneOffOrder(deps: OrderDeps, order: InboundOrder, contract: Contract, request: OneOffOrderRequest): ContractDecision {
  const { orderId } = order;
  const fee = asFieldError('date', () => oneOffFeeFor(deps.catalog, contract, request));
  const next = withOneOffFee(
    contract,
    { orderId, date: fee.date, revision: fee.revision, lines: fee.lines, subtotal: fee.subtotal },
    request.requestedAt,
    deps.catalog,
  );
  return { next, outcome: outcomes.oneOffFeeCharged(orderId, contract.contractId, fee) };
}
