import { EventBridgePublisher, PublishError } from '../../functions/events/publisher';
import type { OutboundEvent } from '../../functions/domain/outbound-events';
import { FakeEventBridge } from '../support/fake-event-bridge';

const events = (n: number): OutboundEvent[] =>
  Array.from({ length: n }, (_, i) => ({ detailType: 'ContractRenewed', detail: { eventKey: `c-${i}#term-2`, contract: { contractId: `c-${i}` } } }));

describe('EventBridgePublisher', () => {
  let bus: FakeEventBridge;
  let publisher: EventBridgePublisher;
  beforeEach(() => {
    bus = new FakeEventBridge();
    publisher = new EventBridgePublisher({ client: bus.client, eventBusName: 'omakase-contracts', retryDelayMs: 1 });
  });

  it('sends at most 10 entries a call, on the bus, with source omakase.contracts', async () => {
    await publisher.publish(events(23));
    expect(bus.calls).toEqual([10, 10, 3]);
    expect(bus.published.map((e) => e.detail.contract.contractId)).toEqual(events(23).map((e) => (e.detail.contract as { contractId: string }).contractId));
    expect(new Set(bus.published.map((e) => `${e.source} ${e.eventBusName}`))).toEqual(new Set(['omakase.contracts omakase-contracts']));
  });

  it('resends only the entries FailedEntryCount reports, once each', async () => {
    bus.failNext('refuse-entries');
    bus.refusePositions([1, 4]);
    await publisher.publish(events(10));

    expect(bus.calls).toEqual([10, 2]);
    expect(bus.published.map((e) => e.detail.contract.contractId).sort()).toEqual(
      events(10)
        .map((e) => (e.detail.contract as { contractId: string }).contractId)
        .sort(),
    );
  });

  it('gives up after a bounded number of rounds and names what was not accepted', async () => {
    bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries', 'refuse-entries');
    bus.refusePositions([0]);
    const error = await publisher.publish(events(3)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PublishError);
    expect(bus.calls).toEqual([3, 1, 1]);
    expect((error as PublishError).published).toBe(2);
    expect((error as PublishError).failed).toEqual([{ event: events(3)[0], errorCode: 'InternalFailure', errorMessage: 'injected failure', permanent: false }]);
  });

  it('also splits calls by size: at most 256 KB of entries a call, in order', async () => {
    const big = (i: number): OutboundEvent => ({
      detailType: 'ContractCreated',
      detail: { eventKey: `o-${i}`, orderId: `o-${i}`, padding: 'x'.repeat(100_000) },
    });
    await publisher.publish([big(0), big(1), big(2), big(3), big(4)]);
    expect(bus.calls).toEqual([2, 2, 1]);
    expect(bus.published.map((e) => e.detail.orderId)).toEqual(['o-0', 'o-1', 'o-2', 'o-3', 'o-4']);
  });

  it('sends no event too large for any call, and reports it as permanent; the others go out', async () => {
    const huge: OutboundEvent = { detailType: 'ContractCreated', detail: { eventKey: 'huge', orderId: 'huge', padding: 'x'.repeat(300_000) } };
    const error = await publisher.publish([events(1)[0], huge, events(2)[1]]).catch((e: unknown) => e);
    expect((error as PublishError).failed).toEqual([
      { event: huge, errorCode: 'EntryTooLarge', errorMessage: expect.stringContaining('bytes'), permanent: true },
    ]);
    expect(bus.published.map((e) => e.detail.contract?.contractId)).toEqual(['c-0', 'c-1']);
  });

  it('sends nothing after a call it could not get accepted, so that a retry of the whole delivers nothing twice', async () => {
    bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');
    bus.refusePositions([3]);
    const error = await publisher.publish(events(25)).catch((e: unknown) => e);
    expect(bus.calls).toEqual([10, 1, 1]);
    const failed = (error as PublishError).failed;
    expect(failed.map((f) => f.errorCode)).toEqual(['InternalFailure', ...Array.from({ length: 15 }, () => 'NotAttempted')]);
    expect((error as PublishError).published).toBe(9);
  });

  it('lets a failed call surface as an error', async () => {
    bus.failNext('throw');
    await expect(publisher.publish(events(1))).rejects.toThrow('ECONNREFUSED');
  });
});
