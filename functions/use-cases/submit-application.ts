import { jstDateOf } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { createContract, occupiesLineOn } from '../domain/contract-lifecycle';
import type { Reason } from '../domain/reasons';
import { checkApplication } from '../domain/rules/contract-rules';
import type { ApplicationRequest, ReadableInbound } from '../schemas/inbound';
import type { LineRecord } from '../store/contract-store';
import type { LifecycleDeps } from './deps';
import { refusalOf, runOrder, type InboundOrder, type OrderResult } from './orders';
import { outcomes } from './outcomes';

/**
 * ContractApplicationSubmitted -> ContractCreated | ContractApplicationRejected.
 * The happy path reads nothing: it assumes the line has never had a contract and lets
 * the transaction's condition on the line item check that. Only when the line is known,
 * or the application is refused anyway (every reason at once, R7 included), is the line
 * read and R7 judged on its contracts.
 */
export function submitApplication(deps: LifecycleDeps, inbound: ReadableInbound<ApplicationRequest>, order: InboundOrder): Promise<OrderResult> {
  const refuse = (reasons: Reason[]) => outcomes.applicationRejected(order.orderId, reasons);
  return runOrder(deps, order, refuse, async (orderItem, attempt) => {
    const reject = async (reasons: Reason[]) => {
      const outcome = refuse(reasons);
      return { outcome, result: await deps.store.recordOrder(orderItem(outcome)) };
    };
    if (inbound.kind === 'invalid') return reject([inbound.reason]);
    const application = inbound.request;

    let line: LineRecord | null = attempt === 1 ? null : await deps.store.getLine(application.lineId);
    let reasons = checkApplication(deps.catalog, application, { occupied: await occupied(deps, line, application.startDate) });
    if (reasons.length > 0 && attempt === 1) {
      line = await deps.store.getLine(application.lineId);
      reasons = checkApplication(deps.catalog, application, { occupied: await occupied(deps, line, application.startDate) });
    }
    if (reasons.length > 0) return reject(reasons);

    let contract: Contract;
    try {
      contract = createContract({ ...application, contractId: deps.ids.next(), orderId: order.orderId }, deps.catalog);
    } catch (error) {
      return reject(refusalOf(error));
    }
    const outcome = outcomes.contractCreated(order.orderId, contract, jstDateOf(deps.clock.now()));
    return { outcome, result: await deps.store.createContract(orderItem(outcome), contract, line) };
  });
}

/** R7: the line is taken if any of its contracts still holds it on the new start date. */
async function occupied(deps: LifecycleDeps, line: LineRecord | null, startDate: string): Promise<boolean> {
  if (!line) return false;
  const contracts = await deps.store.getContracts(line.contractIds);
  return contracts.some((contract) => occupiesLineOn(contract, startDate));
}
