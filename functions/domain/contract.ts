import type { LocalDate, YearMonth } from './calendar';

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

export type HistoryType = 'ContractCreated' | 'ContractServicesChanged' | 'ContractCancelled' | 'ContractRenewed';

export interface HistoryEntry {
  at: string;
  type: HistoryType;
  orderId: string | null;
  summary: string;
  /** The services in force from this entry on: the charges of a month read them (Decision C2). */
  services: Services;
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
  /** Decision S1: the terms revision the customer accepted when applying. */
  acceptedTermsRevision: string;
  version: number;
  history: HistoryEntry[];
}

export type ContractStatus = 'live' | 'cancelled';

/** 'cancelled' once the effective date (the last live day) has passed in JST (interface §2). */
export function statusOn(contract: Contract, today: LocalDate): ContractStatus {
  return contract.cancellation && today > contract.cancellation.effectiveDate ? 'cancelled' : 'live';
}
