import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dueContract } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import { tableStore } from '../../../bench/deps';
import type { Contract } from '../../../functions/domain/contract';
import { extraClient } from '../support/dynamodb';
import {
  BILLING_DRILL_ENV,
  billingCounts,
  billingRun,
  dueInvoiceIds,
  duplicateInvoices,
  expectCompleted,
  expectEachOnce,
  invoiceEventKeys,
  invoicesOfAll,
  invoicesPublished,
  MARCH_RUN,
  runLine,
  runSchedule,
} from './support/billing-drill';
import { printDrill } from './support/drills';
import { useLocalStackDrill } from './support/local-stack-drill';

/**
 * Drill (docs/terms.md I3): contracts that cannot be billed among good ones. One stored
 * contract item no longer reads as a contract (a defect of whatever wrote it); one starts
 * in a month whose tariff has no price for its plan (Prime Plus before it was offered).
 * The run bills every other contract, lists the two in GET /billing-runs/{month} with
 * their reasons, dead-letters each once and ends completed-with-failures. Once both are
 * put right, the next run bills them and the month is completed.
 */
jest.setTimeout(60_000);

const GOOD = 60;

const drill = useLocalStackDrill('billing-bad', { env: BILLING_DRILL_ENV });

it('bills the good contracts, lists and dead-letters the bad ones once, and bills them once put right', async () => {
  const client = extraClient();
  const doc = DynamoDBDocumentClient.from(client);
  const store = tableStore({ client, tableName: drill.tableName, renewalShards: drill.settings.renewalShards });
  const good = (await seedContracts({ client, settings: drill.settings, count: GOOD, contract: (n) => dueContract('BBAD', n) })).map((s) => s.contractId);
  // Between the good ones in the index: the bad ones share their shards and pages.
  const unreadable = dueContract('BBAD', GOOD);
  const unpriced: Contract = { ...dueContract('BBAD', GOOD + 1), startDate: '2023-11-10' };
  await seedContracts({ client, settings: drill.settings, count: 2, contract: (n) => [unreadable, unpriced][n] });
  await doc.send(
    new UpdateCommand({
      TableName: drill.tableName,
      Key: { PK: `CONTRACT#${unreadable.contractId}`, SK: 'CONTRACT' },
      UpdateExpression: 'SET #contract.#plan = :plan',
      ExpressionAttributeNames: { '#contract': 'contract', '#plan': 'plan' },
      ExpressionAttributeValues: { ':plan': { code: 'gold-plus', tier: 7 } },
    }),
  );
  const bad = [unreadable.contractId, unpriced.contractId];
  const expectedGood = dueInvoiceIds(good);

  const first = await runSchedule(drill, MARCH_RUN);
  const seenFirst = await invoicesPublished(drill, expectedGood.length);
  const runFirst = await billingRun(drill, '2024-02');
  const lettersFirst = seenFirst.deadLetters.filter((letter) => bad.some((id) => JSON.stringify(letter.payload).includes(id)));

  // Put right: the item rewritten as the contract it was, the start moved into the Prime Plus era.
  await doc.send(new PutCommand({ TableName: drill.tableName, Item: store.contractItem(unreadable) }));
  await doc.send(new PutCommand({ TableName: drill.tableName, Item: store.contractItem({ ...unpriced, startDate: '2024-01-10' }) }));
  const next = await runSchedule(drill, MARCH_RUN);
  const all = [...good, ...bad];
  const expected = dueInvoiceIds(all);
  const seen = await invoicesPublished(drill, expected.length);
  const stalled = await drill.stalled(5_000);
  const byContract = await invoicesOfAll(drill, all);
  client.destroy();

  const counts = billingCounts(expected, seen, [...byContract.values()].flat(), stalled);
  const detail = {
    good: GOOD,
    bad: bad.length,
    firstRun: runLine(first),
    failedListed: runFirst.failed.map((f) => f.contractId),
    reasons: runFirst.failed.map((f) => f.reason),
    contractsDeadLettered: lettersFirst.length,
    nextRun: `${runLine(next)}, failed ${next.body.failed.length}`,
    badInvoiced: bad.map((id) => byContract.get(id)?.length ?? 0),
    duplicateInvoices: duplicateInvoices(byContract),
  };
  printDrill('billing run with contracts that cannot be billed', counts, detail);

  // Before they were put right.
  expect(first).toMatchObject({ status: 200, body: { status: 'completed-with-failures', invoices: expectedGood.length } });
  expect(new Set(invoiceEventKeys(seenFirst.events))).toEqual(new Set(expectedGood));
  expect(runFirst.failed.map((f) => f.contractId).sort()).toEqual([...bad].sort());
  expect(runFirst.failed.every((f) => f.reason.startsWith('請求書を発行できませんでした'))).toBe(true);
  expect(lettersFirst.map((letter) => (letter.payload as { contractId: string }).contractId).sort()).toEqual([...bad].sort());
  // After.
  expectCompleted(next, expected.length);
  expectEachOnce(counts, expected.length);
  expect(detail).toMatchObject({ badInvoiced: [2, 2], duplicateInvoices: 0 });
  // No more dead letters than the first run's, one per bad contract.
  expect(seen.deadLetters).toHaveLength(bad.length);
});
