import type { YearMonth } from '../domain/calendar';
import type { Contract, Term } from '../domain/contract';
import type { Invoice } from '../domain/invoices/invoice';
import type { OutboundEvent } from '../domain/outbound-events';

/**
 * What the stores keep and hand back, beside the contract itself: orders, lines, the facts
 * to publish, pages. The ports (order-store.ts, lookup-store.ts, renewal-store.ts,
 * outbox-store.ts) speak in these; their DynamoDB implementation is under dynamodb/.
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

/** Where a fact to publish is kept: an order item, or a FACT item (the one outbox; docs/design.md §1). */
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
  /**
   * The term renewed into, or the term whose renewal month has begun. Its start is part of
   * the fact's key: a contract that leaves Prime Plus and comes back counts its terms from 1 again (PC3).
   */
  term: Pick<Term, 'number' | 'start'>;
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

/** A page of the name search: each customer once, with its contracts whose name matched; never a customer cut across two pages. */
export interface CustomerPage {
  customers: Array<{ customerId: string; contracts: Contract[] }>;
  /** Opaque; null when there are no more. */
  cursor: string | null;
}

/** One shard's part of a billing run (interface §7.3): its progress, then what it issued and the files written from it. */
export interface BillingShardRecord {
  shard: number;
  startedAt: string;
  /** Null until the shard's contracts are all billed (or failed) and its files written. */
  completedAt: string | null;
  invoices: number;
  adjustments: number;
  subtotal: number;
  consumptionTax: number;
  total: number;
  parts: Array<{ format: 'csv' | 'jsonl'; part: string; rows: number; sha256: string; bytes: number }>;
}

/** A billing run as the table keeps it: when it was started and for how many shards, each shard, the contracts that failed. */
export interface BillingRunRecord {
  month: YearMonth;
  /** Null when no run for the month was started. */
  run: { startedAt: string; shards: number } | null;
  shards: BillingShardRecord[];
  failed: Array<{ contractId: string; reason: string; at: string }>;
}

export interface InvoicePage {
  invoices: Invoice[];
  /** Opaque; null when there are no more. */
  cursor: string | null;
}
