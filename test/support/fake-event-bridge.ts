import type { PutEventsRequest, PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { AwsServiceError, type AwsApi } from '../../functions/aws/aws-api';

/**
 * EventBridge in the process: its `client` answers PutEvents, records the accepted
 * entries, and fails on demand (a thrown error, as a network failure, or refused
 * entries, as throttling does) to drive the retry paths.
 */
export interface PublishedEvent {
  source: string;
  detailType: string;
  detail: Record<string, any>;
  eventBusName: string;
}

export type Failure = 'throw' | 'refuse-entries';

export class FakeEventBridge {
  readonly client: AwsApi = {
    call: async <Output extends object>(operation: string, input: object) => {
      if (operation !== 'PutEvents') throw new Error(`FakeEventBridge answers PutEvents only, not ${operation}`);
      return this.answer((input as PutEventsRequest).Entries ?? []) as Output;
    },
  };
  readonly published: PublishedEvent[] = [];
  /** Entries per PutEvents call, in order, accepted or not. */
  readonly calls: number[] = [];
  private failures: Failure[] = [];
  /** Refuse only the entries at these positions of the next refusing call (default all). */
  private refusedPositions: number[] | null = null;

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

  private answer(entries: PutEventsRequestEntry[]): PutEventsResponse {
    this.calls.push(entries.length);
    const failure = this.failures.shift();
    if (failure === 'throw') throw new AwsServiceError('ECONNREFUSED', 'connect ECONNREFUSED (injected)', 'PutEvents', null, {}, 1);
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
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}
