import { jstDateOf, monthOf, type LocalDate, type YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { statusOn } from '../domain/contract';
import { contractView } from '../domain/contract-lifecycle';
import { ContractNotFoundError, LineContractNotFoundError } from '../domain/errors';
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

export async function terminationQuote(deps: LookupDeps, contractId: string, date: LocalDate | undefined) {
  const contract = await requireContract(deps, contractId);
  const effectiveDate = date ?? today(deps);
  const fee = asFieldError('date', () => terminationFee(deps.catalog, contract, effectiveDate, { taxable: deps.terminationFeeTaxable }));
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
