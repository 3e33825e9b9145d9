import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { loadSettings } from '../../../functions/wiring/settings';
import { ORDER_SLOT } from '../../../functions/store/records';
import { tableStore } from '../../../bench/deps';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../../functions/topology/routing';
import type { DeadLetter, EventRecord } from '../../../local/event-bus';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { TapLogger, type LogLine } from '../../../local/tap-logger';
import { dynamoDbEndpoint, extraClient } from '../support/dynamodb';
import { application } from '../support/fixtures';
import { FaultyProxy } from './support/faulty-proxy';
import { drillCounts, printDrill, stalledAfter } from './support/drills';

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

let proxy: FaultyProxy;
let stack: LocalStack;
let eventBridge: EventBridgeClient;
let tableName: string;
const logged: LogLine[] = [];

beforeAll(async () => {
  proxy = await FaultyProxy.start(dynamoDbEndpoint());
  const settings = loadSettings({
    TABLE_NAME: `drill-slow-${randomUUID().slice(0, 8)}`,
    DYNAMODB_ENDPOINT: proxy.url,
    RENEWAL_SHARDS: '4',
    AWS_ATTEMPT_TIMEOUT_MS: '2000',
  });
  tableName = settings.tableName;
  stack = await startLocalStack({ port: 0, settings, retry: { maxAttempts: 3, baseDelayMs: 250 }, logger: new TapLogger((line) => logged.push(line)) });
  eventBridge = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'drill', secretAccessKey: 'drill' } });
});

afterAll(async () => {
  eventBridge?.destroy();
  await stack?.stop();
  await proxy?.close();
});

async function get<T>(path: string): Promise<T> {
  return (await (await fetch(`${stack.url}${path}`)).json()) as T;
}

const orderIdOf = (value: unknown): string => (value as { detail?: { orderId?: string } } | null)?.detail?.orderId ?? '';

/** What lookups answer while DynamoDB is slow: status, and Retry-After on a 503. */
async function lookUp(path: string): Promise<string> {
  const response = await fetch(`${stack.url}${path}`);
  await response.arrayBuffer();
  return response.status === 503 ? `503 retry-after ${response.headers.get('retry-after')}` : String(response.status);
}

it('stores and publishes every order while DynamoDB answers in 3 to 8 s, dead-letters none that was stored, and answers lookups with 503, not 500', async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  const orderIds = details.map((detail) => detail.orderId);
  const started = Date.now();
  const lookups: Array<Promise<string>> = [];
  for (let call = 0; call * PER_CALL < APPLICATIONS; call++) {
    if (call === SLOW_AFTER_CALLS) proxy.slow(SLOW_MS, DELAY);
    const entries = details.slice(call * PER_CALL, (call + 1) * PER_CALL).map((detail) => ({
      EventBusName: DEFAULT_BUS_NAME,
      Source: INBOUND_SOURCE,
      DetailType: 'ContractApplicationSubmitted',
      Detail: JSON.stringify(detail),
    }));
    const answer = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    expect(answer.FailedEntryCount ?? 0).toBe(0);
    if (call > SLOW_AFTER_CALLS && call % 3 === 0) {
      lookups.push(lookUp(`/orders/${encodeURIComponent(orderIds[0] ?? '')}`), lookUp(`/contracts/C-${call}`));
    }
    await sleep(EVERY_MS);
  }

  let outcomes: EventRecord[] = [];
  let deadLetters: DeadLetter[] = [];
  for (let waited = 0; waited < 60_000; waited += 250) {
    const { events } = await get<{ events: EventRecord[] }>('/_local/events');
    outcomes = events.filter((record) => record.event.source === OUTBOUND_SOURCE);
    deadLetters = (await get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).deadLetters;
    const busSettled = events.every((record) => record.state === 'delivered' || record.state === 'dead-lettered');
    const answered = new Set([...outcomes.map((record) => orderIdOf(record.event)), ...deadLetters.map((letter) => orderIdOf(letter.payload))]);
    if (busSettled && orderIds.every((id) => answered.has(id))) break;
    await sleep(250);
  }
  const tookMs = Date.now() - started;
  const lookupAnswers = await Promise.all(lookups);

  const reader = extraClient();
  const store = tableStore({ client: reader, tableName, renewalShards: 4 });
  const letteredIds = deadLetters.map((letter) => orderIdOf(letter.payload));
  const storedButLettered = (await Promise.all(letteredIds.map((orderId) => store.getOrder({ orderId, slot: ORDER_SLOT })))).filter(Boolean).length;
  const withOutcome = new Set(outcomes.map((record) => orderIdOf(record.event)));
  const counts = drillCounts(
    orderIds,
    outcomes.map((record) => record.event.detail.eventKey as string),
    letteredIds,
    await stalledAfter(reader, tableName, 10_000),
  );
  reader.destroy();
  printDrill('slow dynamodb', counts, {
    orders: APPLICATIONS,
    ordersWithOutcome: orderIds.filter((id) => withOutcome.has(id)).length,
    storedButDeadLettered: storedButLettered,
    landedDespiteTimeouts: logged.filter((line) => line.message === LANDED_MESSAGE).length,
    lookups: lookupAnswers,
    proxy: proxy.counts,
    slowMs: SLOW_MS,
    tookSeconds: Number((tookMs / 1000).toFixed(1)),
  });

  expect(proxy.counts.delayed).toBeGreaterThan(0);
  expect(storedButLettered).toBe(0);
  expect(counts).toMatchObject({ lost: 0, stalled: 0 });
  expect(orderIds.filter((id) => withOutcome.has(id))).toHaveLength(APPLICATIONS);
  expect(lookupAnswers.length).toBeGreaterThan(0);
  for (const answer of lookupAnswers) expect(['200', '404', `503 retry-after 5`]).toContain(answer);
}, 120_000);
