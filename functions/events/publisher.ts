import { jitteredBackoff } from '../commons/backoff';
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { OUTBOUND_SOURCE } from '../topology/routing';
import type { OutboundEvent } from '../domain/outbound-events';

/** Publishes this system's events (source `omakase.contracts`); throws unless every one was accepted. */
export interface EventPublisher {
  publish(events: OutboundEvent[]): Promise<void>;
}

export class PublishError extends Error {
  constructor(
    readonly failed: Array<{ event: OutboundEvent; errorCode: string; errorMessage: string }>,
    readonly published: number,
  ) {
    const first = failed[0];
    super(`${failed.length} event(s) not accepted by EventBridge after retries (first: ${first?.errorCode}: ${first?.errorMessage}); ${published} accepted`);
    this.name = 'PublishError';
  }
}

// PutEvents takes at most 10 entries a call.
const ENTRIES_PER_CALL = 10;

export interface EventBridgePublisherOptions {
  client: EventBridgeClient;
  eventBusName: string;
  /** Rounds of resending the entries that failed (the SDK already retries whole-call failures). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * PutEvents can accept part of a call: FailedEntryCount says how many entries were
 * refused (throttling, internal errors), and only those are sent again, a bounded
 * number of times.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: EventBridgePublisherOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async publish(events: OutboundEvent[]): Promise<void> {
    const failed: PublishError['failed'] = [];
    for (let i = 0; i < events.length; i += ENTRIES_PER_CALL) {
      failed.push(...(await this.publishBatch(events.slice(i, i + ENTRIES_PER_CALL))));
    }
    if (failed.length > 0) throw new PublishError(failed, events.length - failed.length);
  }

  private async publishBatch(batch: OutboundEvent[]): Promise<PublishError['failed']> {
    let pending = batch.map((event) => ({ event, errorCode: '', errorMessage: '' }));
    for (let attempt = 1; pending.length > 0 && attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await jitteredBackoff(attempt - 1, { baseMs: this.retryDelayMs, capMs: 10 * this.retryDelayMs });
      const { FailedEntryCount, Entries } = await this.options.client.send(new PutEventsCommand({ Entries: pending.map(({ event }) => this.entry(event)) }));
      if (!FailedEntryCount) return [];
      // Results come back in request order; an entry without an EventId was not accepted.
      pending = pending.flatMap((item, index) => {
        const result = Entries?.[index];
        return result?.EventId
          ? []
          : [{ event: item.event, errorCode: result?.ErrorCode ?? 'Unknown', errorMessage: result?.ErrorMessage ?? 'no result for this entry' }];
      });
    }
    return pending;
  }

  private entry(event: OutboundEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.options.eventBusName,
      Source: OUTBOUND_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
  }
}
