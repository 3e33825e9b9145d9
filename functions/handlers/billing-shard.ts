import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { flushMetrics, METRIC } from '../observability/metrics';
import { invocationLogger, Invocations } from '../observability/invocation-logger';
import { shardMessageSchema } from '../schemas/billing';
import { fieldIssues } from '../schemas/field-issues';
import { describeError, type ShardQueue } from '../use-cases/deps';
import { billShard, DEFAULT_BILLING_TUNING, type BillingTuning } from '../use-cases/monthly-billing';
import { billingShardFromEnvironment, builtOnFirstCall, type BillingHandlerDeps } from '../wiring/dependencies';

// A summary listing thousands of contracts would not fit one log event.
const LOGGED_FAILURES = 50;

/**
 * One shard of the billing run per message of the billing queue (docs/design.md). A shard
 * that runs short of time queues itself again and ends well: the next invocation goes on
 * with what is still due (what this one wrote stays written). A message that is not a
 * shard is dead-lettered with why, never retried; a failure of the run itself (DynamoDB
 * down) is reported for SQS to deliver the message again, and after three deliveries to
 * its dead-letter queue, where an alarm says so.
 */
export function createBillingShardHandler(deps: BillingHandlerDeps & { queue: ShardQueue; tuning?: Partial<BillingTuning> }) {
  const tuning = { ...DEFAULT_BILLING_TUNING, ...deps.tuning };
  const invocations = new Invocations();
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const logger = invocationLogger(deps.logger, context, invocations.next());
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    try {
      for (const record of event.Records) {
        const message = shardMessageSchema.safeParse(parseJson(record.body));
        if (!message.success) {
          const fields = fieldIssues(message.error);
          await deps.deadLetters.deadLetter(`not a billing shard message: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, record.body);
          continue;
        }
        try {
          const outcome = await billShard(
            { ...deps, logger },
            { ...message.data, remainingMs: () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY },
            tuning,
          );
          deps.metrics.addMetric(METRIC.invoicesIssued, MetricUnit.Count, outcome.invoicesIssued);
          deps.metrics.addMetric(METRIC.invoicedYen, MetricUnit.NoUnit, outcome.yenInvoiced);
          deps.metrics.addMetric(METRIC.billingFailures, MetricUnit.Count, outcome.failed.length);
          logger.info('billing shard', { ...outcome, failedCount: outcome.failed.length, failed: outcome.failed.slice(0, LOGGED_FAILURES) });
          if (!outcome.complete) await deps.queue.send([{ month: outcome.month, shard: outcome.shard, ...(outcome.cursor ? { cursor: outcome.cursor } : {}) }]);
        } catch (error) {
          logger.error('billing shard failed; SQS delivers it again', { ...message.data, error: describeError(error) });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    } finally {
      flushMetrics(deps.metrics);
    }
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export const handler = builtOnFirstCall(() => createBillingShardHandler(billingShardFromEnvironment()));
