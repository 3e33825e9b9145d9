import type { LocalDate } from './calendar';
import { addMonths, firstDayOf } from './calendar';
import type { OneOffFee } from './charges/one-off-fees';
import type { Contract, Plan, TerminationFee, Term } from './contract';
import { contractView } from './contract-lifecycle';
import type { Invoice } from './invoices/invoice';
import type { Reason } from './reasons';

/** An event this system publishes (source `omakase.contracts`), as stored until it is published. */
export interface OutboundEvent {
  detailType: string;
  detail: Record<string, unknown> & { eventKey: string };
}

/**
 * docs/terms.md K1: the key consumers dedupe on, the same on every delivery of one fact.
 * An order's outcome is keyed by its orderId; a renewal by the contract and the new term;
 * a renewal-month notice by the contract and the term whose renewal month began.
 */
export const eventKeys = {
  order: (orderId: string): string => orderId,
  renewal: (contractId: string, newTerm: number): string => `${contractId}#term-${newTerm}`,
  notice: (contractId: string, term: number): string => `${contractId}#notice-${term}`,
  invoice: (invoiceId: string): string => invoiceId,
};

const orderOutcome = (detailType: string, orderId: string, detail: Record<string, unknown>): OutboundEvent => ({
  detailType,
  detail: { eventKey: eventKeys.order(orderId), orderId, ...detail },
});

/** The outbound events of interface §1.2, with the contract as §2 shows it on `today` (JST). */
export const outcomes = {
  contractCreated: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent =>
    orderOutcome('ContractCreated', orderId, { contract: contractView(contract, today) }),
  applicationRejected: (orderId: string, reasons: Reason[]): OutboundEvent => orderOutcome('ContractApplicationRejected', orderId, { reasons }),
  servicesChanged: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent =>
    orderOutcome('ContractServicesChanged', orderId, { contract: contractView(contract, today) }),
  servicesChangeRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent =>
    orderOutcome('ServicesChangeRejected', orderId, { contractId, reasons }),
  contractCancelled: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent =>
    orderOutcome('ContractCancelled', orderId, {
      contract: contractView(contract, today),
      terminationFee: contract.cancellation?.terminationFee ?? null,
      withdrawnTerm: contract.cancellation?.withdrawnTerm ?? null,
    }),
  cancellationRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent =>
    orderOutcome('CancellationRejected', orderId, { contractId, reasons }),
  /** PC4: `terminationFee` is null unless the change leaves Prime Plus. */
  planChanged: (
    orderId: string,
    change: { contract: Contract; previousPlan: Plan; effectiveDate: LocalDate; terminationFee: TerminationFee | null },
    today: LocalDate,
  ) =>
    orderOutcome('ContractPlanChanged', orderId, {
      contract: contractView(change.contract, today),
      previousPlan: change.previousPlan,
      effectiveDate: change.effectiveDate,
      terminationFee: change.terminationFee,
    }),
  planChangeRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent =>
    orderOutcome('PlanChangeRejected', orderId, { contractId, reasons }),
  /** docs/terms.md §8: the fee tax-exclusive; its tax is worked out on the month's bill (T2). */
  oneOffFeeCharged: (orderId: string, contractId: string, fee: OneOffFee): OutboundEvent =>
    orderOutcome('OneOffFeeCharged', orderId, {
      contractId,
      fee: { date: fee.date, revision: fee.revision, lines: fee.lines, subtotal: fee.subtotal },
    }),
  oneOffServiceRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent =>
    orderOutcome('OneOffServiceRejected', orderId, { contractId, reasons }),
  /** One per renewed term: the contract as it stood once that term began. */
  contractRenewed: (contract: Contract, term: Term, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractRenewed',
    detail: { eventKey: eventKeys.renewal(contract.contractId, term.number), contract: { ...contractView(contract, today), term } },
  }),
  /** N1: the contract's renewal month began; it renews on the 1st of the month after unless cancelled in it. */
  renewalMonthStarted: (contract: Contract, term: Term, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractRenewalMonthStarted',
    detail: {
      eventKey: eventKeys.notice(contract.contractId, term.number),
      contract: contractView(contract, today),
      renewalMonth: term.renewalMonth,
      renewsOn: firstDayOf(addMonths(term.renewalMonth, 1)),
    },
  }),
  /** Interface §7.2: once per invoice, keyed by its id (I3). */
  invoiceIssued: (invoice: Invoice): OutboundEvent => ({ detailType: 'InvoiceIssued', detail: { eventKey: eventKeys.invoice(invoice.invoiceId), invoice } }),
};

/** The inbound detail-type whose outcome this is (interface §1.2's table, read backwards by GET /orders/{orderId}). */
export const INBOUND_OF_OUTCOME: Readonly<Record<string, string>> = {
  ContractCreated: 'ContractApplicationSubmitted',
  ContractApplicationRejected: 'ContractApplicationSubmitted',
  ContractServicesChanged: 'ServicesChangeRequested',
  ServicesChangeRejected: 'ServicesChangeRequested',
  ContractCancelled: 'CancellationRequested',
  CancellationRejected: 'CancellationRequested',
  ContractPlanChanged: 'PlanChangeRequested',
  PlanChangeRejected: 'PlanChangeRequested',
  OneOffFeeCharged: 'OneOffServiceOrdered',
  OneOffServiceRejected: 'OneOffServiceOrdered',
};
