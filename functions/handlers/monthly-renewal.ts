import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { builtOnFirstCall, renewalFromEnvironment, type RenewalHandlerDeps } from '../wiring/dependencies';
import { flushMetrics, METRIC } from '../observability/metrics';
import { jstDateOf, monthOf } from '../domain/calendar';
import { fieldIssues } from '../schemas/field-issues';
import { renewalPayloadSchema, SchedulePayloadError, type RenewalPayload } from '../schemas/renewal';
import { DEFAULT_RENEWAL_TUNING, RenewalIncompleteError, runMonthlyRenewal, type RenewalSummary, type RenewalTuning } from '../use-cases/monthly-renewal';
import { invocationLogger, Invocations } from '../observability/invocation-logger';
import type { Clock } from '../use-cases/deps';

// A summary listing thousands of contracts would not fit one log event.
const LOGGED_PER_LIST = 50;

/**
 * Invoked by EventBridge Scheduler (interface §4) with `{scheduledTime}`. The summary is
 * logged and returned. A run that ran out of time, or left contracts failed, throws
 * after logging, so that Lambda's asynchronous retry runs it again: the rerun continues
 * with what is still due (what a killed run wrote is in the table's outbox already). A
 * payload it cannot run is refused with a SchedulePayloadError naming its fields.
 */
export function createMonthlyRenewalHandler(deps: RenewalHandlerDeps & { tuning?: Partial<RenewalTuning> }) {
  const shardCount = deps.store.renewalShards;
  const tuning = { ...DEFAULT_RENEWAL_TUNING, ...deps.tuning };
  const invocations = new Invocations();
  return async (event: unknown, context?: Context): Promise<RenewalSummary> => {
    const logger = invocationLogger(deps.logger, context, invocations.next());
    const payload = schedulePayload(event, shardCount, deps.clock);
    try {
      const summary = await runMonthlyRenewal(
        { ...deps, logger },
        { ...payload, remainingMs: () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY },
        tuning,
      );
      deps.metrics.addMetric(METRIC.contractsRenewed, MetricUnit.Count, summary.renewed);
      deps.metrics.addMetric(METRIC.termsRenewed, MetricUnit.Count, summary.termsRenewed);
      deps.metrics.addMetric(METRIC.renewalFailures, MetricUnit.Count, summary.failed.length);
      deps.metrics.addMetric(METRIC.renewalNotices, MetricUnit.Count, summary.notices);
      logger.info('monthly renewal', {
        ...summary,
        skippedCount: summary.skipped.length,
        failedCount: summary.failed.length,
        skipped: summary.skipped.slice(0, LOGGED_PER_LIST),
        failed: summary.failed.slice(0, LOGGED_PER_LIST),
      });
      if (!summary.complete || summary.failed.length > 0) throw new RenewalIncompleteError(summary);
      return summary;
    } finally {
      // Whatever ends the run (RenewalIncompleteError included), what it counted is written, and not left to the next invocation.
      flushMetrics(deps.metrics);
    }
  };
}

/** The payload as a run takes it, or the SchedulePayloadError saying why it cannot be run. */
function schedulePayload(event: unknown, shardCount: number, clock: Clock): RenewalPayload {
  const payload = renewalPayloadSchema.safeParse(event);
  if (!payload.success) throw new SchedulePayloadError('the renewal payload is not valid', fieldIssues(payload.error));
  const outOfRange = (payload.data.shards ?? []).filter((shard) => shard >= shardCount);
  if (outOfRange.length > 0) {
    throw new SchedulePayloadError('no such shard', [{ path: 'shards', message: `must be below RENEWAL_SHARDS (${shardCount}): ${outOfRange.join(', ')}` }]);
  }
  // A renewal cannot be undone: a run for a month that has not begun would renew early.
  const currentMonth = monthOf(jstDateOf(clock.now()));
  if (monthOf(jstDateOf(payload.data.scheduledTime)) > currentMonth) {
    throw new SchedulePayloadError('the renewal month has not begun', [
      { path: 'scheduledTime', message: `must fall in ${currentMonth} (JST) or earlier: a renewal run for a later month would renew contracts early` },
    ]);
  }
  return payload.data;
}

export const handler = builtOnFirstCall(() => createMonthlyRenewalHandler(renewalFromEnvironment()));
