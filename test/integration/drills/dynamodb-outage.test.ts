import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { loadSettings } from '../../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../../functions/topology/routing';
import { silentLogger } from '../../support/observability';
import type { DeadLetter, EventRecord } from '../../../local/event-bus';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { dynamoDbEndpoint } from '../support/dynamodb';
import { application } from '../support/fixtures';
import { FaultyProxy } from './support/faulty-proxy';
import { drillCounts, printDrill, stalledAfter } from './support/drills';
import { extraClient } from '../support/dynamodb';

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

let proxy: FaultyProxy;
let stack: LocalStack;
let eventBridge: EventBridgeClient;
let settingsTableName: string;

beforeAll(async () => {
  proxy = await FaultyProxy.start(dynamoDbEndpoint());
  const settings = loadSettings({ TABLE_NAME: `drill-outage-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: proxy.url, RENEWAL_SHARDS: '4' });
  settingsTableName = settings.tableName;
  stack = await startLocalStack({ port: 0, settings, retry: { maxAttempts: 3, baseDelayMs: 250 }, logger: silentLogger() });
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

async function put(details: Array<Record<string, unknown>>): Promise<void> {
  const entries = details.map((detail) => ({
    EventBusName: DEFAULT_BUS_NAME,
    Source: INBOUND_SOURCE,
    DetailType: 'ContractApplicationSubmitted',
    Detail: JSON.stringify(detail),
  }));
  const answer = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
  if (answer.FailedEntryCount) throw new Error(`PutEvents refused entries: ${JSON.stringify(answer.Entries)}`);
}

/**
 * Waits until no inbound event is pending or retrying and every order has what `done`
 * asks of it (outcomes come from the table's stream a moment after the delivery), then
 * returns every event and dead letter; after 45 s, what there is, for the counts to show
 * what is missing.
 */
async function settled(orderIds: string[], done: (counts: ReturnType<typeof tally>) => boolean): Promise<{ events: EventRecord[]; deadLetters: DeadLetter[] }> {
  for (let waited = 0; ; waited += 200) {
    const { events } = await get<{ events: EventRecord[] }>('/_local/events');
    const seen = { events, deadLetters: (await get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).deadLetters };
    const busSettled = events.every((record) => record.state === 'delivered' || record.state === 'dead-lettered');
    if ((busSettled && done(tally(orderIds, seen))) || waited >= 45_000) return seen;
    await sleep(200);
  }
}

const orderIdOf = (value: unknown): string | undefined => (value as { detail?: { orderId?: string } } | null)?.detail?.orderId;

function tally(orderIds: string[], { events, deadLetters }: { events: EventRecord[]; deadLetters: DeadLetter[] }) {
  const outcomes = events.filter((record) => record.event.source === OUTBOUND_SOURCE);
  const withOutcome = new Set(outcomes.map((record) => orderIdOf(record.event)));
  const withLetter = new Set(deadLetters.map((letter) => orderIdOf(letter.payload)));
  const ofOurs = outcomes.filter((record) => orderIds.includes(orderIdOf(record.event) ?? ''));
  return {
    outcomes: outcomes.length,
    // Deliveries beyond the first of an order's outcome (at-least-once: bounded by the failed marks).
    duplicates: ofOurs.length - new Set(ofOurs.map((record) => orderIdOf(record.event))).size,
    ordersWithOutcome: orderIds.filter((id) => withOutcome.has(id)).length,
    ordersDeadLettered: orderIds.filter((id) => withLetter.has(id)).length,
    lost: orderIds.filter((id) => !withOutcome.has(id) && !withLetter.has(id)).length,
    lettersWithoutReason: deadLetters.filter((letter) => letter.reason.trim() === '').length,
  };
}

it('ends every event of a stream as an outcome or a dead letter with its reason while DynamoDB is down, and a redrive completes them', async () => {
  const details = Array.from({ length: APPLICATIONS }, () => application());
  let healthDuringOutage: { status: number; body: unknown } | null = null;
  for (let call = 0; call * PER_CALL < APPLICATIONS; call++) {
    if (call === OUTAGE_AFTER_CALLS) {
      proxy.outage(OUTAGE_MS);
      const health = await fetch(`${stack.url}/health`);
      healthDuringOutage = { status: health.status, body: await health.json() };
    }
    await put(details.slice(call * PER_CALL, (call + 1) * PER_CALL));
    await sleep(EVERY_MS);
  }
  const orderIds = details.map((detail) => detail.orderId);
  const afterOutage = tally(orderIds, await settled(orderIds, (counts) => counts.lost === 0));
  const faults = { ...proxy.counts };

  const { deadLetters } = await get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters');
  const redriven = deadLetters.map((letter) => (letter.payload as { detail: Record<string, unknown> }).detail);
  for (let i = 0; i < redriven.length; i += 10) await put(redriven.slice(i, i + 10));
  const final = await settled(orderIds, (counts) => counts.ordersWithOutcome === APPLICATIONS);
  const afterRedrive = tally(orderIds, final);
  const created = final.events.filter((record) => record.event['detail-type'] === 'ContractCreated');
  const contractsFound = await Promise.all(
    created.map(async (record) => (await fetch(`${stack.url}/contracts/${(record.event.detail.contract as { contractId: string }).contractId}`)).status),
  );

  // The outcome publisher's one UpdateItem is the mark; a refused one is a failed mark (the inbound functions
  // update an order only to renew a lease after 24 hours, which no order here reaches).
  const failedMarks = proxy.refusedByOperation.UpdateItem ?? 0;
  const reader = extraClient();
  const ourOutcomes = final.events.filter((record) => record.event.source === OUTBOUND_SOURCE && orderIds.includes(orderIdOf(record.event) ?? ''));
  const drill = drillCounts(
    [...orderIds, ...redriven.map((detail) => detail.orderId as string)],
    ourOutcomes.map((record) => record.event.detail.eventKey as string),
    deadLetters.map((letter) => orderIdOf(letter.payload) ?? ''),
    await stalledAfter(reader, settingsTableName, 10_000),
  );
  reader.destroy();
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
  expect((await fetch(`${stack.url}/health`)).status).toBe(200);
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
