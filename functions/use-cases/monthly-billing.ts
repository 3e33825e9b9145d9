import { addMonths, jstDateOf, monthOf, toJstIso, type YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import type { Invoice } from '../domain/invoices/invoice';
import { planInvoices } from '../domain/invoices/invoice-plan';
import type { BillingRunRecord } from '../store/records';
import { isStoreUnavailable } from '../store/unavailable';
import { StoredItemError } from '../schemas/stored-items';
import { mapLimit } from './concurrency';
import { describeError, notBilledReason, type BillingDeps } from './deps';

/**
 * The monthly billing run (docs/terms.md §10, interface §7): the run for month M closes M.
 * Per shard of the billing index (GSI5), page by page: the contracts with a month to close
 * by M, read consistently, each planned by the domain (planInvoices) and written in one
 * transaction with its invoices, conditioned on the version read. A billed contract leaves
 * the due range, so a rerun, a retry or a second run at the same time bills nothing twice
 * and needs no cursor (I3); the invoices are the outbox of InvoiceIssued. A contract that
 * cannot be billed is recorded with its reason and dead-lettered, and stays due for the
 * next run; the others go on. Once a shard is through, its files are written from what
 * the run issued in it (I7), with its sums; the last shard to finish writes the manifest.
 */
export interface BillingTuning {
  /** No new page is started with less than this left. */
  budgetMarginMs: number;
  pageSize: number;
  writeConcurrency: number;
  shardConcurrency: number;
}

// Three minutes: the page in flight, then the shard's files (62,500 invoices at 1,000,000 contracts: docs/design.md §7).
export const DEFAULT_BILLING_TUNING: BillingTuning = { budgetMarginMs: 180_000, pageSize: 100, writeConcurrency: 8, shardConcurrency: 4 };

export interface ShardRun {
  month: YearMonth;
  shard: number;
  /** Where an invocation that ran short of time stopped: a continuation goes on from there, so a contract that failed is not tried again in the same run. */
  cursor?: string | null;
  /** Milliseconds left before the invocation is stopped. */
  remainingMs: () => number;
}

export interface ShardOutcome {
  month: YearMonth;
  shard: number;
  /** False when the time budget ran out first: the shard is run again from `cursor` to continue. */
  complete: boolean;
  cursor: string | null;
  /** What this invocation did. */
  contractsBilled: number;
  invoicesIssued: number;
  yenInvoiced: number;
  failed: Array<{ contractId: string; reason: string }>;
}

/** I2: the run scheduled at `scheduledTime` closes the month before its JST month. */
export function closingMonthOf(scheduledTime: string): YearMonth {
  return addMonths(monthOf(jstDateOf(scheduledTime)), -1);
}

/** Records the run's start (kept from the first start); the shards it has to go through. */
export async function startBillingRun(deps: Pick<BillingDeps, 'store' | 'clock'>, month: YearMonth): Promise<number[]> {
  await deps.store.startRun(month, deps.store.shards, toJstIso(deps.clock.now()));
  return Array.from({ length: deps.store.shards }, (_, shard) => shard);
}

/** The whole run in one process (the local stack): every shard, then the run as the lookup shows it. */
export async function runBilling(deps: BillingDeps, month: YearMonth, remainingMs: () => number, tuning = DEFAULT_BILLING_TUNING): Promise<ShardOutcome[]> {
  const shards = await startBillingRun(deps, month);
  return mapLimit(shards, tuning.shardConcurrency, (shard) => billShard(deps, { month, shard, remainingMs }, tuning));
}

export async function billShard(deps: BillingDeps, run: ShardRun, tuning = DEFAULT_BILLING_TUNING): Promise<ShardOutcome> {
  const { store } = deps;
  const { month, shard } = run;
  const outcome: ShardOutcome = { month, shard, complete: true, cursor: null, contractsBilled: 0, invoicesIssued: 0, yenInvoiced: 0, failed: [] };
  await store.startShard(month, shard, toJstIso(deps.clock.now()));
  const failedBefore = new Set((await store.readRun(month)).failed.map((failure) => failure.contractId));
  let cursor: string | null = run.cursor ?? null;
  let pages = 0;
  do {
    if (run.remainingMs() < tuning.budgetMarginMs) return { ...outcome, complete: false, cursor };
    const page = await store.dueForBilling(shard, month, cursor, tuning.pageSize);
    const contracts = await readPage(deps, page.contractIds);
    await mapLimit(contracts, tuning.writeConcurrency, (contract) => billContract(deps, run, contract, outcome, failedBefore));
    cursor = page.cursor;
    pages += 1;
    deps.logger.info('billing run progress', {
      month,
      shard,
      pages,
      contractsBilled: outcome.contractsBilled,
      invoicesIssued: outcome.invoicesIssued,
      failed: outcome.failed.length,
    });
  } while (cursor);
  await completeShard(deps, month, shard);
  return outcome;
}

/**
 * The page's contracts in one read; when one of them does not read as a contract, their ids,
 * each read on its own by billContract, so that only that one is listed and dead-lettered
 * (one bad item would otherwise fail the page, and the shard, on every delivery).
 */
async function readPage(deps: BillingDeps, contractIds: string[]): Promise<Array<Contract | string>> {
  try {
    return await deps.store.getContracts(contractIds);
  } catch (error) {
    if (error instanceof StoredItemError) return contractIds;
    throw error;
  }
}

/** Bounded: a contract that keeps changing under the run is listed as failed and billed by the next run. */
const ATTEMPTS = 5;

async function billContract(deps: BillingDeps, run: ShardRun, first: Contract | string, outcome: ShardOutcome, failedBefore: Set<string>): Promise<void> {
  const { store } = deps;
  const contractId = typeof first === 'string' ? first : first.contractId;
  try {
    let contract: Contract | null = typeof first === 'string' ? await store.getContract(first) : first;
    for (let attempt = 1; contract !== null;) {
      const adjustFrom = contract.invoicing?.adjustFrom ?? null;
      const plan = planInvoices({
        catalog: deps.catalog,
        contract,
        closing: run.month,
        issueDate: jstDateOf(deps.clock.now()),
        issuer: deps.issuer,
        issued: adjustFrom ? await store.invoicesFrom(contractId, adjustFrom) : [],
      });
      if (plan === null) return;
      const next: Contract = { ...contract, invoicing: plan.invoicing, version: contract.version + 1 };
      if ((await store.saveInvoices(run.month, run.shard, next, contract.version, plan.invoices, toJstIso(deps.clock.now()))) === 'written') {
        settle(outcome, plan.invoices);
        if (failedBefore.delete(contractId)) await store.clearFailure(run.month, contractId);
        // More months than one transaction holds: go on from where this one stopped.
        if (plan.invoicing.invoicedThrough >= run.month) return;
        contract = next;
        continue;
      }
      if (++attempt > ATTEMPTS) throw new Error(`the contract kept changing during ${ATTEMPTS} attempts`);
      contract = await store.getContract(contractId);
    }
  } catch (error) {
    // DynamoDB down or too slow fails the run, not the contract: the shard is delivered again
    // and goes on with what is still due, instead of listing and dead-lettering every contract it meets.
    if (isStoreUnavailable(error)) throw error;
    const failure = { contractId, reason: notBilledReason(error) };
    outcome.failed.push(failure);
    deps.logger.error('contract not billed', { month: run.month, ...failure, error: describeError(error) });
    await store.recordFailure(run.month, { ...failure, at: toJstIso(deps.clock.now()) });
    await deps.deadLetters.deadLetter(`billing run ${run.month}: contract ${contractId} not billed: ${describeError(error)}`, {
      month: run.month,
      shard: run.shard,
      contractId,
    });
  }
}

function settle(outcome: ShardOutcome, invoices: Invoice[]): void {
  outcome.contractsBilled += 1;
  outcome.invoicesIssued += invoices.length;
  outcome.yenInvoiced += invoices.reduce((sum, invoice) => sum + invoice.tax.total, 0);
}

/**
 * I7: the shard's files, streamed from what the run issued in it (a rerun writes them again,
 * with what every run for the month issued), and its sums; then the manifest, once every
 * shard of the run is complete.
 */
async function completeShard(deps: BillingDeps, month: YearMonth, shard: number): Promise<void> {
  const sums = { invoices: 0, adjustments: 0, subtotal: 0, consumptionTax: 0, total: 0 };
  async function* counted(): AsyncGenerator<Invoice> {
    for await (const page of deps.store.issuedInShard(month, shard, 100)) {
      for (const invoice of page) {
        sums.invoices += 1;
        if (invoice.lines.some((line) => line.kind === 'adjustment')) sums.adjustments += 1;
        sums.subtotal += invoice.subtotal;
        sums.consumptionTax += invoice.tax.consumptionTax;
        sums.total += invoice.tax.total;
        yield invoice;
      }
    }
  }
  const parts = await deps.files.writeShardParts(month, shard, counted());
  await deps.store.completeShard(month, { shard, completedAt: toJstIso(deps.clock.now()), ...sums, parts });
  const record = await deps.store.readRun(month);
  if (!isClosed(record)) return;
  await deps.files.writeManifest({
    month,
    parts: record.shards.flatMap((s) => s.parts),
    invoices: record.shards.reduce((sum, s) => sum + s.invoices, 0),
    generatedAt: toJstIso(deps.clock.now()),
  });
}

export type BillingRunStatus = 'not-run' | 'running' | 'completed' | 'completed-with-failures';

/** Interface §7.3: completed once every shard of the run has completed; with failures while any contract is listed failed. */
export function runStatus(record: BillingRunRecord): BillingRunStatus {
  if (record.run === null && record.shards.length === 0) return 'not-run';
  const done = new Set(record.shards.filter((s) => s.completedAt !== null).map((s) => s.shard));
  const expected = record.run?.shards ?? record.shards.length;
  if (record.run === null || Array.from({ length: expected }, (_, shard) => shard).some((shard) => !done.has(shard))) return 'running';
  return record.failed.length > 0 ? 'completed-with-failures' : 'completed';
}

/** Every shard of the month's run has completed: its files are all written (the export, the manifest). */
export function isClosed(record: BillingRunRecord): boolean {
  const status = runStatus(record);
  return status === 'completed' || status === 'completed-with-failures';
}

/** Interface §7.3: the run as GET /billing-runs/{month} and the local schedule answer it; sums over the shards completed so far. */
export function billingRunSummary(record: BillingRunRecord) {
  const sum = (pick: (s: BillingRunRecord['shards'][number]) => number) => record.shards.reduce((total, s) => total + pick(s), 0);
  const status = runStatus(record);
  const completed = record.shards.map((s) => s.completedAt).filter((at): at is string => at !== null);
  return {
    month: record.month,
    status,
    invoices: sum((s) => s.invoices),
    adjustments: sum((s) => s.adjustments),
    subtotal: sum((s) => s.subtotal),
    consumptionTax: sum((s) => s.consumptionTax),
    total: sum((s) => s.total),
    failed: record.failed.map(({ contractId, reason }) => ({ contractId, reason })),
    startedAt: record.run?.startedAt ?? record.shards.map((s) => s.startedAt).sort()[0] ?? null,
    completedAt: isClosed(record) ? (completed.sort().at(-1) ?? null) : null,
  };
}
