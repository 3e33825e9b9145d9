import { jstDateOf, type LocalDate } from '../domain/calendar';
import { createContract, occupiesLineOn } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';
import { checkApplication } from '../domain/rules/contract-rules';
import type { ReadableInbound } from '../schemas/inbound';
import type { ApplicationRequest } from '../schemas/orders/application';
import type { LineRecord } from '../store/records';
import type { OrderDeps } from './deps';
import { orderItem, saveRefusal, settleOrder, type InboundOrder, type OrderResult } from './order-idempotency';
import { asFieldError, refusalOf } from './refusals';

/**
 * ContractApplicationSubmitted -> ContractCreated | ContractApplicationRejected.
 * The happy path reads nothing: it assumes the line has never had a contract and lets
 * the transaction's condition on the line item check that. Only when the line is known
 * (a retry after a stale write), or the application is refused anyway (every reason at
 * once, R7 included), is the line read and R7 judged on its contracts.
 */
export async function processApplication(deps: OrderDeps, inbound: ReadableInbound<ApplicationRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.applicationRejected(order.orderId, reasons);
  const refused = async (reasons: Reason[]) => settleOrder(deps, order, await saveRefusal(deps, order, refuse(reasons)), refuse);
  if (inbound.kind === 'invalid') return refused([inbound.reason]);
  const application = inbound.request;
  const firstAttempt = (order.attempt ?? 1) === 1;

  // load (only what the decision needs; nothing on a first attempt that passes)
  let line = firstAttempt ? null : await deps.store.getLine(application.lineId);
  let reasons = checkApplication(deps.catalog, application, { occupied: await occupied(deps, line, application.startDate) });
  if (reasons.length > 0 && firstAttempt) {
    line = await deps.store.getLine(application.lineId);
    reasons = checkApplication(deps.catalog, application, { occupied: await occupied(deps, line, application.startDate) });
  }
  if (reasons.length > 0) return refused(reasons);

  // decide
  let contract;
  try {
    contract = asFieldError('appliedAt', () => createContract({ ...application, contractId: deps.ids.next(), orderId: order.orderId }, deps.catalog));
  } catch (error) {
    return refused(refusalOf(error));
  }

  // save, then settle
  const outcome = outcomes.contractCreated(order.orderId, contract, jstDateOf(deps.clock.now()));
  const result = await deps.store.createContract(orderItem(deps, order, outcome), contract, line);
  return settleOrder(deps, order, { outcome, result }, refuse);
}

/** R7: the line is taken if any of its contracts still holds it on the new start date. */
async function occupied(deps: OrderDeps, line: LineRecord | null, startDate: LocalDate): Promise<boolean> {
  if (!line) return false;
  const contracts = await deps.store.getContracts(line.contractIds);
  return contracts.some((contract) => occupiesLineOn(contract, startDate));
}
