import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { jitteredBackoff } from '../retry/backoff';
import type { OutboundEvent } from '../domain/outbound-events';
import { OUTBOUND_SOURCE } from '../topology/routing';
import { entrySize, MAX_REQUEST_BYTES, putEventsCalls } from './put-events-limits';

/** Publishes this system's events (source `omakase.contracts`); throws unless every one was accepted. */
export interface EventPublisher {
  publish(events: OutboundEvent[]): Promise<void>;
}

export interface FailedEvent {
  event: OutboundEvent;
  errorCode: string;
  errorMessage: string;
  /** True when no retry can publish it (too large for any PutEvents call): it must go elsewhere. */
  permanent: boolean;
}

export class PublishError extends Error {
  constructor(
    readonly failed: FailedEvent[],
    readonly published: number,
  ) {
    const first = failed[0];
    super(`${failed.length} event(s) not accepted by EventBridge after retries (first: ${first?.errorCode}: ${first?.errorMessage}); ${published} accepted`);
    this.name = 'PublishError';
  }
}

export interface EventBridgePublisherOptions {
  client: EventBridgeClient;
  eventBusName: string;
  /** Rounds of resending the entries that failed (the SDK already retries whole-call failures). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * Events go out in order, in calls of at most 10 entries and 256 KB. PutEvents can accept
 * part of a call: FailedEntryCount says which entries were refused (throttling, internal
 * errors), and only those are sent again, a bounded number of times. Once a call leaves
 * entries unaccepted, later events are not sent (not attempted), so that a retry of the
 * whole does not deliver them twice. An event too large for any call is not sent at all:
 * it fails as permanent, for the caller to put it aside.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: EventBridgePublisherOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async publish(events: OutboundEvent[]): Promise<void> {
    const entries = events.map((event) => ({ event, entry: this.entry(event) }));
    const failed: FailedEvent[] = [];
    const sendable = entries.filter(({ event, entry }) => {
      const size = entrySize(entry);
      if (size <= MAX_REQUEST_BYTES) return true;
      failed.push({ event, errorCode: 'EntryTooLarge', errorMessage: `${size} bytes, over PutEvents' ${MAX_REQUEST_BYTES}`, permanent: true });
      return false;
    });
    const calls = putEventsCalls(sendable, ({ entry }) => entrySize(entry));
    for (const [index, call] of calls.entries()) {
      const refused = await this.publishCall(call);
      if (refused.length === 0) continue;
      failed.push(...refused);
      const notAttempted = calls.slice(index + 1).flat();
      failed.push(
        ...notAttempted.map(({ event }) => ({ event, errorCode: 'NotAttempted', errorMessage: 'an earlier call was not fully accepted', permanent: false })),
      );
      break;
    }
    if (failed.length > 0) throw new PublishError(failed, events.length - failed.length);
  }

  private async publishCall(call: Array<{ event: OutboundEvent; entry: PutEventsRequestEntry }>): Promise<FailedEvent[]> {
    let pending = call.map(({ event, entry }) => ({ event, entry, errorCode: '', errorMessage: '' }));
    for (let attempt = 1; pending.length > 0 && attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await jitteredBackoff(attempt - 1, { baseMs: this.retryDelayMs, capMs: 10 * this.retryDelayMs });
      const { FailedEntryCount, Entries } = await this.options.client.send(new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }));
      if (!FailedEntryCount) return [];
      // Results come back in request order; an entry without an EventId was not accepted.
      pending = pending.flatMap((item, index) => {
        const result = Entries?.[index];
        return result?.EventId
          ? []
          : [{ ...item, errorCode: result?.ErrorCode ?? 'Unknown', errorMessage: result?.ErrorMessage ?? 'no result for this entry' }];
      });
    }
    return pending.map(({ event, errorCode, errorMessage }) => ({ event, errorCode, errorMessage, permanent: false }));
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
