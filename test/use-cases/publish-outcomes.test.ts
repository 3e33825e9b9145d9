import { EventBridgePublisher } from '../../functions/events/publisher';
import type { OutboxKey } from '../../functions/store/records';
import { PublishedOutcomes, publishStoredOutcomes, type StoredOutcome } from '../../functions/use-cases/publish-outcomes';
import { FakeEventBridge } from '../support/fake-event-bridge';
import { InMemoryDeadLetterSink } from '../support/observability';

const stored = (n: number): StoredOutcome[] =>
  Array.from({ length: n }, (_, i) => ({
    key: { PK: `ORDER#ORD-${i}`, SK: 'ORDER' },
    outcome: { detailType: 'ContractCreated', detail: { eventKey: `ORD-${i}`, orderId: `ORD-${i}` } },
    position: `seq-${String(i).padStart(3, '0')}`,
  }));

/** The one store method the use case calls; `failOn` makes marking that order fail as DynamoDB would. */
function markingStore(failOn: string[] = []) {
  const marked: string[] = [];
  const store = {
    async markPublished(key: OutboxKey) {
      const orderId = key.PK.replace('ORDER#', '');
      if (failOn.includes(orderId)) throw Object.assign(new Error('Service unavailable (injected)'), { name: 'ServiceUnavailable' });
      marked.push(orderId);
    },
  };
  return { store, marked };
}

describe('publishStoredOutcomes', () => {
  let bus: FakeEventBridge;
  let publisher: EventBridgePublisher;
  let deadLetters: InMemoryDeadLetterSink;
  beforeEach(() => {
    deadLetters = new InMemoryDeadLetterSink();
    bus = new FakeEventBridge();
    publisher = new EventBridgePublisher({ client: bus.client, eventBusName: 'omakase-contracts', retryDelayMs: 1 });
  });

  it('publishes every outcome in stream order, ten a call, and marks each order published', async () => {
    const { store, marked } = markingStore();
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, stored(23));

    expect(summary).toEqual({ published: 23, deadLettered: 0, retryFrom: null, error: null });
    expect(bus.calls).toEqual([10, 10, 3]);
    expect(bus.published.map((e) => e.detail.orderId)).toEqual(stored(23).map((s) => s.outcome.detail.orderId));
    expect(marked.sort()).toEqual(
      stored(23)
        .map((s) => s.outcome.detail.orderId)
        .sort(),
    );
  });

  it('stops at the first outcome EventBridge keeps refusing: the ones before are marked, the retry starts there', async () => {
    const { store, marked } = markingStore();
    bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');
    bus.refusePositions([3]);
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, stored(15));

    expect(summary).toMatchObject({ published: 3, retryFrom: 'seq-003', error: expect.stringContaining('PublishError') });
    // Outcomes after the refused one may be out already, but stay unmarked: the retry from seq-003 publishes them again.
    expect(marked.sort()).toEqual(['ORD-0', 'ORD-1', 'ORD-2']);
    expect(bus.published.map((e) => e.detail.orderId)).not.toContain('ORD-3');
  });

  it('marks nothing and retries from the first outcome when PutEvents itself fails', async () => {
    const { store, marked } = markingStore();
    bus.failNext('throw');
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, stored(4));

    expect(summary).toMatchObject({ published: 0, retryFrom: 'seq-000', error: expect.stringContaining('ECONNREFUSED') });
    expect(marked).toEqual([]);
  });

  it('retries from the first outcome it could not mark, even though it was published', async () => {
    const { store, marked } = markingStore(['ORD-12']);
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, stored(15));

    expect(summary).toMatchObject({ published: 12, retryFrom: 'seq-012', error: expect.stringContaining('Service unavailable') });
    expect(marked).toHaveLength(14);
    expect(marked).not.toContain('ORD-12');
  });

  it('has nothing to do for an empty batch', async () => {
    const { store } = markingStore();
    expect(await publishStoredOutcomes({ publisher, store, deadLetters }, [])).toEqual({ published: 0, deadLettered: 0, retryFrom: null, error: null });
    expect(bus.calls).toEqual([]);
  });
  it('puts an outcome too large for EventBridge in the dead-letter queue, with its reason, and publishes and marks the others', async () => {
    const { store, marked } = markingStore();
    const outcomes = stored(3);
    outcomes[1] = { ...outcomes[1], outcome: { detailType: 'ContractCreated', detail: { eventKey: 'ORD-1', orderId: 'ORD-1', padding: 'x'.repeat(300_000) } } };
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, outcomes);

    expect(summary).toEqual({ published: 2, deadLettered: 1, retryFrom: null, error: null });
    expect(bus.published.map((e) => e.detail.orderId)).toEqual(['ORD-0', 'ORD-2']);
    expect(marked.sort()).toEqual(['ORD-0', 'ORD-2']);
    expect(deadLetters.letters).toEqual([{ at: expect.any(String), reason: expect.stringContaining('EntryTooLarge'), payload: outcomes[1] }]);
  });

  it('retries from an outcome too large for EventBridge when the dead-letter queue cannot take it either', async () => {
    const { store } = markingStore();
    const outcomes = stored(3);
    outcomes[1] = { ...outcomes[1], outcome: { detailType: 'ContractCreated', detail: { eventKey: 'ORD-1', orderId: 'ORD-1', padding: 'x'.repeat(300_000) } } };
    deadLetters.deadLetter = () => {
      throw new Error('queue unavailable');
    };
    const summary = await publishStoredOutcomes({ publisher, store, deadLetters }, outcomes);
    expect(summary).toMatchObject({ published: 1, retryFrom: outcomes[1].position, error: expect.stringContaining('queue unavailable') });
  });
  it('on the retry of a batch whose marks failed, marks again what this instance published, without publishing it again', async () => {
    const published = new PublishedOutcomes();
    const failing = markingStore(['ORD-1', 'ORD-2']);
    const first = await publishStoredOutcomes({ publisher, store: failing.store, deadLetters, published }, stored(4));
    expect(first).toMatchObject({ published: 1, retryFrom: 'seq-001' });
    expect(bus.published).toHaveLength(4);

    // The stream hands over the batch again from the first unmarked outcome.
    const healthy = markingStore();
    const retry = await publishStoredOutcomes({ publisher, store: healthy.store, deadLetters, published }, stored(4).slice(1));
    expect(retry).toEqual({ published: 3, deadLettered: 0, retryFrom: null, error: null });
    expect(bus.published).toHaveLength(4);
    expect(healthy.marked.sort()).toEqual(['ORD-1', 'ORD-2', 'ORD-3']);
  });

  it('forgets the oldest outcomes past its capacity', () => {
    const published = new PublishedOutcomes(2);
    const [a, b, c] = stored(3) as [StoredOutcome, StoredOutcome, StoredOutcome];
    published.add(a);
    published.add(b);
    published.add(c);
    expect([published.has(a), published.has(b), published.has(c)]).toEqual([false, true, true]);
  });
});
