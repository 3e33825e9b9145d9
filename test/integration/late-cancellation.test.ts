import { dueContract, JANUARY_RUN } from '../../bench/fixtures';
import { seedContracts } from '../../bench/seed';
import { createCancellationHandler } from '../../functions/handlers/cancellation';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import { FakeEventBridge } from '../support/fake-event-bridge';
import { testDeps } from '../support/handler-deps';
import { extraClient, freshTable } from './support/dynamodb';
import { fixedClock, inboundEvent, newOrderId } from './support/fixtures';
import { storeOn } from './support/suite';

/**
 * docs/terms.md L3, on DynamoDB Local: cancellations asked for on 3 December, effective on
 * the last day of the renewal month, delivered while the January run renews the same
 * contracts. Whatever the interleaving, every contract ends cancelled in term 1, never
 * renewed and cancelled at once; a renewal the run published is named in the
 * cancellation's outcome (withdrawnTerm), and a rerun renews nothing.
 */
const CONTRACTS = 56;

it('honours every late cancellation from the renewal month, under any interleaving with the run', async () => {
  const table = await freshTable('late-cancellation');
  const store = storeOn(table);
  const seeded = await seedContracts({ client: table.client, settings: table.settings, count: CONTRACTS, contract: (n) => dueContract('LATE', n) });
  const bus = new FakeEventBridge();
  // The run and the cancellations each on a client of their own, as two functions.
  const clock = fixedClock('2025-01-01T00:06:00+09:00');
  const run = createMonthlyRenewalHandler({
    ...testDeps({ settings: table.settings, dynamoDb: extraClient(), eventBridge: bus.client, clock }),
    tuning: { pageSize: 7, writeConcurrency: 2 },
  });
  const cancel = createCancellationHandler(testDeps({ settings: table.settings, dynamoDb: extraClient(), clock }));

  const lateCancel = (contractId: string) =>
    cancel(
      inboundEvent('CancellationRequested', { orderId: newOrderId('late'), requestedAt: '2024-12-03T09:00:00+09:00', contractId, effectiveDate: '2024-12-31' }),
    );
  // Half arrive while the run goes on, half once it is over (renewed first for sure).
  const during = seeded.slice(0, CONTRACTS / 2);
  const after = seeded.slice(CONTRACTS / 2);
  const [summary, ...duringRun] = await Promise.all([run({ scheduledTime: JANUARY_RUN }), ...during.map(({ contractId }) => lateCancel(contractId))]);
  const cancellations = [...duringRun, ...(await Promise.all(after.map(({ contractId }) => lateCancel(contractId))))];

  expect(cancellations.every((c) => 'outcome' in c && c.outcome === 'ContractCancelled')).toBe(true);
  const contracts = await store.getContracts(seeded.map((s) => s.contractId));
  expect(contracts.map((c) => [c.term?.number, c.cancellation?.effectiveDate])).toEqual(contracts.map(() => [1, '2024-12-31']));
  expect(contracts.every((c) => c.cancellation?.terminationFee.amount === 0)).toBe(true);

  // A renewal that was written first is withdrawn by the cancellation, and says so.
  const renewedIds = new Set(bus.published.filter((e) => e.detailType === 'ContractRenewed').map((e) => e.detail.contract.contractId as string));
  const withdrawn = new Set(contracts.filter((c) => c.cancellation?.withdrawnTerm?.number === 2).map((c) => c.contractId));
  expect([...renewedIds].filter((id) => !withdrawn.has(id))).toEqual([]);
  expect(summary.renewed).toBeGreaterThanOrEqual(withdrawn.size);
  expect(after.every(({ contractId }) => withdrawn.has(contractId))).toBe(true);

  const again = await run({ scheduledTime: JANUARY_RUN });
  expect(again.renewed).toBe(0);
  console.log(
    `late cancellation: contracts ${CONTRACTS}, renewed first then withdrawn ${withdrawn.size}, cancelled before the run reached them ${CONTRACTS - withdrawn.size}, renewed and cancelled 0`,
  );
});
