import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** The period the alarms look at: short enough to page within minutes. */
export const ALARM_PERIOD = Duration.minutes(5);

/**
 * Every alarm of this stack means "something needs an operator": a message waiting in a
 * dead-letter queue, a failed invocation, a missed schedule. One occurrence is enough,
 * and no data means nothing happened.
 */
export function alarmOnAny(scope: Construct, id: string, metric: IMetric, description: string): Alarm {
  return new Alarm(scope, id, {
    metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
}
