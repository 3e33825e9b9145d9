import { jstDateOf, monthOf, type LocalDate, type YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { statusOn } from '../domain/contract';
import { contractView, renewalDueMonth } from '../domain/contract-lifecycle';
import { namePrefixOf } from '../domain/customer-name';
import { INBOUND_OF_OUTCOME } from '../domain/outbound-events';
import { ORDER_SLOT } from '../store/records';
import { ContractNotFoundError, ContractNotLiveError, LineContractNotFoundError, OrderNotFoundError } from '../domain/errors';
import { terminationFee } from '../domain/fees/termination-fee';
import { monthlyCharges } from '../domain/charges/monthly-charges';
import { revisionInForceOn } from '../domain/tariff/versioned-tariff';
import type { LookupDeps } from './deps';
import { asFieldError } from './refusals';

/** Customer-service lookups (interface §3): reads only, the contract as §2 shows it today (JST). */

const today = (deps: LookupDeps): LocalDate => jstDateOf(deps.clock.now());

async function requireContract(deps: LookupDeps, contractId: string): Promise<Contract> {
  const contract = await deps.store.getContract(contractId);
  if (!contract) throw new ContractNotFoundError(contractId);
  return contract;
}

/** One read: the contract item holds its history. */
export async function getContract(deps: LookupDeps, contractId: string) {
  const contract = await requireContract(deps, contractId);
  return { ...contractView(contract, today(deps)), history: contract.history };
}

export async function contractsOfCustomer(deps: LookupDeps, customerId: string) {
  const contracts = await deps.store.contractsOfCustomer(customerId);
  return { contracts: contracts.map((contract) => contractView(contract, today(deps))) };
}

/**
 * The line's live contract: the one in service today, else the next one to start (a
 * planned handover); a line whose contracts are all cancelled has none. One index
 * query, by start date: eventually consistent, unlike the line item R7 reads.
 */
export async function lineContract(deps: LookupDeps, lineId: string) {
  const on = today(deps);
  const live = (await deps.store.contractsOnLine(lineId)).filter((contract) => statusOn(contract, on) === 'live');
  const current = live.filter((c) => c.startDate <= on).at(-1) ?? live.find((c) => c.startDate > on);
  if (!current) throw new LineContractNotFoundError(lineId);
  return contractView(current, on);
}

/**
 * Every contract the line has had (interface §7.3), newest first: by start date, then
 * contractId. One index query, eventually consistent; a line that never had a contract
 * has none (`[]`, not a 404: nothing about the line is wrong to ask).
 */
export async function contractsOnLine(deps: LookupDeps, lineId: string) {
  const on = today(deps);
  const contracts = await deps.store.contractsOnLine(lineId);
  return { contracts: contracts.sort(newestFirst).map((contract) => contractView(contract, on)) };
}

const newestFirst = (a: Contract, b: Contract) => compare(b.startDate, a.startDate) || compare(b.contractId, a.contractId);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** interface §3: what leaving would cost; a contract already leaving (or gone) has no such cancellation to quote (409). */
export async function terminationQuote(deps: LookupDeps, contractId: string, date: LocalDate | undefined) {
  const contract = await requireContract(deps, contractId);
  if (contract.cancellation) throw new ContractNotLiveError(contractId, contract.cancellation.effectiveDate);
  const effectiveDate = date ?? today(deps);
  const requestedOn = effectiveDate < today(deps) ? effectiveDate : today(deps);
  const fee = asFieldError('date', () => terminationFee(deps.catalog, contract, { requestedOn, effectiveDate }, { taxable: deps.terminationFeeTaxable }));
  return { contractId, effectiveDate, ...fee };
}

export async function charges(deps: LookupDeps, contractId: string, month: YearMonth | undefined) {
  const contract = await requireContract(deps, contractId);
  const billingMonth = month ?? monthOf(today(deps));
  return { contractId, ...asFieldError('month', () => monthlyCharges(deps.catalog, contract, billingMonth)) };
}

export function tariff(deps: LookupDeps, date: LocalDate | undefined) {
  return asFieldError('date', () => revisionInForceOn(deps.catalog, date ?? today(deps)));
}

/** What became of an order (interface §3): the order as received, its outcome, and whether that is published. */
export async function order(deps: LookupDeps, orderId: string) {
  const record = await deps.store.getOrder({ orderId, slot: ORDER_SLOT });
  if (!record) throw new OrderNotFoundError(orderId);
  return {
    orderId,
    detailType: INBOUND_OF_OUTCOME[record.outcome.detailType] ?? null,
    receivedAt: record.at,
    outcome: record.outcome,
    published: record.published,
  };
}

export const RENEWALS_PAGE = { default: 50, max: 200 } as const;

/**
 * The live Prime Plus contracts whose renewal month is `month` (docs/terms.md N1), one index
 * Query per page: `willRenew` is false when a cancellation takes effect by the term's end.
 * The index is eventually consistent: a contract renewed a moment ago may still be listed
 * under its old month, and is left out here.
 */
export async function renewals(deps: LookupDeps, query: { month?: YearMonth; limit?: number; nextToken?: string }) {
  const month = query.month ?? monthOf(today(deps));
  const page = await deps.store.contractsInRenewalMonth(month, query.nextToken ?? null, query.limit ?? RENEWALS_PAGE.default);
  const on = today(deps);
  const contracts = page.contracts
    .filter((contract) => contract.term?.renewalMonth === month)
    .map((contract) => ({ ...contractView(contract, on), willRenew: renewalDueMonth(contract) === month }));
  return { month, contracts, nextToken: page.cursor };
}

export const CUSTOMERS_PAGE = { default: 20, max: 100 } as const;

/**
 * The console's name search (interface §7.3): the customers whose name starts with the
 * prefix, both normalised (functions/domain/customer-name.ts), each once with its matching
 * contracts by start date and the name its latest one gives. A prefix of fewer than 2
 * characters once normalised is refused (400, `namePrefix`). One index Query a page
 * (more only for customers with several contracts); eventually consistent.
 */
export async function customersByName(deps: LookupDeps, query: { namePrefix: string; limit?: number; nextToken?: string }) {
  const prefix = namePrefixOf(query.namePrefix);
  const page = await deps.store.customersByNamePrefix(prefix, query.nextToken ?? null, query.limit ?? CUSTOMERS_PAGE.default);
  const on = today(deps);
  const customers = page.customers.map(({ customerId, contracts }) => {
    const byStart = contracts.sort((a, b) => -newestFirst(a, b));
    return { customerId, name: byStart.at(-1)?.customer.name ?? '', contracts: byStart.map((contract) => contractView(contract, on)) };
  });
  return { customers, nextToken: page.cursor };
}
