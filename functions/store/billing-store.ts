import type { YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import type { Invoice } from '../domain/invoices/invoice';
import { BillingRunItems } from './dynamodb/billing-run-items';
import { ContractItems } from './dynamodb/contract-items';
import { InvoiceItems } from './dynamodb/invoice-items';
import type { DynamoDbTable } from './dynamodb/table';
import type { BillingRunRecord, BillingShardRecord, DuePage } from './records';

/** What the billing run reads and writes (functions/use-cases/monthly-billing.ts). */
export interface BillingStore {
  /** Shards of the billing index: those of the renewal index, one hash for both. */
  readonly shards: number;
  /** Contracts of a shard with a month to close by `month` (GSI5, keys only; eventually consistent). */
  dueForBilling(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage>;
  getContract(contractId: string): Promise<Contract | null>;
  /** Strongly consistent; missing ids are left out, order follows `contractIds`. */
  getContracts(contractIds: string[]): Promise<Contract[]>;
  /** The contract's invoices of months from `from` on, oldest first (consistent): what I4 compares with. */
  invoicesFrom(contractId: string, from: YearMonth): Promise<Invoice[]>;
  /**
   * One transaction: the contract at its next invoicing (if still at `expectedVersion`), each
   * new invoice (the outbox of InvoiceIssued) and its entry in the run closing `month`.
   */
  saveInvoices(month: YearMonth, shard: number, contract: Contract, expectedVersion: number, invoices: Invoice[], at: string): Promise<'written' | 'stale'>;
  /** The invoices the run for `month` issued in a shard, a page at a time. */
  issuedInShard(month: YearMonth, shard: number, pageSize: number): AsyncGenerator<Invoice[]>;
  startRun(month: YearMonth, shards: number, at: string): Promise<void>;
  startShard(month: YearMonth, shard: number, at: string): Promise<void>;
  completeShard(month: YearMonth, record: Omit<BillingShardRecord, 'startedAt'>): Promise<void>;
  recordFailure(month: YearMonth, failure: { contractId: string; reason: string; at: string }): Promise<void>;
  clearFailure(month: YearMonth, contractId: string): Promise<void>;
  readRun(month: YearMonth): Promise<BillingRunRecord>;
}

export function dynamoDbBillingStore(table: DynamoDbTable): BillingStore {
  const contracts = new ContractItems(table);
  const invoices = new InvoiceItems(table);
  const runs = new BillingRunItems(table);
  return {
    shards: table.renewalShards,
    dueForBilling: (shard, month, cursor, limit) => contracts.dueForBilling(shard, month, cursor, limit),
    getContract: (contractId) => contracts.get(contractId),
    getContracts: (contractIds) => contracts.getMany(contractIds),
    invoicesFrom: (contractId, from) => invoices.from(contractId, from),
    /** docs/terms.md L4: a resend whose condition fails against this write's own result is written (ContractItems.putAtVersion). */
    saveInvoices: async (month, shard, contract, expectedVersion, issued, at) => {
      const { put, ours } = contracts.putAtVersion(contract, expectedVersion);
      const result = await table.transact(
        [put, ...issued.flatMap((invoice) => [invoices.put(invoice, month, at), runs.entry(month, shard, invoice)])],
        // An invoice of a month not yet invoiced cannot exist while the contract is at the version read, but for an id collision.
        ['stale', ...issued.flatMap(() => ['impossible' as const, 'impossible' as const])],
        ours,
      );
      return result.status === 'written' ? 'written' : 'stale';
    },
    async *issuedInShard(month, shard, pageSize) {
      for await (const keys of runs.entries(month, shard, pageSize)) yield await invoices.getMany(keys);
    },
    startRun: (month, shards, at) => runs.start(month, shards, at),
    startShard: (month, shard, at) => runs.startShard(month, shard, at),
    completeShard: (month, record) => runs.completeShard(month, record),
    recordFailure: (month, failure) => runs.fail(month, failure),
    clearFailure: (month, contractId) => runs.clearFailure(month, contractId),
    readRun: (month) => runs.read(month),
  };
}
