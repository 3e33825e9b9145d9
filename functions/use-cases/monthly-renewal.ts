import { jstDateOf, monthOf, toJstIso, type YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { renewalDueMonth, renewThrough } from '../domain/contract-lifecycle';
import { PublishError } from '../events/publisher';
import { outcomes, type OutboundEvent } from '../domain/outbound-events';
import type { RenewalOutbox, RenewalOutboxEntry } from '../store/contract-store';
import { mapLimit } from './concurrency';
import { describeError, type PublishingDeps } from './deps';

/**
 * The monthly renewal (interface §4): every Prime Plus contract whose renewal month is
 * before M is renewed through the domain's renewThrough, as many terms as needed.
 *
 * Per shard of the renewal index, page by page:
 *   1. query the due keys, read the contracts (one BatchGetItem, consistent);
 *   2. write an outbox item naming the renewals about to be written;
 *   3. one conditional write per renewed contract (on its version);
 *   4. publish ContractRenewed per renewed term, then delete the outbox item.
 * A run killed anywhere leaves either contracts still due (the next run renews them) or
 * an outbox item, which the next run publishes first for the renewals that landed. A
 * renewed contract leaves the due range, so a rerun neither renews it again nor needs a
 * cursor. Runs must not overlap (the schedule starts one a month); if they do, versions
 * still keep every contract renewed once, and only an event may be published twice.
 */
export interface RenewalRun {
  scheduledTime: string;
  /** Shards to take (a fan-out); default all. */
  shards?: number[];
  /** Milliseconds left before the invocation is stopped. */
  remainingMs: () => number;
}

export interface RenewalTuning {
  /** No new page is started with less than this left (a page takes well under a second). */
  budgetMarginMs: number;
  pageSize: number;
  shardConcurrency: number;
  writeConcurrency: number;
}

export const DEFAULT_RENEWAL_TUNING: RenewalTuning = { budgetMarginMs: 30_000, pageSize: 100, shardConcurrency: 4, writeConcurrency: 8 };

export interface RenewalSummary {
  month: YearMonth;
  scheduledTime: string;
  shards: number[];
  /** False when the time budget ran out first: rerun to continue. */
  complete: boolean;
  /** Contracts renewed by this run, and the terms they were renewed by. */
  renewed: number;
  termsRenewed: number;
  /** Renewals of a killed run whose events this run published from its outbox. */
  recovered: number;
  /** ContractRenewalMonthStarted published by this run (N1): contracts whose renewal month is the run's month. */
  notices: number;
  skipped: Array<{ contractId: string; reason: string }>;
  failed: Array<{ contractId: string; error: string }>;
}

export class RenewalIncompleteError extends Error {
  constructor(readonly summary: RenewalSummary) {
    super(`renewal for ${summary.month} ran out of time after ${summary.renewed} contracts; the retry continues where it stopped`);
    this.name = 'RenewalIncompleteError';
  }
}

interface Renewal {
  contract: Contract;
  fromVersion: number;
  renewed: RenewalOutboxEntry['renewed'];
}

export async function runMonthlyRenewal(deps: PublishingDeps, run: RenewalRun, tuning: RenewalTuning = DEFAULT_RENEWAL_TUNING): Promise<RenewalSummary> {
  const month = monthOf(jstDateOf(run.scheduledTime));
  const shards = run.shards ?? Array.from({ length: deps.store.renewalShards }, (_, shard) => shard);
  const summary: RenewalSummary = {
    month,
    scheduledTime: run.scheduledTime,
    shards,
    complete: true,
    renewed: 0,
    termsRenewed: 0,
    recovered: 0,
    notices: 0,
    skipped: [],
    failed: [],
  };
  const context: RunContext = { deps, tuning, month, summary };
  const outOfTime = () => run.remainingMs() < tuning.budgetMarginMs;

  await mapLimit(shards, tuning.shardConcurrency, async (shard) => {
    await recoverOutboxes(context, shard);
    let cursor: string | null = null;
    do {
      if (outOfTime()) {
        summary.complete = false;
        return;
      }
      const page = await deps.store.dueForRenewal(shard, month, cursor, tuning.pageSize);
      await renewPage(context, shard, page.contractIds);
      cursor = page.cursor;
    } while (cursor);
  });
  // N1 once the shards are through; a fan-out run leaves it to the invocation that has shard 0.
  if (summary.complete && shards.includes(0)) await sendRenewalNotices(context, outOfTime);
  return summary;
}

/**
 * N1: one ContractRenewalMonthStarted per contract and term whose renewal month is the
 * run's month and which will renew. Per page of the renewal-month index: read the
 * contracts again (consistently: the index may lag a cancellation), claim each notice's
 * marker, publish the new and the still unpublished ones, mark them. A rerun finds the
 * markers published and sends nothing; a run killed between claim and publish leaves them
 * unpublished, and the rerun sends them (consumers dedupe on eventKey, K1).
 */
async function sendRenewalNotices({ deps, tuning, month, summary }: RunContext, outOfTime: () => boolean): Promise<void> {
  const today = jstDateOf(deps.clock.now());
  let cursor: string | null = null;
  do {
    if (outOfTime()) {
      summary.complete = false;
      return;
    }
    const page = await deps.store.contractsInRenewalMonth(month, cursor, tuning.pageSize);
    const ids = page.contracts.map((c) => c.contractId);
    const renewing = (await deps.store.getContracts(ids)).filter((c) => c.term !== null && c.term.renewalMonth === month && renewalDueMonth(c) === month);
    const claimed = await mapLimit(renewing, tuning.writeConcurrency, async (contract) => {
      const term = contract.term as NonNullable<Contract['term']>;
      return (await deps.store.claimNotice(contract.contractId, term.number, month)) === 'published' ? null : { contract, term };
    });
    const toSend = claimed.filter((c): c is { contract: Contract; term: NonNullable<Contract['term']> } => c !== null);
    let sent = toSend;
    try {
      if (toSend.length > 0) await deps.publisher.publish(toSend.map(({ contract, term }) => outcomes.renewalMonthStarted(contract, term, today)));
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      const unsent = new Set(error.failed.map(({ event }) => contractIdOf(event)));
      for (const contractId of unsent)
        summary.failed.push({ contractId, error: `renewal-month notice not published (${describeError(error)}); a rerun sends it` });
      sent = toSend.filter(({ contract }) => !unsent.has(contract.contractId));
    }
    await mapLimit(sent, tuning.writeConcurrency, ({ contract, term }) => deps.store.markNoticePublished(contract.contractId, term.number));
    summary.notices += sent.length;
    cursor = page.cursor;
  } while (cursor);
}

type RunContext = { deps: PublishingDeps; tuning: RenewalTuning; month: YearMonth; summary: RenewalSummary };

async function renewPage({ deps, tuning, month, summary }: RunContext, shard: number, contractIds: string[]): Promise<void> {
  const at = toJstIso(deps.clock.now());
  const contracts = new Map((await deps.store.getContracts(contractIds)).map((c) => [c.contractId, c]));
  const due: Renewal[] = [];
  for (const contractId of contractIds) {
    const contract = contracts.get(contractId);
    if (!contract) {
      summary.skipped.push({ contractId, reason: 'in the renewal index but not in the table' });
      continue;
    }
    const decided = decide(contract, month, at);
    if ('reason' in decided) summary.skipped.push({ contractId, reason: decided.reason });
    else due.push(decided);
  }
  if (due.length === 0) return;

  const entries = due.map(({ contract, fromVersion, renewed }) => ({ contractId: contract.contractId, fromVersion, renewed }));
  // Wall-clock time between runs, not business time (see WRITES_SETTLE_MS).
  const outbox: RenewalOutbox = { shard, id: deps.ids.next(), month, entries, writtenAt: Date.now() };
  await deps.store.putRenewalOutbox(outbox);
  const written = (await mapLimit(due, tuning.writeConcurrency, (renewal) => save(deps, renewal, month, at, summary))).filter((r): r is Renewal => r !== null);
  for (const renewal of written) {
    summary.renewed += 1;
    summary.termsRenewed += renewal.renewed.length;
  }
  await publishAndClear(deps, outbox, written, summary);
}

function decide(contract: Contract, month: YearMonth, at: string): Renewal | { reason: string } {
  const { contract: next, renewed } = renewThrough(contract, month, at);
  if (renewed.length > 0) return { contract: next, fromVersion: contract.version, renewed };
  const dueMonth = renewalDueMonth(contract);
  return {
    reason:
      dueMonth === null
        ? 'does not renew: no minimum term, or a cancellation takes effect by the end of the term'
        : `not due: renewal month ${dueMonth} is not before ${month} (already renewed)`,
  };
}

/** One conditional write; on a concurrent change, decide again on the fresh contract (bounded). */
async function save(deps: PublishingDeps, first: Renewal, month: YearMonth, at: string, summary: RenewalSummary): Promise<Renewal | null> {
  let renewal = first;
  try {
    for (let attempt = 1; attempt <= 5; attempt++) {
      if ((await deps.store.saveRenewal(renewal.contract, renewal.fromVersion)) === 'written') return renewal;
      const fresh = await deps.store.getContract(renewal.contract.contractId);
      const decided = fresh ? decide(fresh, month, at) : { reason: 'deleted during the run' };
      if ('reason' in decided) {
        summary.skipped.push({ contractId: renewal.contract.contractId, reason: decided.reason });
        return null;
      }
      renewal = decided;
    }
    throw new Error('the contract kept changing during 5 attempts');
  } catch (error) {
    summary.failed.push({ contractId: first.contract.contractId, error: describeError(error) });
    return null;
  }
}

/**
 * Publishes the renewals' events and removes the outbox item, or keeps in it the
 * entries still to settle (`keep`); if some events are refused, their renewals stay
 * in the outbox too, for the next run to publish.
 */
async function publishAndClear(
  deps: PublishingDeps,
  outbox: RenewalOutbox,
  written: Renewal[],
  summary: RenewalSummary,
  keep: RenewalOutboxEntry[] = [],
): Promise<void> {
  const today = jstDateOf(deps.clock.now());
  const events = written.flatMap(({ contract, renewed }) => renewed.map((term) => outcomes.contractRenewed(contract, term, today)));
  const keepOnly = (entries: RenewalOutboxEntry[]) =>
    entries.length > 0 ? deps.store.putRenewalOutbox({ ...outbox, entries }) : deps.store.deleteRenewalOutbox(outbox);
  try {
    if (events.length > 0) await deps.publisher.publish(events);
    await keepOnly(keep);
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    const unpublished = new Set(error.failed.map(({ event }) => contractIdOf(event)));
    await keepOnly([...keep, ...outbox.entries.filter((entry) => unpublished.has(entry.contractId))]);
    for (const contractId of unpublished) {
      summary.failed.push({ contractId, error: `renewed, but ContractRenewed not published (${describeError(error)}); the next run publishes it` });
    }
  }
}

/**
 * A write a killed run sent just before it died can still land after the next run has
 * looked: an outbox younger than this keeps its unlanded entries for the run after, so
 * that such a late renewal still gets its event. Older, they are dropped: the contracts
 * were not renewed and are still due. (Lambda's own retry comes a minute later.)
 */
export const WRITES_SETTLE_MS = 30_000;

/** Publishes the events of renewals a killed run wrote but did not publish; drops those it never wrote. */
async function recoverOutboxes({ deps, summary }: RunContext, shard: number): Promise<void> {
  for (const outbox of await deps.store.renewalOutboxes(shard)) {
    const contracts = new Map((await deps.store.getContracts(outbox.entries.map((e) => e.contractId))).map((c) => [c.contractId, c]));
    const landed: Renewal[] = [];
    const unlanded: RenewalOutboxEntry[] = [];
    for (const entry of outbox.entries) {
      const contract = contracts.get(entry.contractId);
      const last = entry.renewed.at(-1);
      // Terms only advance by renewal: a term number at or past the last one written means the write landed.
      if (contract?.term && last && contract.term.number >= last.number) landed.push({ contract, fromVersion: entry.fromVersion, renewed: entry.renewed });
      else unlanded.push(entry);
    }
    summary.recovered += landed.length;
    const settling = Date.now() - outbox.writtenAt < WRITES_SETTLE_MS;
    await publishAndClear(deps, outbox, landed, summary, settling ? unlanded : []);
  }
}

function contractIdOf(event: OutboundEvent): string {
  return (event.detail.contract as { contractId: string }).contractId;
}
