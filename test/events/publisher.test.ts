import { EventBridgePublisher, PublishError } from '../../functions/events/publisher';
import type { OutboundEvent } from '../../functions/domain/outbound-events';
import { FakeEventBridge } from '../support/fake-event-bridge';

const events = (n: number): OutboundEvent[] =>
  Array.from({ length: n }, (_, i) => ({ detailType: 'ContractRenewed', detail: { contract: { contractId: `c-${i}` } } }));

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
    expect((error as PublishError).failed).toEqual([{ event: events(3)[0], errorCode: 'InternalFailure', errorMessage: 'injected failure' }]);
  });

  it('lets a failed call surface as an error', async () => {
    bus.failNext('throw');
    await expect(publisher.publish(events(1))).rejects.toThrow('ECONNREFUSED');
  });
});
