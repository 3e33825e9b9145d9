import { DEFAULT_BILLING_TUNING, runBilling, type ShardOutcome } from '../../../functions/use-cases/monthly-billing';
import { extraClient } from '../support/dynamodb';
import {
  BILLING_DRILL_ENV,
  billingCounts,
  billingDepsOn,
  billingRun,
  duplicateInvoices,
  expectEachOnce,
  invoiceEventKeys,
  invoicesPublished,
  keptLetters,
  MARCH_RUN,
  runLine,
  runSchedule,
  seedDueContracts,
  settledAfterRun,
} from './support/billing-drill';
import { printDrill } from './support/drills';
import { useLocalStackDrill } from './support/local-stack-drill';

/**
 * Drill (docs/terms.md I3): three billing runs for February 2024 at the same time, on the
 * same contracts, each as a billing function of its own (its own DynamoDB client, every
 * shard at once, small pages so that they meet on the same contracts); then the local
 * schedule's run for the month, which finds nothing left. Each invoice must be issued
 * once and published once, each run must count only what it issued itself (the metrics),
 * and the month's run ends completed with every invoice counted once.
 */
jest.setTimeout(60_000);

const CONTRACTS = 100;
const RUNS = 3;
const TUNING = { ...DEFAULT_BILLING_TUNING, pageSize: 5, writeConcurrency: 3, shardConcurrency: 4 };

const drill = useLocalStackDrill('billing-concurrent', { env: BILLING_DRILL_ENV });

it('issues each invoice once when three runs for the month run at once', async () => {
  const { ids, expected } = await seedDueContracts(drill, 'BCONC', CONTRACTS);

  const { letters, sink } = keptLetters();
  const clients = Array.from({ length: RUNS }, () => extraClient());
  const runs = clients.map((client) => billingDepsOn(drill, client, sink));
  const outcomes = await Promise.all(runs.map((deps) => runBilling(deps, '2024-02', () => Number.POSITIVE_INFINITY, TUNING)));
  for (const client of clients) client.destroy();
  const scheduled = await runSchedule(drill, MARCH_RUN);
  const run = await billingRun(drill, '2024-02');
  await invoicesPublished(drill, expected.length);
  const { seen, stalled, byContract, listed } = await settledAfterRun(drill, ids);

  const issued = (outcomes: ShardOutcome[]) => outcomes.reduce((sum, o) => sum + o.invoicesIssued, 0);
  const counts = billingCounts(expected, seen, listed, stalled);
  const detail = {
    contracts: CONTRACTS,
    runsAtOnce: RUNS,
    issuedByEachRun: outcomes.map(issued).join('+'),
    issuedByRuns: outcomes.reduce((sum, o) => sum + issued(o), 0),
    scheduled: runLine(scheduled),
    run: `${run.status} ${run.invoices} invoices`,
    failed: outcomes.flat().flatMap((o) => o.failed).length + run.failed.length,
    duplicateInvoices: duplicateInvoices(byContract),
  };
  printDrill('billing runs at once', counts, detail);

  expectEachOnce(counts, expected.length);
  expect(scheduled.status).toBe(200);
  expect(run).toMatchObject({ status: 'completed', invoices: expected.length, failed: [] });
  expect(detail).toMatchObject({ failed: 0, duplicateInvoices: 0 });
  // Each run counts what it issued itself: together, each invoice once.
  expect(detail.issuedByRuns).toBe(expected.length);
  expect(new Set(invoiceEventKeys(seen.events))).toEqual(new Set(expected));
  expect(letters).toEqual([]);
  expect(seen.deadLetters).toEqual([]);
});
