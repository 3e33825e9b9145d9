import type { YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import type { OutboundEvent } from '../domain/outbound-events';

/**
 * Persistence of contracts, orders and the facts to publish: the only way the use cases
 * reach the database (implemented once, for DynamoDB). Writes are conditional; a write
 * that loses a race says so in its result, and the use case decides again.
 */

/**
 * Where an order's outcome is kept: `ORDER` for the order itself, `REUSED#<fingerprint>`
 * for the refusal of a different request that reused its orderId (so a redelivery of
 * that request is not refused twice either).
 */
export interface OrderKey {
  orderId: string;
  slot: string;
}

export const ORDER_SLOT = 'ORDER';
export const reusedSlot = (fingerprint: string): string => `REUSED#${fingerprint}`;

export interface OrderRecord extends OrderKey {
  /** Hash of the request (detail-type and detail) that used the orderId first. */
  fingerprint: string;
  outcome: OutboundEvent;
  published: boolean;
  /** Epoch ms until which one invocation holds the right to publish; 0 when nobody does. */
  leaseUntil: number;
  at: string;
}

export type NewOrder = Omit<OrderRecord, 'published'>;

/** The contracts a line has had, in order, and a counter that serializes new applications on it (R7). */
export interface LineRecord {
  lineId: string;
  contractIds: string[];
  version: number;
}

export type WriteResult =
  | { status: 'written' }
  /** The orderId is taken: the earlier order decides what happens. */
  | { status: 'order-exists' }
  /** The contract's version or the line's contracts changed since they were read: read and decide again. */
  | { status: 'stale' };

/** Where a fact to publish is kept: an order item, or a FACT item (the one outbox; docs/design.md §3). */
export interface OutboxKey {
  PK: string;
  SK: string;
}

/**
 * A fact about a contract that no order reports (ContractRenewed, ContractRenewalMonthStarted):
 * written with the change it reports, published from the table's stream like an order's outcome.
 */
export interface ContractFact {
  contractId: string;
  kind: 'renewed' | 'renewal-month';
  /** The term renewed into, or the term whose renewal month has begun. */
  term: number;
  outcome: OutboundEvent;
  at: string;
}

export interface DuePage {
  contractIds: string[];
  /** Opaque; null when the shard has no more due contracts. */
  cursor: string | null;
}

export interface ContractPage {
  contracts: Contract[];
  /** Opaque; null when there are no more. */
  cursor: string | null;
}

export interface ContractStore {
  readonly renewalShards: number;

  /** One strongly consistent read: the contract with its history. */
  getContract(contractId: string): Promise<Contract | null>;
  /** Strongly consistent; missing ids are left out, order follows `contractIds`. */
  getContracts(contractIds: string[]): Promise<Contract[]>;
  /**
   * The customer's contracts by start date, from one index query: eventually consistent,
   * so a contract written a moment ago may be missing, or show its previous state.
   */
  contractsOfCustomer(customerId: string): Promise<Contract[]>;
  /** Every contract the line has had, by start date: one index query, eventually consistent like contractsOfCustomer. */
  contractsOnLine(lineId: string): Promise<Contract[]>;
  /** Strongly consistent: what R7 decides on. */
  getLine(lineId: string): Promise<LineRecord | null>;
  /** `withinMs`: the most the read may take, all attempts included (a failed invocation's remaining time). */
  getOrder(key: OrderKey, options?: { withinMs?: number }): Promise<OrderRecord | null>;

  /**
   * The order, the contract and the line in one transaction. `line` is the line as read
   * (null: assumed never used); the write fails as `stale` if it changed since.
   */
  createContract(order: NewOrder, contract: Contract, line: LineRecord | null): Promise<WriteResult>;
  /** The order and the contract's next state in one transaction, conditioned on `expectedVersion`. */
  updateContract(order: NewOrder, contract: Contract, expectedVersion: number): Promise<WriteResult>;
  /** An order refused without a state change: only its outcome is kept. */
  recordOrder(order: NewOrder): Promise<WriteResult>;

  /**
   * Renews the publishing lease of an unpublished outcome if it is still `seenLeaseUntil`:
   * the write puts the order on the table's stream again, for the outcome publisher.
   */
  requeueOutcome(key: OrderKey, seenLeaseUntil: number, leaseUntil: number): Promise<boolean>;
  /** The outcome publisher's mark on an order or FACT item whose outcome EventBridge took. */
  markPublished(key: OutboxKey): Promise<void>;

  /** The Prime Plus contracts whose current term's renewal month is `month`, still live in it; one index Query per page, eventually consistent. */
  contractsInRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage>;
  /** A renewal-month notice (N1), once per contract and term: `exists` when an earlier run wrote it. */
  putFact(fact: ContractFact): Promise<'written' | 'exists'>;

  /** Contracts of a shard whose renewal month is before `month` (index reads: eventually consistent). */
  dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage>;
  /** One transaction: the renewed contract, if it is still at `expectedVersion`, with its ContractRenewed facts. */
  saveRenewal(contract: Contract, expectedVersion: number, facts: ContractFact[]): Promise<'written' | 'stale'>;
}
