import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ShardQueue } from '../use-cases/deps';

// SQS takes at most 10 messages per SendMessageBatch.
const BATCH = 10;

/** The billing queue (docs/design.md, the billing run on AWS): one message per shard; a message SQS did not take is an error, never dropped. */
export class SqsShardQueue implements ShardQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: Array<{ month: string; shard: number; cursor?: string }>): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH) {
      const entries = messages.slice(i, i + BATCH).map((message) => ({ Id: `shard-${message.shard}`, MessageBody: JSON.stringify(message) }));
      const { Failed } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      if (Failed && Failed.length > 0) {
        throw new Error(`the billing queue refused ${Failed.length} shard messages: ${Failed.map((f) => `${f.Id} ${f.Code}: ${f.Message ?? ''}`).join('; ')}`);
      }
    }
  }
}
