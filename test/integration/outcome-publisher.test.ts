import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createOutcomePublisherHandler } from '../../functions/handlers/outcome-publisher';
import { ORDER_SLOT, type NewOrder } from '../../functions/store/records';
import type { TableStore } from '../../bench/deps';
import { FakeEventBridge } from '../support/fake-event-bridge';
import { testDeps } from '../support/handler-deps';
import { InMemoryDeadLetterSink, RecordingLogger } from '../support/observability';
import { freshTable, type TestTable } from './support/dynamodb';
import { fixedClock, newOrderId } from './support/fixtures';
import { storeOn } from './support/suite';

/**
 * The handler the table's stream feeds, given records shaped as Lambda delivers them.
 * No stream mapping runs on this table, so only these calls publish.
 */
let table: TestTable;
let store: TableStore;
beforeAll(async () => {
  table = await freshTable('outcome-publisher');
  store = storeOn(table);
});
afterAll(() => table.client.destroy());

const logger = new RecordingLogger();
const errors = () => logger.lines.filter((line) => line.level === 'ERROR').map(({ message, fields }) => ({ message, fields }));

function setup() {
  const bus = new FakeEventBridge();
  const deadLetters = new InMemoryDeadLetterSink();
  const handler = createOutcomePublisherHandler(
    testDeps({
      dynamoDb: table.client,
      settings: table.settings,
      eventBridge: bus.client,
      deadLetters,
      clock: fixedClock('2024-06-01T10:00:00+09:00'),
      logger,
    }),
  );
  return { bus, handler, deadLetters };
}

let sequence = 0;
/** Writes an order with a stored refusal, as the inbound handlers do, and returns its stream record. */
async function storedOrder(padding = ''): Promise<{ orderId: string; record: DynamoDBRecord }> {
  const orderId = newOrderId('pub');
  const order: NewOrder = {
    orderId,
    slot: ORDER_SLOT,
    fingerprint: 'fp',
    outcome: { detailType: 'ContractApplicationRejected', detail: { eventKey: orderId, orderId, reasons: [], ...(padding ? { padding } : {}) } },
    leaseUntil: Date.now() + 60_000,
    at: '2024-06-01T10:00:00+09:00',
  };
  expect(await store.recordOrder(order)).toEqual({ status: 'written' });
  const item = {
    PK: `ORDER#${orderId}`,
    SK: ORDER_SLOT,
    orderId,
    fingerprint: order.fingerprint,
    outcome: order.outcome,
    leaseUntil: order.leaseUntil,
    at: order.at,
    published: false,
  };
  return { orderId, record: streamRecord('INSERT', item) };
}

function streamRecord(eventName: 'INSERT' | 'MODIFY', item: Record<string, unknown>): DynamoDBRecord {
  sequence += 1;
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const event = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

describe('outcome publisher (fed by the table stream)', () => {
  beforeEach(() => logger.lines.splice(0));

  it('publishes each stored outcome once, in order, and marks its order published', async () => {
    const { bus, handler } = setup();
    const orders = await Promise.all(Array.from({ length: 12 }, storedOrder));
    const result = await handler(event(orders.map((o) => o.record)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual(orders.map((o) => o.orderId));
    expect(bus.published.every((e) => e.source === 'omakase.contracts' && e.detailType === 'ContractApplicationRejected')).toBe(true);
    for (const { orderId } of orders) expect(await store.getOrder({ orderId, slot: ORDER_SLOT })).toMatchObject({ published: true, leaseUntil: 0 });
  });

  it('reports the first record it could not publish, and the retry from there publishes the rest', async () => {
    const { bus, handler } = setup();
    const orders = await Promise.all(Array.from({ length: 5 }, storedOrder));
    bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');
    bus.refusePositions([2]);
    const first = await handler(event(orders.map((o) => o.record)));

    // Every record from the first refused one on: Lambda retries from the lowest.
    expect(first).toEqual({ batchItemFailures: orders.slice(2).map((o) => ({ itemIdentifier: o.record.dynamodb?.SequenceNumber })) });
    expect(await store.getOrder({ orderId: orders[1].orderId, slot: ORDER_SLOT })).toMatchObject({ published: true });
    expect(await store.getOrder({ orderId: orders[2].orderId, slot: ORDER_SLOT })).toMatchObject({ published: false });
    expect(errors().map((e) => e.message)).toEqual(['outcomes not all published; the stream retries from the first one left']);

    // Lambda retries from the reported record on.
    const retry = await handler(event(orders.slice(2).map((o) => o.record)));
    expect(retry).toEqual({ batchItemFailures: [] });
    for (const { orderId } of orders) {
      expect(bus.forOrder(orderId).length).toBeGreaterThanOrEqual(1);
      expect(await store.getOrder({ orderId, slot: ORDER_SLOT })).toMatchObject({ published: true });
    }
    expect(bus.forOrder(orders[0].orderId)).toHaveLength(1);
  });

  it('dead-letters outcomes too large for EventBridge wherever they sit in the batch, and counts their records done', async () => {
    const { bus, handler, deadLetters } = setup();
    // Under DynamoDB's 400 KB item, over PutEvents' 256 KB.
    const large = 'x'.repeat(300_000);
    const orders = [await storedOrder(large), await storedOrder(), await storedOrder(), await storedOrder(large)];

    expect(await handler(event(orders.map((o) => o.record)))).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual([orders[1].orderId, orders[2].orderId]);
    expect(deadLetters.letters.map((letter) => letter.reason)).toEqual(
      [0, 3].map((i) => expect.stringContaining(`ORDER#${orders[i].orderId} ORDER can never be published: EntryTooLarge`)),
    );
    expect(logger.lines.find((line) => line.message === 'outcomes published')?.fields).toMatchObject({ records: 4, published: 2, deadLettered: 2 });
  });

  it('passes over records that are not unpublished outcomes (the filter the mapping applies)', async () => {
    const { bus, handler } = setup();
    const { orderId, record } = await storedOrder();
    const marked = streamRecord('MODIFY', { PK: `ORDER#${orderId}`, SK: ORDER_SLOT, orderId, published: true });
    const contract = streamRecord('INSERT', { PK: 'CONTRACT#c-1', SK: 'CONTRACT', version: 1 });

    expect(await handler(event([contract, marked, record]))).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual([orderId]);
    expect(errors()).toEqual([]);
  });

  it('publishes an outcome a redelivery handed back to the stream (a MODIFY still unpublished)', async () => {
    const { bus, handler } = setup();
    const { orderId, record } = await storedOrder();
    const requeued = { ...record, eventName: 'MODIFY' as const };

    expect(await handler(event([requeued]))).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual([orderId]);
    expect(await store.getOrder({ orderId, slot: ORDER_SLOT })).toMatchObject({ published: true });
  });

  it('dead-letters an unreadable order item whole, with its reason, logs it, and publishes the others', async () => {
    const { bus, handler, deadLetters } = setup();
    const good = await storedOrder();
    const broken = streamRecord('INSERT', { PK: 'ORDER#x', SK: ORDER_SLOT, orderId: 'x', published: false, outcome: { detail: {} } });

    expect(await handler(event([broken, good.record]))).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual([good.orderId]);
    expect(deadLetters.letters).toEqual([{ at: expect.any(String), reason: expect.stringContaining('outcome.detailType'), payload: broken }]);
    expect(errors()).toEqual([
      {
        message: 'stream record dead-lettered: it cannot be published',
        fields: { keys: broken.dynamodb?.Keys, reason: expect.stringContaining('outcome.detailType') },
      },
    ]);
  });

  it('fails the record, for the stream to retry it, when the dead-letter queue cannot take it: nothing is dropped', async () => {
    const { handler, deadLetters } = setup();
    const broken = streamRecord('INSERT', { PK: 'ORDER#y', SK: ORDER_SLOT, orderId: 'y', published: false, outcome: { detail: {} } });
    deadLetters.deadLetter = () => {
      throw new Error('queue unavailable');
    };
    expect(await handler(event([broken]))).toEqual({ batchItemFailures: [{ itemIdentifier: broken.dynamodb?.SequenceNumber }] });
  });
});
