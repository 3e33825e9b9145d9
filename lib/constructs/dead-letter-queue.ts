import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_PERIOD, alarmOnAny } from './alarms';

export interface DeadLetterQueueProps {
  /** What lands here and why: shown in the alarm, so the operator knows which redrive applies. */
  holds: string;
}

/**
 * SQS's largest message (its default since 2025, stated so that an older default cannot
 * refuse one): a dead letter carries a whole event of up to EventBridge's 256 KB with its
 * reason, and a Lambda invocation record carries the event and the error.
 */
export const DEAD_LETTER_MESSAGE_BYTES = 1_048_576;

/**
 * A place where nothing is lost: encrypted, SSL-only, kept for SQS's maximum of 14 days,
 * taking SQS's largest messages, and alarmed as soon as one message arrives.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly depthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: DEAD_LETTER_MESSAGE_BYTES,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (EventBridge target, Lambda on-failure destination of invocations or of a stream, Scheduler or handler dead letters); ' +
        'a further queue behind it would only move the same messages one step away from the operator, who redrives them by hand.',
    });
    this.depthAlarm = alarmOnAny(
      this,
      'DepthAlarm',
      this.queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      `Dead letters waiting: ${props.holds}. Inspect and redrive as docs/operations.md "Dead letters" says.`,
    );
  }
}
