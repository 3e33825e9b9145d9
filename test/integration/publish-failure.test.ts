import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ORDER_SLOT } from '../../functions/store/records';
import { inboundHandlers } from './support/contracts';
import { application, harness, inboundEvent } from './support/fixtures';
import { useTable } from './support/suite';

const t = useTable('publish-failure');

describe('an outcome that cannot be published at first', () => {
  it('is retried from the stream and arrives once; the handler is not failed and makes no second contract', async () => {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    t.h.bus.failNext('throw', 'throw');

    const result = await t.handlers.apply(event);

    expect(result).toEqual({ orderId: detail.orderId, outcome: 'ContractCreated', duplicate: false });
    // Two failed PutEvents calls, then the accepted one.
    expect(t.h.bus.calls).toEqual([1, 1, 1]);
    const outcomes = t.h.bus.forOrder(detail.orderId);
    expect(outcomes).toHaveLength(1);
    const stored = await t.store.getOrder({ orderId: detail.orderId, slot: ORDER_SLOT });
    expect(stored).toMatchObject({ published: true, outcome: { detailType: 'ContractCreated' } });
    expect(outcomes[0]?.detail).toEqual(stored?.outcome.detail);
    expect((await t.store.getLine(detail.lineId))?.contractIds).toHaveLength(1);
  });

  it('keeps a refusal just as well: entries refused by EventBridge are published on the retry', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2024-07-01T09:00:00+09:00', effectiveDate: '2024-06-01' });
    t.h.bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');

    await t.handlers.cancel(event);
    expect(t.h.bus.forOrder(event.detail.orderId).map((e) => e.detailType)).toEqual(['CancellationRejected']);
  });

  it('is left to the stream while its lease runs: a redelivery publishes nothing of its own', async () => {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    await t.handlers.apply(event);
    await Promise.all(Array.from({ length: 5 }, () => t.handlers.apply(event)));

    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
  });
});

describe('an outcome the stream gave up on (lease over, never published)', () => {
  /**
   * The state the stream leaves when it could not publish within its 24 hours: the order
   * unpublished with its lease run out, and no stream record left for it. The unmarking is
   * written while no publisher reads the stream; the next one reads from the end.
   */
  async function abandonedOutcome() {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    await t.handlers.apply(event);
    const key = { orderId: detail.orderId, slot: ORDER_SLOT };
    expect(await t.store.getOrder(key)).toMatchObject({ published: true });
    await t.h.close();
    await t.table.client.send(
      new UpdateItemCommand({
        TableName: t.table.settings.tableName,
        Key: { PK: { S: `ORDER#${detail.orderId}` }, SK: { S: ORDER_SLOT } },
        UpdateExpression: 'SET published = :no, leaseUntil = :past',
        ExpressionAttributeValues: { ':no': { BOOL: false }, ':past': { N: String(Date.now() - 1) } },
      }),
    );
    t.h = harness(t.table);
    t.handlers = inboundHandlers(t.h);
    await t.h.drain();
    expect(t.h.bus.forOrder(detail.orderId)).toEqual([]);
    return { detail, event, key };
  }

  it('is handed back to the stream by the next redelivery, once even when copies arrive together, then published and marked', async () => {
    const { detail, event, key } = await abandonedOutcome();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.handlers.apply(event)));
    await t.handlers.apply(event);

    expect(results.every((r) => 'duplicate' in r && r.duplicate)).toBe(true);
    expect(t.h.bus.forOrder(detail.orderId).map((e) => e.detailType)).toEqual(['ContractCreated']);
    expect(await t.store.getOrder(key)).toMatchObject({ published: true, leaseUntil: 0 });
    expect((await t.store.getLine(detail.lineId))?.contractIds).toHaveLength(1);
  });

  it("is published by the stream's retries when EventBridge fails at first; the redelivery itself does not fail", async () => {
    const { detail, event } = await abandonedOutcome();
    t.h.bus.failNext('throw', 'refuse-entries');

    await expect(t.handlers.apply(event)).resolves.toMatchObject({ duplicate: true });
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
  });
});
