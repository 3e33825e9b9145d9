import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_PERIOD, alarmAbove } from './alarms';
import type { DeadLetterQueue } from './dead-letter-queue';

export interface WorkQueueProps {
  /** The timeout of the function that consumes the queue. */
  consumerTimeout: Duration;
  /** Where a message goes once it has been received `maxReceiveCount` times without being done. */
  deadLetters: DeadLetterQueue;
  maxReceiveCount: number;
  /** The age of its oldest message from which the work is late: an alarm then. */
  lateAfter: Duration;
}

/**
 * AWS's advice for a Lambda consuming SQS: a visibility timeout at least six times the
 * function's timeout, so that a message is not handed to a second invocation while the
 * first still works on it, Lambda's own retries of a throttled batch included.
 */
export const VISIBILITY_PER_CONSUMER_TIMEOUT = 6;

/**
 * A queue of work for one function (encrypted, SSL only, kept SQS's maximum of 14 days):
 * a message is retried by the queue after its visibility timeout, and redriven to its
 * dead-letter queue after `maxReceiveCount` receives. No depth alarm: a queue of work is
 * expected to hold messages; its dead-letter queue is alarmed, and so is a message waiting too long.
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly visibilityTimeout: Duration;
  readonly lateAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.visibilityTimeout = Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_PER_CONSUMER_TIMEOUT);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: props.deadLetters.queue, maxReceiveCount: props.maxReceiveCount },
    });
    this.lateAlarm = alarmAbove(
      this,
      'LateAlarm',
      this.queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      props.lateAfter.toSeconds(),
      `A message of the ${id} queue has waited more than ${props.lateAfter.toHumanString()}: its work is late. ` +
        `See docs/operations.md "The billing run" and the consumer's log group.`,
    );
  }
}
