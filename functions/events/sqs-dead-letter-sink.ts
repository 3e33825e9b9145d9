import type { SendMessageRequest } from '@aws-sdk/client-sqs';
import type { AwsApi } from '../aws/aws-api';
import type { DeadLetterSink } from './dead-letter';

/**
 * The dead-letter queue on AWS: the same queue the event rule's target sends its failed
 * deliveries to, so an operator finds every unprocessed event in one place.
 */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: AwsApi,
    private readonly queueUrl: string,
  ) {}

  async deadLetter(reason: string, payload: unknown): Promise<void> {
    const message: SendMessageRequest = {
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify({ reason, payload }),
      MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
    };
    await this.client.call('SendMessage', message);
  }
}
