import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterSink } from './dead-letter';

/** The reason attribute holds the reason's start, enough to filter the queue on; the whole reason is in the body. */
const REASON_ATTRIBUTE_LENGTH = 1000;

/**
 * The dead-letter queue on AWS: the same queue the event rule's target sends its failed
 * deliveries to, so an operator finds every unprocessed event in one place.
 *
 * SQS refuses a message holding a character outside #x9 #xA #xD #x20–#xD7FF
 * #xE000–#xFFFD #x10000–#x10FFFF, and a hostile event may carry one. JSON.stringify
 * already escapes the control characters and lone surrogates; U+FFFE and U+FFFF, which it
 * leaves, are escaped here too, so the body still parses to the very payload received.
 */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async deadLetter(reason: string, payload: unknown): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ reason, payload }).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
        MessageAttributes: { reason: { DataType: 'String', StringValue: attributeText(reason) } },
      }),
    );
  }
}

/** The reason as an attribute: cut to its length limit, a character SQS refuses (a surrogate cut in half too) replaced by U+FFFD. */
function attributeText(reason: string): string {
  return reason.slice(0, REASON_ATTRIBUTE_LENGTH).replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}
