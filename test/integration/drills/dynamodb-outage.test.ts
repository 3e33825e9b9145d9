import { setTimeout as sleep } from 'node:timers/promises';
import type { DeadLetter } from '../../../local/event-bus';
import { application } from '../support/fixtures';
import { drillCounts, printDrill } from './support/drills';
import { applications, orderIdOf, outcomesIn, tally, useLocalStackDrill } from './support/local-stack-drill';

/**
 * Fault drill: DynamoDB unavailable for a few seconds in the middle of a stream of
 * applications. The local stack runs as `npm start` runs it, but reaches DynamoDB Local
 * through a proxy that drops or fails every request during the outage. Every event must
 * end as an outcome on the bus or a dead letter with its reason (lost = 0); the dead
 * letters are then redriven, as an operator would from the DLQ, and every order ends
 * with an outcome and, for a ContractCreated, its contract.
 */
const APPLICATIONS = 120;
const PER_CALL = 4;
const EVERY_MS = 40;
const OUTAGE_AFTER_CALLS = 6;
const OUTAGE_MS = 2_000;

const local = useLocalStackDrill('outage', { proxied: true, retry: { maxAttempts: 3, baseDelayMs: 250 } });

async function put(details: Array<Record<string, unknown>>): Promise<void> {
  const answer = await local.put(applications(details));
  if (answer.FailedEntryCount) throw new Error(`PutEvents refused entries: ${JSON.stringify(answer.Entries)}`);
}

it('ends every event of a stream as an outcome or a dead letter with its reason while DynamoDB is down, and a redrive completes them', async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  let healthDuringOutage: { status: number; body: unknown } | null = null;
  for (let call = 0; call * PER_CALL < APPLICATIONS; call++) {
    if (call === OUTAGE_AFTER_CALLS) {
      local.proxy.outage(OUTAGE_MS);
      const health = await fetch(`${local.stack.url}/health`);
      healthDuringOutage = { status: health.status, body: await health.json() };
    }
    await put(details.slice(call * PER_CALL, (call + 1) * PER_CALL));
    await sleep(EVERY_MS);
  }
  const orderIds = details.map((detail) => detail.orderId);
  const afterOutage = tally(orderIds, await local.settled(orderIds, (counts) => counts.lost === 0, 45_000));
  const faults = { ...local.proxy.counts };

  const { deadLetters } = await local.get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters');
  const redriven = deadLetters.map((letter) => (letter.payload as { detail: Record<string, unknown> }).detail);
  for (let i = 0; i < redriven.length; i += 10) await put(redriven.slice(i, i + 10));
  const final = await local.settled(orderIds, (counts) => counts.ordersWithOutcome === APPLICATIONS, 45_000);
  const afterRedrive = tally(orderIds, final);
  const created = final.events.filter((record) => record.event['detail-type'] === 'ContractCreated');
  const contractsFound = await Promise.all(
    created.map(async (record) => (await fetch(`${local.stack.url}/contracts/${(record.event.detail.contract as { contractId: string }).contractId}`)).status),
  );

  // The outcome publisher's one UpdateItem is the mark; a refused one is a failed mark (the inbound functions
  // update an order only to renew a lease after 24 hours, which no order here reaches).
  const failedMarks = local.proxy.refusedByOperation.UpdateItem ?? 0;
  const ourOutcomes = outcomesIn(final.events).filter((record) => orderIds.includes(orderIdOf(record.event)));
  const drill = drillCounts(
    [...orderIds, ...redriven.map((detail) => detail.orderId as string)],
    ourOutcomes.map((record) => record.event.detail.eventKey as string),
    deadLetters.map((letter) => orderIdOf(letter.payload)),
    await local.stalled(10_000),
  );
  printDrill('dynamodb outage', drill, {
    failedMarks,
    applications: APPLICATIONS,
    outageMs: OUTAGE_MS,
    proxy: faults,
    afterOutage,
    redriven: redriven.length,
    afterRedrive,
    contractsFound: contractsFound.filter((s) => s === 200).length,
  });
  expect(faults.dropped + faults.failed).toBeGreaterThan(0);
  // While DynamoDB does not answer, /health says so; once it does again, it is well.
  expect(healthDuringOutage).toEqual({ status: 503, body: { status: 'unhealthy', parts: { dynamodb: expect.stringContaining('does not answer') } } });
  expect((await fetch(`${local.stack.url}/health`)).status).toBe(200);
  expect(afterOutage.lost).toBe(0);
  // A batch whose marks failed is marked on its retry, not published again (one instance here).
  expect(drill.duplicates).toBe(afterRedrive.duplicates);
  expect(drill.duplicates).toBeLessThanOrEqual(failedMarks);
  expect(drill).toMatchObject({ lost: 0, stalled: 0 });
  expect(afterOutage.ordersWithOutcome + afterOutage.ordersDeadLettered).toBeGreaterThanOrEqual(APPLICATIONS);
  expect(afterOutage.lettersWithoutReason).toBe(0);
  expect(afterRedrive).toMatchObject({ ordersWithOutcome: APPLICATIONS, lost: 0 });
  expect(contractsFound.every((status) => status === 200)).toBe(true);
}, 90_000);
