import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ORDER_SLOT } from '../../functions/store/contract-store';
import { OutcomeNotPublishedError } from '../../functions/use-cases/orders';
import { application, inboundEvent } from './support/fixtures';
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
  /** The state the stream leaves when it could not publish within its 24 hours. */
  async function abandonedOutcome() {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    await t.handlers.apply(event);
    const key = { orderId: detail.orderId, slot: ORDER_SLOT };
    const published = await t.store.getOrder(key);
    expect(published).toMatchObject({ published: true });
    // Unmarking is a MODIFY record, which the stream's filter leaves alone.
    await t.table.client.send(
      new UpdateItemCommand({
        TableName: t.table.settings.tableName,
        Key: { PK: { S: `ORDER#${detail.orderId}` }, SK: { S: ORDER_SLOT } },
        UpdateExpression: 'SET published = :no, leaseUntil = :past',
        ExpressionAttributeValues: { ':no': { BOOL: false }, ':past': { N: String(Date.now() - 1) } },
      }),
    );
    t.h.bus.published.splice(0);
    return { detail, event, key };
  }

  it('is published once by the next redelivery, even when copies arrive together, and marked', async () => {
    const { detail, event, key } = await abandonedOutcome();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.handlers.apply(event)));

    expect(results.every((r) => 'duplicate' in r && r.duplicate)).toBe(true);
    expect(t.h.bus.forOrder(detail.orderId).map((e) => e.detailType)).toEqual(['ContractCreated']);
    expect(await t.store.getOrder(key)).toMatchObject({ published: true, leaseUntil: 0 });
  });

  it('fails the redelivery when publishing fails, and the next one publishes it', async () => {
    const { detail, event } = await abandonedOutcome();
    t.h.bus.failNext('throw');

    await expect(t.handlers.apply(event)).rejects.toBeInstanceOf(OutcomeNotPublishedError);
    expect(t.h.bus.forOrder(detail.orderId)).toEqual([]);
    await t.handlers.apply(event);
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
  });
});
