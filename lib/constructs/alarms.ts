import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** The period the alarms look at: short enough to page within minutes. */
export const ALARM_PERIOD = Duration.minutes(5);

/**
 * Every alarm of this stack means "something needs an operator": a message waiting in a
 * dead-letter queue, a failed invocation, a missed schedule (one occurrence is enough),
 * or work falling behind (a bound crossed). No data means nothing happened.
 */
export function alarmOnAny(scope: Construct, id: string, metric: IMetric, description: string): Alarm {
  return alarm(scope, id, metric, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, description);
}

/** For a metric that is normally there and must stay at or below `threshold` (in the metric's unit). */
export function alarmAbove(scope: Construct, id: string, metric: IMetric, threshold: number, description: string): Alarm {
  return alarm(scope, id, metric, threshold, ComparisonOperator.GREATER_THAN_THRESHOLD, description);
}

function alarm(scope: Construct, id: string, metric: IMetric, threshold: number, comparisonOperator: ComparisonOperator, description: string): Alarm {
  return new Alarm(scope, id, {
    metric,
    threshold,
    comparisonOperator,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
}
