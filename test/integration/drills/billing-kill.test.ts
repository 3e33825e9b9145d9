import { invoiceIdOf } from '../../../functions/domain/invoices/invoice-id';
import { DEFAULT_BILLING_TUNING, runBilling } from '../../../functions/use-cases/monthly-billing';
import { extraClient } from '../support/dynamodb';
import {
  billingCounts,
  billingDepsOn,
  billingRun,
  duplicateInvoices,
  expectCompleted,
  expectEachOnce,
  invoiceEventKeys,
  invoiceEvents,
  invoicesOfAll,
  invoicesPublished,
  keptLetters,
  MARCH_RUN,
  runLine,
  runSchedule,
  seedDueContracts,
  settledAfterRun,
  BILLING_DRILL_ENV,
} from './support/billing-drill';
import { printDrill } from './support/drills';
import { KillSwitch } from './support/kill-switch';
import { useLocalStackDrill } from './support/local-stack-drill';

/**
 * Fault drill (docs/terms.md I3): the billing run for February 2024 killed midway twice,
 * then run to the end by the schedule, then once more. A kill is a process dying: from
 * the chosen transaction on, every DynamoDB request of that run hangs forever. Every
 * contract (Prime Plus from January 2024) must end with exactly one invoice for each of
 * January and February (the run closes both: I2's catch-up), each published once as
 * InvoiceIssued with its invoiceId as eventKey, from the invoice item that is its outbox.
 */
jest.setTimeout(60_000);

const CONTRACTS = 80;
/** Transactions after which each killed run dies: each run bills only what is still due. */
const KILLS = [25, 20];
const TUNING = { ...DEFAULT_BILLING_TUNING, pageSize: 10, writeConcurrency: 4, shardConcurrency: 4 };

const drill = useLocalStackDrill('billing-kill', { env: BILLING_DRILL_ENV });

it('bills every contract once per month across two killed runs and a rerun', async () => {
  const { ids, expected } = await seedDueContracts(drill, 'BKILL', CONTRACTS);

  const { letters, sink } = keptLetters();
  for (const after of KILLS) {
    const kill = new KillSwitch(after);
    const dynamoDb = extraClient();
    kill.attach(dynamoDb);
    const deps = billingDepsOn(drill, dynamoDb, sink);
    void runBilling(deps, '2024-02', () => Number.POSITIVE_INFINITY, TUNING);
    await kill.tripped();
  }
  const killedRuns = await billingRun(drill, '2024-02');
  const billedByKilledRuns = [...(await invoicesOfAll(drill, ids)).values()].flat().length;
  const final = await runSchedule(drill, MARCH_RUN);
  const seenAfterFinal = await invoicesPublished(drill, expected.length);
  const again = await runSchedule(drill, MARCH_RUN);
  // With what the second rerun would publish, had it issued anything.
  const { seen, stalled, byContract, listed } = await settledAfterRun(drill, ids);
  const exported = await drill.get<{ files: Array<{ format: string; rows: number }> }>('/billing-runs/2024-02/export');
  const counts = billingCounts(expected, seen, listed, stalled);
  const keys = invoiceEventKeys(seen.events);
  const detail = {
    contracts: CONTRACTS,
    killedAfterTransactions: KILLS.join('+'),
    invoicedByKilledRuns: billedByKilledRuns,
    exportRows: exported.files.filter((file) => file.format === 'jsonl').reduce((sum, file) => sum + file.rows, 0),
    rerun: runLine(final),
    secondRerun: runLine(again),
    duplicateInvoices: duplicateInvoices(byContract),
    eventsAfterFirstRerun: invoiceEvents(seenAfterFinal.events).length,
    failed: final.body.failed.length,
    runDeadLetters: letters.length,
  };
  printDrill('billing run killed twice and rerun', counts, detail);

  expectEachOnce(counts, expected.length);
  // Killed midway: some invoices issued, the run not complete.
  expect(killedRuns.status).toBe('running');
  expect(billedByKilledRuns).toBeGreaterThan(0);
  expect(billedByKilledRuns).toBeLessThan(expected.length);
  expectCompleted(final, expected.length);
  expectCompleted(again, expected.length);
  expect(detail).toMatchObject({ duplicateInvoices: 0, eventsAfterFirstRerun: expected.length, runDeadLetters: 0, exportRows: expected.length });
  for (const id of ids) expect(byContract.get(id)?.map((invoice) => invoice.invoiceId)).toEqual([invoiceIdOf(id, '2024-02'), invoiceIdOf(id, '2024-01')]);
  // One event per invoice, keyed by its id and carrying it.
  expect(new Set(keys)).toEqual(new Set(expected));
  expect(invoiceEvents(seen.events).every((record) => record.event.detail.eventKey === (record.event.detail.invoice as { invoiceId: string }).invoiceId)).toBe(
    true,
  );
  expect(seen.deadLetters).toEqual([]);
});
