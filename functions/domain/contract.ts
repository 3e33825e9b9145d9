import type { LocalDate, YearMonth } from './calendar';
import type { ChargeLine } from './charges/charge-line';
import type { Invoicing } from './invoices/invoicing';

/** Shapes of docs/interface.md §1.1 and §2: names here are fixed by other systems. */
export type CustomerKind = 'corporation' | 'individual';
export type PlanCode = 'none' | 'prime' | 'prime-plus';
export type Tier = 10 | 50 | 100;
export type BillingMethod = 'invoice' | 'account-transfer' | 'credit-card';

export interface Customer {
  customerId: string;
  name: string;
  kind: CustomerKind;
  /** Contact telephone; for EDR contracts the number incident calls go to (Decision S1). */
  phone?: string;
}

/** Decision S2: a services or plan change may supply the contact telephone EDR needs (interface §1.1). */
export interface ContactChange {
  customer?: { phone?: string };
}

export interface Plan {
  code: PlanCode;
  tier?: Tier;
}

/** Every service is optional; a count of 0 means "not contracted" (interface §1.1). */
export interface Services {
  endpointSecurity?: { terminals: number };
  edrSecurity?: { terminals: number };
  gatewaySecurity?: { tier: Tier; failureSupport24h: boolean };
  cloudSandbox?: { terminals: number };
  cloudProxy?: { users: number };
  elgana?: { ids: number };
}

export interface Term {
  number: number;
  start: LocalDate;
  end: LocalDate;
  renewalMonth: YearMonth;
}

export interface TerminationFee {
  amount: number;
  basicFee: number;
  remainingMonths: number;
  revision: string;
  clause: string;
  /** Decision T3: 不課税 unless the operator's setting says otherwise. */
  taxable: boolean;
  amountIncludingTax: number;
  /** True where basic fee ① is an operator placeholder, not a price from the seed (Decision P1). */
  placeholder: boolean;
}

export interface Cancellation {
  orderId: string;
  requestedAt: string;
  effectiveDate: LocalDate;
  terminationFee: TerminationFee;
  /** Decision L3: the renewed term this (late) cancellation withdrew, for billing to void; null when none. Absent on contracts stored before L3. */
  withdrawnTerm?: Term | null;
}

export type HistoryType = 'ContractCreated' | 'ContractServicesChanged' | 'ContractCancelled' | 'ContractRenewed' | 'ContractPlanChanged' | 'OneOffFeeCharged';

export interface HistoryEntry {
  at: string;
  type: HistoryType;
  orderId: string | null;
  summary: string;
  /** The services in force from this entry on: the charges of a month read them (Decision C2). */
  services: Services;
  /** A plan change (docs/terms.md PC1, PC6): the plan in force from `effectiveDate` on, with `services`. */
  plan?: Plan;
  previousPlan?: Plan;
  effectiveDate?: LocalDate;
  /** PC4: the fee of leaving Prime Plus with this change; a line of the bill of its effective month. */
  terminationFee?: TerminationFee | null;
  /** Decision S2: the terms revision the customer accepted with this order (absent on renewals and older entries). */
  acceptedTermsRevision?: string;
}

/** A one-off fee charged to the contract (docs/terms.md §8): a line group of the bill of its date's month (T2). */
export interface ChargedOneOffFee {
  orderId: string;
  date: LocalDate;
  revision: string;
  lines: ChargeLine[];
  subtotal: number;
}

export interface Contract {
  contractId: string;
  orderId: string;
  lineId: string;
  customer: Customer;
  plan: Plan;
  services: Services;
  billing: { method: BillingMethod };
  appliedAt: string;
  startDate: LocalDate;
  term: Term | null;
  cancellation: Cancellation | null;
  /** Decisions S1, S2: the terms revision the customer accepted with the latest accepted order. */
  acceptedTermsRevision: string;
  /** The one-off fees charged so far, in order (docs/terms.md §8); absent on contracts stored before one-off orders. */
  oneOffFees?: ChargedOneOffFee[];
  /** Decisions I2, I4: the months invoiced, and the oldest one changed since; absent until the first billing run bills it. Not shown (contractView). */
  invoicing?: Invoicing;
  version: number;
  history: HistoryEntry[];
}

export type ContractStatus = 'live' | 'cancelled';

/** 'cancelled' once the effective date (the last live day) has passed in JST (interface §2). */
export function statusOn(contract: Contract, today: LocalDate): ContractStatus {
  return contract.cancellation && today > contract.cancellation.effectiveDate ? 'cancelled' : 'live';
}

/** The plan changes of the contract, in the order they were made (each effective no earlier than the one before). */
function planChanges(contract: Contract): Array<HistoryEntry & { plan: Plan; previousPlan: Plan; effectiveDate: LocalDate }> {
  return contract.history.filter(
    (e): e is HistoryEntry & { plan: Plan; previousPlan: Plan; effectiveDate: LocalDate } =>
      e.type === 'ContractPlanChanged' && e.plan !== undefined && e.previousPlan !== undefined && e.effectiveDate !== undefined,
  );
}

/**
 * The plan in force on `date` (docs/terms.md PC1): that of the last plan change effective
 * by then, else the plan the contract was created with.
 */
export function planOn(contract: Contract, date: LocalDate): Plan {
  const changes = planChanges(contract);
  if (changes.length === 0) return contract.plan;
  return changes.filter((e) => e.effectiveDate <= date).at(-1)?.plan ?? changes[0].previousPlan;
}

/** Every plan the contract has been on, from its start up to and including `date`. */
export function plansUntil(contract: Contract, date: LocalDate): Plan[] {
  const changes = planChanges(contract);
  if (changes.length === 0) return [contract.plan];
  return [changes[0].previousPlan, ...changes.filter((e) => e.effectiveDate <= date).map((e) => e.plan)];
}

/** The effective date of the latest plan change, if any: later changes may not take effect before it. */
export function lastPlanChangeDate(contract: Contract): LocalDate | null {
  return planChanges(contract).at(-1)?.effectiveDate ?? null;
}

/** The reckoning date of the current Prime Plus term series (※15(2)): the start date, or the day the contract moved into Prime Plus (PC3). */
export function primePlusSince(contract: Contract): LocalDate {
  const into = planChanges(contract)
    .filter((e) => e.plan.code === 'prime-plus' && e.previousPlan.code !== 'prime-plus')
    .at(-1);
  return into?.effectiveDate ?? contract.startDate;
}
