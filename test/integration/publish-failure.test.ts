import { ORDER_SLOT } from '../../functions/store/contract-store';
import { OutcomeNotPublishedError } from '../../functions/use-cases/orders';
import { application, inboundEvent } from './support/fixtures';
import { useTable } from './support/suite';

const t = useTable('publish-failure');

describe('an outcome that cannot be published after the write', () => {
  it('fails the handler, and the retried event publishes the stored outcome once, without a second contract', async () => {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    t.h.bus.failNext('throw');

    await expect(t.handlers.apply(event)).rejects.toBeInstanceOf(OutcomeNotPublishedError);
    expect(t.h.bus.published).toEqual([]);
    const stored = await t.store.getOrder({ orderId: detail.orderId, slot: ORDER_SLOT });
    expect(stored).toMatchObject({ published: false, leaseUntil: 0, outcome: { detailType: 'ContractCreated' } });

    const retried = await t.handlers.apply(event);
    const redelivered = await t.handlers.apply(event);

    expect(retried).toEqual({ orderId: detail.orderId, outcome: 'ContractCreated', duplicate: true });
    expect(redelivered).toMatchObject({ duplicate: true });
    const outcomes = t.h.bus.forOrder(detail.orderId);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.detail).toEqual(stored?.outcome.detail);
    expect((await t.store.getLine(detail.lineId))?.contractIds).toHaveLength(1);
    expect(await t.store.getOrder({ orderId: detail.orderId, slot: ORDER_SLOT })).toMatchObject({ published: true });
  });

  it('keeps a refusal just as well: the retry publishes the stored rejection', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2024-07-01T09:00:00+09:00', effectiveDate: '2024-06-01' });
    t.h.bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');

    await expect(t.handlers.cancel(event)).rejects.toBeInstanceOf(OutcomeNotPublishedError);
    await t.handlers.cancel(event);
    expect(t.h.bus.forOrder(event.detail.orderId).map((e) => e.detailType)).toEqual(['CancellationRejected']);
  });

  it('rides out refused entries within one invocation when a resend is accepted', async () => {
    const detail = application();
    t.h.bus.failNext('refuse-entries');
    const result = await t.handlers.apply(inboundEvent('ContractApplicationSubmitted', detail));

    expect(result).toMatchObject({ duplicate: false, outcome: 'ContractCreated' });
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
  });

  it('publishes once when retries of a failed publication arrive together', async () => {
    const detail = application();
    const event = inboundEvent('ContractApplicationSubmitted', detail);
    t.h.bus.failNext('throw');
    await expect(t.handlers.apply(event)).rejects.toThrow();

    await Promise.all(Array.from({ length: 10 }, () => t.handlers.apply(event)));
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
  });
});
