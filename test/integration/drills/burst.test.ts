import { DEFAULT_CONCURRENCY } from '../../../local/event-bus';
import { application } from '../support/fixtures';
import { drillCounts, printDrill } from './support/drills';
import { applications, orderIdOf, outcomesIn, useLocalStackDrill } from './support/local-stack-drill';

/**
 * Drill: a burst of applications put on the local stack at once, as `npm start` runs it.
 * The bus delivers to each function DEFAULT_CONCURRENCY at a time and queues the rest, so
 * DynamoDB Local is not drowned: every application gets its outcome, none is dead-lettered
 * or lost. Prints how long the burst took from the first PutEvents to the last outcome.
 */
const APPLICATIONS = 1_000;
const PER_CALL = 10;
// Alone it takes 12–18 s; in `npm test`, beside the browser and billing suites on 2 cores, up to 62 s was seen.
// The drill is about nothing lost, not speed: the figure for speed is bench figure 1.
const WITHIN_MS = 150_000;

const local = useLocalStackDrill('burst');

it(`gives each of ${APPLICATIONS} applications put at once its outcome, with no dead letter`, async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  const orderIds = details.map((detail) => detail.orderId);
  const started = Date.now();
  // All calls at once: the burst reaches the bus as fast as the server takes it.
  const answers = await Promise.all(
    Array.from({ length: APPLICATIONS / PER_CALL }, (_, call) => local.put(applications(details.slice(call * PER_CALL, (call + 1) * PER_CALL)))),
  );
  const putMs = Date.now() - started;

  const { events, deadLetters } = await local.waitFor((seen) => outcomesIn(seen.events).length + seen.deadLetters.length >= APPLICATIONS, WITHIN_MS, 250);
  const outcomes = outcomesIn(events);
  const tookMs = Date.now() - started;
  const counts = drillCounts(
    orderIds,
    outcomes.map((record) => record.event.detail.eventKey as string),
    deadLetters.map((letter) => orderIdOf(letter.payload)),
    await local.stalled(5_000),
  );
  printDrill('burst', counts, {
    concurrency: DEFAULT_CONCURRENCY,
    putMs,
    tookSeconds: Number((tookMs / 1000).toFixed(1)),
    perSecond: Math.round(APPLICATIONS / (tookMs / 1000)),
  });

  expect(answers.every((answer) => !answer.FailedEntryCount)).toBe(true);
  expect(counts).toEqual({ delivered: APPLICATIONS, outcomes: APPLICATIONS, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(outcomes.map((record) => record.event['detail-type'])).toEqual(Array(APPLICATIONS).fill('ContractCreated'));
}, 180_000);
