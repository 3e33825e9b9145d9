import type { Context } from 'aws-lambda';
import { jstDateOf, monthOf, type YearMonth } from '../domain/calendar';
import { invocationLogger, Invocations } from '../observability/invocation-logger';
import { billingPayloadSchema } from '../schemas/billing';
import { fieldIssues } from '../schemas/field-issues';
import { SchedulePayloadError } from '../schemas/renewal';
import type { BillingDeps, ShardQueue } from '../use-cases/deps';
import { billingRunSummary, closingMonthOf, startBillingRun } from '../use-cases/monthly-billing';
import { billingStartFromEnvironment, builtOnFirstCall, type Observability } from '../wiring/dependencies';

export type MonthlyBillingDeps = Pick<BillingDeps, 'store' | 'clock'> & Pick<Observability, 'logger'> & { shards: ShardQueue };

/**
 * Invoked by EventBridge Scheduler at 03:00 JST on the 2nd (interface §7.4) with
 * `{scheduledTime}`: records the run's start and queues one message per shard, then answers
 * the run as it stands (locally, where the queue runs the shards in process, complete). A
 * payload it cannot run is refused with a SchedulePayloadError naming its fields.
 */
export function createMonthlyBillingHandler(deps: MonthlyBillingDeps) {
  const invocations = new Invocations();
  return async (event: unknown, context?: Context) => {
    const logger = invocationLogger(deps.logger, context, invocations.next());
    const month = closingMonth(event, monthOf(jstDateOf(deps.clock.now())));
    const shards = await startBillingRun(deps, month);
    await deps.shards.send(shards.map((shard) => ({ month, shard })));
    const summary = billingRunSummary(await deps.store.readRun(month));
    logger.info('billing run started', { month, shards: shards.length, status: summary.status });
    return summary;
  };
}

/** The month the payload's run closes; it must have ended (JST), or the run would freeze a month still being charged. */
function closingMonth(event: unknown, currentMonth: YearMonth): YearMonth {
  const payload = billingPayloadSchema.safeParse(event);
  if (!payload.success) throw new SchedulePayloadError('the billing payload is not valid', fieldIssues(payload.error));
  const month = closingMonthOf(payload.data.scheduledTime);
  if (month >= currentMonth) {
    throw new SchedulePayloadError('the billing month has not ended', [
      { path: 'scheduledTime', message: `must fall in ${currentMonth} (JST) or earlier: the run closes the month before it, which must have ended` },
    ]);
  }
  return month;
}

export const handler = builtOnFirstCall(() => createMonthlyBillingHandler(billingStartFromEnvironment()));
