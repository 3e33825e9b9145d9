import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { builtOnFirstCall, outcomePublisherFromEnvironment, type OutcomePublisherDeps } from '../wiring/dependencies';
import { flushMetrics, METRIC } from '../observability/metrics';
import { fieldIssues } from '../schemas/field-issues';
import { keyedOutcome, storedOutcomeSchema } from '../schemas/stored-outcome';
import { isUnpublishedOutcome } from '../topology/outcome-stream';
import type { LogPort } from '../use-cases/deps';
import { PublishedOutcomes, publishStoredOutcomes, type PublishSummary, type StoredOutcome } from '../use-cases/publish-outcomes';
import { invocationLogger, Invocations } from '../observability/invocation-logger';

/**
 * Fed by the table's stream (the one outbox: order and FACT items with an unpublished
 * outcome, new or handed back by a redelivery; functions/topology/outcome-stream.ts):
 * publishes each stored outcome and marks its item published. The outcomes of a batch are
 * published together, in stream order (PutEvents takes ten at a time), before Powertools'
 * batch processor goes through the records: it then only hears each record's result, and
 * reports the ones that failed (ReportBatchItemFailures), so the stream is retried from
 * the first outcome not yet published and nothing after it is skipped.
 */
export function createOutcomePublisherHandler(deps: OutcomePublisherDeps) {
  // Per function instance: what it published, so that a retried batch is marked, not published again.
  const published = new PublishedOutcomes();
  const invocations = new Invocations();
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    const logger = invocationLogger(deps.logger, context, invocations.next());
    const records = event.Records ?? [];
    try {
      const read = new Map(records.map((record) => [record, storedOutcomeOf(record)]));
      const outcomes = [...read.values()].flatMap((r) => (r.kind === 'outcome' ? [r.stored] : []));
      const publishing = await publishAll(() => publishStoredOutcomes({ ...deps, published }, outcomes), outcomes);
      const unreadable = [...read.values()].filter((r) => r.kind === 'unreadable').length;
      const response = await processPartialResponse(
        event,
        async (record: DynamoDBRecord) => {
          const outcome = read.get(record);
          if (outcome?.kind === 'unreadable') await deadLetter(deps, logger, `outbox item in the stream cannot be published: ${outcome.problem}`, record);
          // Done (published, or dead-lettered as too large) up to the position the stream must retry from.
          else if (outcome?.kind === 'outcome' && publishing.failed.has(outcome.stored)) throw publishing.failure;
        },
        new BatchProcessor(EventType.DynamoDBStreams),
        { ...(context ? { context } : {}), throwOnFullBatchFailure: false },
      );
      const { summary } = publishing;
      deps.metrics.addMetric(METRIC.outcomesPublished, MetricUnit.Count, summary.published);
      if (summary.deadLettered) deps.metrics.addMetric(METRIC.deadLetters, MetricUnit.Count, summary.deadLettered);
      const fields = { records: records.length, outcomes: outcomes.length, published: summary.published, deadLettered: unreadable + summary.deadLettered };
      if (response.batchItemFailures.length === 0) logger.info('outcomes published', fields);
      else
        logger.error('outcomes not all published; the stream retries from the first one left', {
          ...fields,
          retryFrom: summary.retryFrom,
          error: summary.error,
        });
      return response;
    } finally {
      flushMetrics(deps.metrics);
    }
  };
}

/**
 * The batch's outcomes published in one go: the summary, and those not done (from the
 * first one the stream must retry), each failed by the same error.
 */
async function publishAll(
  publish: () => Promise<PublishSummary>,
  outcomes: StoredOutcome[],
): Promise<{ summary: PublishSummary; failed: Set<StoredOutcome>; failure: Error }> {
  let summary: PublishSummary;
  try {
    summary = await publish();
  } catch (error) {
    summary = { published: 0, deadLettered: 0, retryFrom: outcomes[0]?.position ?? null, error: error instanceof Error ? error.message : String(error) };
  }
  const left = summary.retryFrom === null ? outcomes.length : outcomes.findIndex((stored) => stored.position === summary.retryFrom);
  return {
    summary,
    failed: new Set(outcomes.slice(left)),
    failure: new Error(`not published: ${summary.error ?? 'an earlier outcome of the batch failed'}`),
  };
}

/**
 * A record that can never be published (only a defect or a store's quirk can make an
 * unreadable order item) goes whole to the dead-letter queue with its reason, and counts
 * as done: retrying it would fail the same way and hold up every outcome behind it. If
 * the queue cannot take it, the record fails and the stream retries it.
 */
async function deadLetter(deps: OutcomePublisherDeps, logger: LogPort, reason: string, record: DynamoDBRecord): Promise<void> {
  await deps.deadLetters.deadLetter(reason, record);
  deps.metrics.addMetric(METRIC.deadLetters, MetricUnit.Count, 1);
  logger.error('stream record dead-lettered: it cannot be published', { keys: record.dynamodb?.Keys, reason });
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
  return { kind: 'outcome', stored: { key: { PK, SK }, outcome: keyedOutcome(outcome, PK.replace(/^ORDER#/, '')), position } };
}

export const handler = builtOnFirstCall(() => createOutcomePublisherHandler(outcomePublisherFromEnvironment()));
