import type { LocalDate } from './calendar';
import type { Contract, Term } from './contract';
import { contractView } from './contract-lifecycle';
import type { Reason } from './reasons';

/** An event this system publishes (source `omakase.contracts`), as stored until it is published. */
export interface OutboundEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** The outbound events of interface §1.2, with the contract as §2 shows it on `today` (JST). */
export const outcomes = {
  contractCreated: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractCreated',
    detail: { orderId, contract: contractView(contract, today) },
  }),
  applicationRejected: (orderId: string, reasons: Reason[]): OutboundEvent => ({
    detailType: 'ContractApplicationRejected',
    detail: { orderId, reasons },
  }),
  servicesChanged: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractServicesChanged',
    detail: { orderId, contract: contractView(contract, today) },
  }),
  servicesChangeRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent => ({
    detailType: 'ServicesChangeRejected',
    detail: { orderId, contractId, reasons },
  }),
  contractCancelled: (orderId: string, contract: Contract, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractCancelled',
    detail: {
      orderId,
      contract: contractView(contract, today),
      terminationFee: contract.cancellation?.terminationFee ?? null,
      withdrawnTerm: contract.cancellation?.withdrawnTerm ?? null,
    },
  }),
  cancellationRejected: (orderId: string, contractId: string | null, reasons: Reason[]): OutboundEvent => ({
    detailType: 'CancellationRejected',
    detail: { orderId, contractId, reasons },
  }),
  /** One per renewed term: the contract as it stood once that term began. */
  contractRenewed: (contract: Contract, term: Term, today: LocalDate): OutboundEvent => ({
    detailType: 'ContractRenewed',
    detail: { contract: { ...contractView(contract, today), term } },
  }),
};
