import { EventBridgeClient, type PutEventsCommandInput, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/**
 * A real EventBridgeClient whose PutEvents never leaves the process: a middleware
 * answers it, records the accepted entries, and fails on demand (a thrown error, as a
 * network failure, or refused entries, as throttling does) to drive the retry paths.
 */
export interface PublishedEvent {
  source: string;
  detailType: string;
  detail: Record<string, any>;
  eventBusName: string;
}

export type Failure = 'throw' | 'refuse-entries';

export class FakeEventBridge {
  readonly client = new EventBridgeClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly published: PublishedEvent[] = [];
  /** Entries per PutEvents call, in order, accepted or not. */
  readonly calls: number[] = [];
  private failures: Failure[] = [];
  /** Refuse only the entries at these positions of the next refusing call (default all). */
  private refusedPositions: number[] | null = null;

  constructor() {
    this.client.middlewareStack.add(
      () => async (args) => {
        const input = args.input as PutEventsCommandInput;
        return { output: this.answer(input.Entries ?? []), response: {} };
      },
      { step: 'initialize', name: 'fakeEventBridge' },
    );
  }

  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  refusePositions(positions: number[]): void {
    this.refusedPositions = positions;
  }

  ofType(detailType: string): PublishedEvent[] {
    return this.published.filter((event) => event.detailType === detailType);
  }

  forOrder(orderId: string): PublishedEvent[] {
    return this.published.filter((event) => event.detail.orderId === orderId);
  }

  private answer(entries: PutEventsRequestEntry[]): PutEventsCommandOutput {
    this.calls.push(entries.length);
    const failure = this.failures.shift();
    if (failure === 'throw') throw Object.assign(new Error('connect ECONNREFUSED (injected)'), { name: 'NetworkingError' });
    const refused = (i: number) => failure === 'refuse-entries' && (this.refusedPositions?.includes(i) ?? true);
    const results = entries.map((entry, i) => {
      if (refused(i)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected failure' };
      this.published.push({
        source: entry.Source ?? '',
        detailType: entry.DetailType ?? '',
        detail: JSON.parse(entry.Detail ?? '{}'),
        eventBusName: entry.EventBusName ?? '',
      });
      return { EventId: `event-${this.published.length}` };
    });
    if (failure === 'refuse-entries') this.refusedPositions = null;
    return { $metadata: {}, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}
