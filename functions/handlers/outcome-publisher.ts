import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isUnpublishedOutcome } from '../infra/outcome-stream';
import { fieldIssues } from '../schemas/fields';
import { storedOutcomeSchema } from '../schemas/stored-outcome';
import { publishStoredOutcomes, type StoredOutcome } from '../use-cases/publish-outcomes';
import { publishingDeps, publishingHandlerDepsFromEnv, type PublishingHandlerDeps } from './lifecycle-deps';
import { fromEnvironment } from './lookup-deps';

/**
 * Fed by the table's stream (order items with an unpublished outcome, new or handed back by a redelivery; functions/infra/outcome-stream.ts):
 * publishes each stored outcome and marks its order published. Failures are reported
 * per record (ReportBatchItemFailures), so the stream is retried from the first
 * outcome not yet published and nothing after it is skipped.
 */
export function createOutcomePublisherHandler(deps: PublishingHandlerDeps) {
  const lifecycle = publishingDeps(deps);
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const outcomes: StoredOutcome[] = [];
    for (const record of event.Records ?? []) {
      const outcome = storedOutcomeOf(record);
      if (outcome.kind === 'outcome') outcomes.push(outcome.stored);
      // Only a defect can put an unreadable order item in the table; retrying cannot fix it.
      if (outcome.kind === 'unreadable') lifecycle.logger.error('order item in the stream cannot be published', { keys: record.dynamodb?.Keys, problem: outcome.problem });
    }
    const summary = await publishStoredOutcomes(lifecycle, outcomes);
    const fields = { records: event.Records?.length ?? 0, outcomes: outcomes.length, published: summary.published };
    if (summary.retryFrom === null) {
      lifecycle.logger.info('outcomes published', fields);
      return { batchItemFailures: [] };
    }
    lifecycle.logger.error('outcomes not all published; the stream retries from the first one left', { ...fields, retryFrom: summary.retryFrom, error: summary.error });
    return { batchItemFailures: [{ itemIdentifier: summary.retryFrom }] };
  };
}

type RecordOutcome = { kind: 'outcome'; stored: StoredOutcome } | { kind: 'other' } | { kind: 'unreadable'; problem: string };

function storedOutcomeOf(record: DynamoDBRecord): RecordOutcome {
  if (!isUnpublishedOutcome(record as Parameters<typeof isUnpublishedOutcome>[0])) return { kind: 'other' };
  const position = record.dynamodb?.SequenceNumber;
  if (!position) return { kind: 'unreadable', problem: 'the record has no sequence number' };
  let image: unknown;
  try {
    image = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>);
  } catch (error) {
    return { kind: 'unreadable', problem: `NewImage: ${(error as Error).message}` };
  }
  const parsed = storedOutcomeSchema.safeParse(image);
  if (!parsed.success) return { kind: 'unreadable', problem: fieldIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ') };
  const { orderId, SK, outcome } = parsed.data;
  return { kind: 'outcome', stored: { key: { orderId, slot: SK }, outcome, position } };
}

export const handler = fromEnvironment(() => createOutcomePublisherHandler(publishingHandlerDepsFromEnv()));
