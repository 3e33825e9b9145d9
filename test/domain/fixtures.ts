import type { NewContractInput } from '../../functions/domain/contract-lifecycle';
import type { LocalDate } from '../../functions/domain/calendar';
import type { Cancellation, Contract, Customer, TerminationFee } from '../../functions/domain/contract';
import { initialTerm } from '../../functions/domain/term/prime-plus-term';

/**
 * Shared builders for domain tests: a valid value by default (docs/interface.md §1.1/§2
 * examples), every field overridable, so that a test states only what it is about.
 */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return { customerId: 'C-001', name: '株式会社サンプル', kind: 'corporation', phone: '06-0000-0000', ...overrides };
}

/** A new Prime Plus application as the order system sends it (interface §1.1). */
export function anApplication(overrides: Partial<NewContractInput> = {}): NewContractInput {
  return {
    contractId: 'K-0001',
    orderId: 'ORD-2024-000123',
    appliedAt: '2024-05-01T10:00:00+09:00',
    customer: aCustomer(),
    lineId: 'L-0001',
    startDate: '2024-05-10',
    plan: { code: 'prime-plus', tier: 10 },
    services: { edrSecurity: { terminals: 8 }, cloudProxy: { users: 2 }, elgana: { ids: 5 } },
    billing: { method: 'account-transfer' },
    ...overrides,
  };
}

/**
 * A stored contract (interface §2). Its term follows its plan and start date unless
 * given, so that overriding `startDate` or `plan` alone still yields a consistent contract.
 */
export function aContract(overrides: Partial<Contract> = {}): Contract {
  const plan = overrides.plan ?? { code: 'prime-plus', tier: 10 };
  const startDate = overrides.startDate ?? '2024-05-10';
  const services = overrides.services ?? { edrSecurity: { terminals: 8 } };
  // A contract cannot start before its application (notBeforeApplication): a start date alone moves both.
  const appliedAt = overrides.appliedAt ?? (overrides.startDate ? `${overrides.startDate}T09:00:00+09:00` : '2024-05-01T10:00:00+09:00');
  const orderId = overrides.orderId ?? 'ORD-2024-000123';
  return {
    contractId: 'K-0001',
    orderId,
    lineId: 'L-0001',
    customer: aCustomer(),
    plan,
    services,
    billing: { method: 'account-transfer' },
    appliedAt,
    startDate,
    term: plan.code === 'prime-plus' ? initialTerm(startDate) : null,
    cancellation: null,
    acceptedTermsRevision: '2024-04-01',
    version: 1,
    history: [{ at: appliedAt, type: 'ContractCreated', orderId, summary: '新規契約', services }],
    ...overrides,
  };
}

/** A termination fee of 0 (a plan without a minimum term, or the renewal month), revision 2024-04-01. */
export function noFee(overrides: Partial<TerminationFee> = {}): TerminationFee {
  return {
    amount: 0,
    basicFee: 0,
    remainingMonths: 0,
    revision: '2024-04-01',
    clause: '別紙7 ※11',
    taxable: false,
    amountIncludingTax: 0,
    placeholder: false,
    ...overrides,
  };
}

/** A cancellation taking effect on `effectiveDate`, requested that morning (JST), with no fee unless given. */
export function aCancellation(effectiveDate: LocalDate, overrides: Partial<Cancellation> = {}): Cancellation {
  return { orderId: 'ORD-CANCEL', requestedAt: `${effectiveDate}T09:00:00+09:00`, effectiveDate, terminationFee: noFee(), ...overrides };
}
