import { jstDateOf, monthOf, toJstIso, type LocalDate, type YearMonth } from '../domain/calendar';
import type { Contract, Term } from '../domain/contract';
import { renewalDueMonth, renewThrough } from '../domain/contract-lifecycle';
import { outcomes } from '../domain/outbound-events';
import type { ContractFact } from '../store/records';
import { mapLimit } from './concurrency';
import { describeError, type RenewalDeps } from './deps';

/**
 * The monthly renewal (interface §4): every Prime Plus contract whose renewal month is
 * before M is renewed through the domain's renewThrough, as many terms as needed.
 *
 * Per shard of the renewal index, page by page: query the due keys, read the contracts
 * (one BatchGetItem, consistent), and write each renewed contract with its ContractRenewed
 * facts in one transaction conditioned on the version read. Then, for month M, one
 * ContractRenewalMonthStarted fact per contract entering its renewal month (N1). The run
 * publishes nothing itself: every fact is written with the change it reports and
 * published from the table's stream by the outcome publisher (the one outbox,
 * docs/design.md §3). A run killed anywhere leaves contracts renewed with their facts, or
 * still due: the rerun renews those; a renewed contract leaves the due range, so a rerun
 * renews nothing twice and needs no cursor. Runs that overlap are kept apart by versions.
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
  /** ContractRenewalMonthStarted written by this run (N1), for the stream to publish: contracts whose renewal month is the run's month. */
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
  renewed: Term[];
}

export async function runMonthlyRenewal(deps: RenewalDeps, run: RenewalRun, tuning: RenewalTuning = DEFAULT_RENEWAL_TUNING): Promise<RenewalSummary> {
  const month = monthOf(jstDateOf(run.scheduledTime));
  const shards = run.shards ?? Array.from({ length: deps.store.renewalShards }, (_, shard) => shard);
  const summary: RenewalSummary = {
    month,
    scheduledTime: run.scheduledTime,
    shards,
    complete: true,
    renewed: 0,
    termsRenewed: 0,
    notices: 0,
    skipped: [],
    failed: [],
  };
  const context: RunContext = { deps, tuning, month, summary };
  const outOfTime = () => run.remainingMs() < tuning.budgetMarginMs;

  await mapLimit(shards, tuning.shardConcurrency, async (shard) => {
    let cursor: string | null = null;
    do {
      if (outOfTime()) {
        summary.complete = false;
        return;
      }
      const page = await deps.store.dueForRenewal(shard, month, cursor, tuning.pageSize);
      await renewPage(context, page.contractIds);
      cursor = page.cursor;
    } while (cursor);
  });
  // N1 once the shards are through; a fan-out run leaves it to the invocation that has shard 0.
  if (summary.complete && shards.includes(0)) await sendRenewalNotices(context, outOfTime);
  return summary;
}

/**
 * N1: one ContractRenewalMonthStarted fact per contract and term whose renewal month is the
 * run's month and which will renew. Per page of the renewal-month index: read the contracts
 * again (consistently: the index may lag a cancellation) and write each one's fact if it is
 * not there yet; a rerun finds them written and writes nothing.
 */
async function sendRenewalNotices({ deps, tuning, month, summary }: RunContext, outOfTime: () => boolean): Promise<void> {
  const today = jstDateOf(deps.clock.now());
  const at = toJstIso(deps.clock.now());
  let cursor: string | null = null;
  do {
    if (outOfTime()) {
      summary.complete = false;
      return;
    }
    const page = await deps.store.contractsInRenewalMonth(month, cursor, tuning.pageSize);
    const ids = page.contracts.map((c) => c.contractId);
    const renewing = (await deps.store.getContracts(ids)).filter((c) => c.term !== null && c.term.renewalMonth === month && renewalDueMonth(c) === month);
    await mapLimit(renewing, tuning.writeConcurrency, async (contract) => {
      try {
        if ((await deps.store.putFact(noticeFact(contract, contract.term as Term, today, at))) === 'written') summary.notices += 1;
      } catch (error) {
        summary.failed.push({ contractId: contract.contractId, error: `renewal-month notice not written (${describeError(error)}); a rerun writes it` });
      }
    });
    cursor = page.cursor;
  } while (cursor);
}

const noticeFact = (contract: Contract, term: Term, today: LocalDate, at: string): ContractFact => ({
  contractId: contract.contractId,
  kind: 'renewal-month',
  term,
  outcome: outcomes.renewalMonthStarted(contract, term, today),
  at,
});

const renewedFacts = (contract: Contract, renewed: Term[], today: LocalDate, at: string): ContractFact[] =>
  renewed.map((term) => ({
    contractId: contract.contractId,
    kind: 'renewed',
    term,
    outcome: outcomes.contractRenewed(contract, term, today),
    at,
  }));

type RunContext = { deps: RenewalDeps; tuning: RenewalTuning; month: YearMonth; summary: RenewalSummary };

async function renewPage({ deps, tuning, month, summary }: RunContext, contractIds: string[]): Promise<void> {
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
  const written = (await mapLimit(due, tuning.writeConcurrency, (renewal) => save(deps, renewal, month, at, summary))).filter((r): r is Renewal => r !== null);
  for (const renewal of written) {
    summary.renewed += 1;
    summary.termsRenewed += renewal.renewed.length;
  }
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

/** One transaction (contract and facts); on a concurrent change, decide again on the fresh contract (bounded). */
async function save(deps: RenewalDeps, first: Renewal, month: YearMonth, at: string, summary: RenewalSummary): Promise<Renewal | null> {
  const today = jstDateOf(deps.clock.now());
  let renewal = first;
  try {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const facts = renewedFacts(renewal.contract, renewal.renewed, today, at);
      if ((await deps.store.saveRenewal(renewal.contract, renewal.fromVersion, facts)) === 'written') return renewal;
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
