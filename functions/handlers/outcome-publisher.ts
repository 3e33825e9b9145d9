import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { builtOnFirstCall, outcomePublisherFromEnvironment, type OutcomePublisherDeps } from '../commons/dependencies';
import { flushMetrics, METRIC } from '../commons/metrics';
import { fieldIssues } from '../schemas/field-issues';
import { storedOutcomeSchema } from '../schemas/stored-outcome';
import { isUnpublishedOutcome } from '../topology/outcome-stream';
import type { Logger } from '../use-cases/deps';
import { PublishedOutcomes, publishStoredOutcomes, type PublishSummary, type StoredOutcome } from '../use-cases/publish-outcomes';
import { invocationLogger, Invocations } from '../commons/invocation-logger';

/**
 * Fed by the table's stream (the one outbox: order and FACT items with an unpublished
 * outcome, new or handed back by a redelivery; functions/topology/outcome-stream.ts):
 * publishes each stored outcome and marks its item published. Records go through Powertools' batch processor, which
 * reports the ones that failed (ReportBatchItemFailures), so the stream is retried from
 * the first outcome not yet published and nothing after it is skipped. The outcomes of
 * one batch are still published together, in stream order (StreamBatch below).
 */
export function createOutcomePublisherHandler(deps: OutcomePublisherDeps) {
  // Per function instance: what it published, so that a retried batch is marked, not published again.
  const published = new PublishedOutcomes();
  const invocations = new Invocations();
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    const logger = invocationLogger(deps.logger, context, invocations.next());
    const records = event.Records ?? [];
    const batch = new StreamBatch(
      records.length,
      (outcomes) => publishStoredOutcomes({ ...deps, published }, outcomes),
      (reason, record) => deadLetter(deps, logger, reason, record),
    );
    try {
      const response = await processPartialResponse(event, (record: DynamoDBRecord) => batch.handle(record), new BatchProcessor(EventType.DynamoDBStreams), {
        ...(context ? { context } : {}),
        throwOnFullBatchFailure: false,
      });
      const summary = batch.summary;
      deps.metrics.addMetric(METRIC.outcomesPublished, MetricUnit.Count, summary?.published ?? 0);
      if (summary?.deadLettered) deps.metrics.addMetric(METRIC.deadLetters, MetricUnit.Count, summary.deadLettered);
      const fields = { records: records.length, outcomes: batch.outcomes, published: summary?.published ?? 0, deadLettered: batch.deadLettered };
      if (response.batchItemFailures.length === 0) logger.info('outcomes published', fields);
      else
        logger.error('outcomes not all published; the stream retries from the first one left', {
          ...fields,
          retryFrom: summary?.retryFrom,
          error: summary?.error,
        });
      return response;
    } finally {
      flushMetrics(deps.metrics);
    }
  };
}

/**
 * A record that can never be published (only a defect or a store's quirk can make an
 * unreadable order item) goes whole to the dead-letter queue with its reason, and counts
 * as done: retrying it would fail the same way and hold up every outcome behind it. If
 * the queue cannot take it, the record fails and the stream retries it.
 */
async function deadLetter(deps: OutcomePublisherDeps, logger: Logger, reason: string, record: DynamoDBRecord): Promise<void> {
  await deps.deadLetters.deadLetter(reason, record);
  deps.metrics.addMetric(METRIC.deadLetters, MetricUnit.Count, 1);
  logger.error('stream record dead-lettered: it cannot be published', { keys: record.dynamodb?.Keys, reason });
}

/**
 * The batch processor hands records over one by one, all in the same turn and in stream
 * order; this collects the outcomes among them and, once it has seen every record,
 * publishes them in one go (PutEvents takes ten at a time), then settles each record's
 * promise: published and marked, or failed from the first one that was not.
 */
class StreamBatch {
  summary: PublishSummary | null = null;
  outcomes = 0;
  deadLettered = 0;
  private readonly pending: Array<{ stored: StoredOutcome; settle: (error: Error | null) => void }> = [];
  private seen = 0;

  constructor(
    private readonly total: number,
    private readonly publish: (outcomes: StoredOutcome[]) => Promise<PublishSummary>,
    private readonly deadLetter: (reason: string, record: DynamoDBRecord) => Promise<void>,
  ) {}

  handle(record: DynamoDBRecord): Promise<void> {
    const read = storedOutcomeOf(record);
    let done: Promise<void> = Promise.resolve();
    if (read.kind === 'outcome') {
      done = new Promise<void>((resolve, reject) => this.pending.push({ stored: read.stored, settle: (error) => (error ? reject(error) : resolve()) }));
    } else if (read.kind === 'unreadable') {
      this.deadLettered += 1;
      done = this.deadLetter(`outbox item in the stream cannot be published: ${read.problem}`, record);
    }
    if (++this.seen === this.total) void this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    this.outcomes = this.pending.length;
    try {
      const summary = await this.publish(this.pending.map((p) => p.stored));
      this.summary = summary;
      this.deadLettered += summary.deadLettered;
      const failure = new Error(`not published: ${summary.error ?? 'an earlier outcome of the batch failed'}`);
      // Done (published, or dead-lettered as too large) up to the position the stream must retry from.
      const left = summary.retryFrom === null ? this.pending.length : this.pending.findIndex((p) => p.stored.position === summary.retryFrom);
      this.pending.forEach((p, i) => p.settle(i < left ? null : failure));
    } catch (error) {
      this.pending.forEach((p) => p.settle(error instanceof Error ? error : new Error(String(error))));
    }
  }
}

type RecordOutcome = { kind: 'outcome'; stored: StoredOutcome } | { kind: 'other' } | { kind: 'unreadable'; problem: string };

function storedOutcomeOf(record: DynamoDBRecord): RecordOutcome {
  if (!isUnpublishedOutcome(record)) return { kind: 'other' };
  const position = record.dynamodb?.SequenceNumber;
  if (!position) return { kind: 'unreadable', problem: 'the record has no sequence number' };
  let image: unknown;
  try {
    image = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>);
  } catch (error) {
    return { kind: 'unreadable', problem: `NewImage: ${(error as Error).message}` };
  }
  const parsed = storedOutcomeSchema.safeParse(image);
  if (!parsed.success)
    return {
      kind: 'unreadable',
      problem: fieldIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; '),
    };
  const { PK, SK, outcome } = parsed.data;
  // Outcomes stored before docs/terms.md K1 carry no eventKey: an order's outcome is keyed by its orderId.
  const eventKey = typeof outcome.detail.eventKey === 'string' ? outcome.detail.eventKey : PK.replace(/^ORDER#/, '');
  return { kind: 'outcome', stored: { key: { PK, SK }, outcome: { ...outcome, detail: { ...outcome.detail, eventKey } }, position } };
}

export const handler = builtOnFirstCall(() => createOutcomePublisherHandler(outcomePublisherFromEnvironment()));
