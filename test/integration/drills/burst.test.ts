import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { loadSettings } from '../../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../../functions/topology/routing';
import { DEFAULT_CONCURRENCY, type DeadLetter, type EventRecord } from '../../../local/event-bus';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { silentLogger } from '../../support/observability';
import { dynamoDbEndpoint, extraClient } from '../support/dynamodb';
import { application } from '../support/fixtures';
import { drillCounts, printDrill, stalledAfter } from './support/drills';

/**
 * Drill: a burst of applications put on the local stack at once, as `npm start` runs it.
 * The bus delivers to each function DEFAULT_CONCURRENCY at a time and queues the rest, so
 * DynamoDB Local is not drowned: every application gets its outcome, none is dead-lettered
 * or lost. Prints how long the burst took from the first PutEvents to the last outcome.
 */
const APPLICATIONS = 1_000;
const PER_CALL = 10;
const WITHIN_MS = 50_000;

let stack: LocalStack;
let eventBridge: EventBridgeClient;
let tableName: string;

beforeAll(async () => {
  const settings = loadSettings({ TABLE_NAME: `drill-burst-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: dynamoDbEndpoint(), RENEWAL_SHARDS: '4' });
  tableName = settings.tableName;
  stack = await startLocalStack({ port: 0, settings, logger: silentLogger() });
  eventBridge = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'drill', secretAccessKey: 'drill' } });
});

afterAll(async () => {
  eventBridge?.destroy();
  await stack?.stop();
});

async function get<T>(path: string): Promise<T> {
  return (await (await fetch(`${stack.url}${path}`)).json()) as T;
}

const orderIdOf = (value: unknown): string => (value as { detail?: { orderId?: string } } | null)?.detail?.orderId ?? '';

it(`gives each of ${APPLICATIONS} applications put at once its outcome, with no dead letter`, async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  const orderIds = details.map((detail) => detail.orderId);
  const started = Date.now();
  // All calls at once: the burst reaches the bus as fast as the server takes it.
  const answers = await Promise.all(
    Array.from({ length: APPLICATIONS / PER_CALL }, (_, call) =>
      eventBridge.send(
        new PutEventsCommand({
          Entries: details.slice(call * PER_CALL, (call + 1) * PER_CALL).map((detail) => ({
            EventBusName: DEFAULT_BUS_NAME,
            Source: INBOUND_SOURCE,
            DetailType: 'ContractApplicationSubmitted',
            Detail: JSON.stringify(detail),
          })),
        }),
      ),
    ),
  );
  const putMs = Date.now() - started;

  let outcomes: EventRecord[] = [];
  let deadLetters: DeadLetter[] = [];
  for (let waited = 0; waited < WITHIN_MS; waited += 250) {
    const { events } = await get<{ events: EventRecord[] }>('/_local/events');
    outcomes = events.filter((record) => record.event.source === OUTBOUND_SOURCE);
    deadLetters = (await get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).deadLetters;
    if (outcomes.length + deadLetters.length >= APPLICATIONS) break;
    await sleep(250);
  }
  const tookMs = Date.now() - started;
  const reader = extraClient();
  const counts = drillCounts(
    orderIds,
    outcomes.map((record) => record.event.detail.eventKey as string),
    deadLetters.map((letter) => orderIdOf(letter.payload)),
    await stalledAfter(reader, tableName, 5_000),
  );
  reader.destroy();
  printDrill('burst', counts, {
    concurrency: DEFAULT_CONCURRENCY,
    putMs,
    tookSeconds: Number((tookMs / 1000).toFixed(1)),
    perSecond: Math.round(APPLICATIONS / (tookMs / 1000)),
  });

  expect(answers.every((answer) => !answer.FailedEntryCount)).toBe(true);
  expect(counts).toEqual({ delivered: APPLICATIONS, outcomes: APPLICATIONS, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(outcomes.map((record) => record.event['detail-type'])).toEqual(Array(APPLICATIONS).fill('ContractCreated'));
}, 90_000);
