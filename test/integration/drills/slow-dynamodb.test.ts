import { setTimeout as sleep } from 'node:timers/promises';
import { ORDER_SLOT } from '../../../functions/store/records';
import { tableStore } from '../../../bench/deps';
import { TapLogger, type LogLine } from '../../../local/tap-logger';
import { extraClient } from '../support/dynamodb';
import { application } from '../support/fixtures';
import { drillCounts, printDrill } from './support/drills';
import { applications, orderIdOf, outcomesIn, useLocalStackDrill } from './support/local-stack-drill';

/**
 * Fault drill: DynamoDB answering every request in 3 to 8 seconds for a while, longer
 * than one SDK attempt may take (2 s here), while applications stream in. A write
 * DynamoDB carries out after the SDK stopped waiting for it lands all the same, and the
 * retries that find it there time out too: the handler then finds its order stored and
 * lets its outcome stand, so no order that was stored is dead-lettered. Every order ends
 * with its outcome once DynamoDB is quick again; lookups meanwhile answer 200, 404 or
 * 503 with Retry-After, never 500.
 */
const APPLICATIONS = 30;
const PER_CALL = 3;
const EVERY_MS = 50;
const SLOW_AFTER_CALLS = 2;
const SLOW_MS = 20_000;
const DELAY = { minMs: 3_000, maxMs: 8_000 };
const LANDED_MESSAGE = 'order failed after its write landed; its stored outcome stands';

const logged: LogLine[] = [];
const local = useLocalStackDrill('slow', {
  proxied: true,
  env: { AWS_ATTEMPT_TIMEOUT_MS: '2000' },
  retry: { maxAttempts: 3, baseDelayMs: 250 },
  logger: new TapLogger((line) => logged.push(line)),
});

/** What lookups answer while DynamoDB is slow: status, and Retry-After on a 503. */
async function lookUp(path: string): Promise<string> {
  const response = await fetch(`${local.stack.url}${path}`);
  await response.arrayBuffer();
  return response.status === 503 ? `503 retry-after ${response.headers.get('retry-after')}` : String(response.status);
}

it('stores and publishes every order while DynamoDB answers in 3 to 8 s, dead-letters none that was stored, and answers lookups with 503, not 500', async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  const orderIds = details.map((detail) => detail.orderId);
  const started = Date.now();
  const lookups: Array<Promise<string>> = [];
  for (let call = 0; call * PER_CALL < APPLICATIONS; call++) {
    if (call === SLOW_AFTER_CALLS) local.proxy.slow(SLOW_MS, DELAY);
    const answer = await local.put(applications(details.slice(call * PER_CALL, (call + 1) * PER_CALL)));
    expect(answer.FailedEntryCount ?? 0).toBe(0);
    if (call > SLOW_AFTER_CALLS && call % 3 === 0) {
      lookups.push(lookUp(`/orders/${encodeURIComponent(orderIds[0] ?? '')}`), lookUp(`/contracts/C-${call}`));
    }
    await sleep(EVERY_MS);
  }

  const { events, deadLetters } = await local.settled(orderIds, (counts) => counts.lost === 0, 60_000);
  const outcomes = outcomesIn(events);
  const tookMs = Date.now() - started;
  const lookupAnswers = await Promise.all(lookups);

  const reader = extraClient();
  const store = tableStore({ client: reader, tableName: local.tableName, renewalShards: 4 });
  const letteredIds = deadLetters.map((letter) => orderIdOf(letter.payload));
  const storedButLettered = (await Promise.all(letteredIds.map((orderId) => store.getOrder({ orderId, slot: ORDER_SLOT })))).filter(Boolean).length;
  const withOutcome = new Set(outcomes.map((record) => orderIdOf(record.event)));
  const counts = drillCounts(
    orderIds,
    outcomes.map((record) => record.event.detail.eventKey as string),
    letteredIds,
    await local.stalled(10_000),
  );
  reader.destroy();
  printDrill('slow dynamodb', counts, {
    orders: APPLICATIONS,
    ordersWithOutcome: orderIds.filter((id) => withOutcome.has(id)).length,
    storedButDeadLettered: storedButLettered,
    landedDespiteTimeouts: logged.filter((line) => line.message === LANDED_MESSAGE).length,
    lookups: lookupAnswers,
    proxy: local.proxy.counts,
    slowMs: SLOW_MS,
    tookSeconds: Number((tookMs / 1000).toFixed(1)),
  });

  expect(local.proxy.counts.delayed).toBeGreaterThan(0);
  expect(storedButLettered).toBe(0);
  expect(counts).toMatchObject({ lost: 0, stalled: 0 });
  expect(orderIds.filter((id) => withOutcome.has(id))).toHaveLength(APPLICATIONS);
  expect(lookupAnswers.length).toBeGreaterThan(0);
  for (const answer of lookupAnswers) expect(['200', '404', `503 retry-after 5`]).toContain(answer);
}, 120_000);
