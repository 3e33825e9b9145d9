import { SQS_PROTOCOL, awsClientFromEnv } from '../aws/aws-json-client';
import { loadSettings } from '../config';
import { InvalidRequestError } from '../domain/errors';
import type { DeadLetterSink } from '../events/dead-letter';
import { SqsDeadLetterSink } from '../events/sqs-dead-letter-sink';
import type { LifecycleHandlerDeps } from './lifecycle-deps';
import { dynamoDbClientFrom } from './lookup-deps';

/**
 * What the inbound handler factories take: also where unreadable events go. No
 * EventBridge client: the outcomes they store are published from the table's stream.
 */
export interface InboundHandlerDeps extends LifecycleHandlerDeps {
  deadLetters: DeadLetterSink;
}

export function inboundHandlerDepsFromEnv(): InboundHandlerDeps {
  const settings = loadSettings();
  if (!settings.deadLetterQueueUrl) {
    throw new InvalidRequestError('DEAD_LETTER_QUEUE_URL is not set', [{ path: 'DEAD_LETTER_QUEUE_URL', message: 'required: unreadable events go there' }]);
  }
  // The queue's URL names its regional endpoint: the one its messages are sent to.
  const sqs = awsClientFromEnv(SQS_PROTOCOL, new URL(settings.deadLetterQueueUrl).origin);
  return { settings, dynamoDb: dynamoDbClientFrom(settings), deadLetters: new SqsDeadLetterSink(sqs, settings.deadLetterQueueUrl) };
}
