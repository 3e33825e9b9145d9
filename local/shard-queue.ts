import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse } from 'aws-lambda';
import type { ShardQueue } from '../functions/use-cases/deps';
import { invokeFunction, type LocalFunction } from './lambda-runtime';

/** SQS's maxReceiveCount of the billing queue's redrive policy (lib/): the third failed delivery goes to its dead-letter queue. */
const MAX_RECEIVES = 3;
/** Shards billed at once, as the event source mapping's maximum concurrency limits them on AWS (a laptop's share). */
const CONCURRENCY = 4;

/**
 * The billing queue of the local stack: each message delivered to the billing-shard
 * function as an SQS event of one record, up to three times when the function fails or
 * reports it failed, then dead-lettered with why. `send` returns at once, as SQS does;
 * `drained` resolves once every message sent, continuations included, is through.
 */
export class LocalShardQueue implements ShardQueue {
  private readonly waiting: Array<{ body: string; receives: number }> = [];
  private running = 0;
  private idle: Array<() => void> = [];
  private shardFunction: LocalFunction | null = null;
  private deadLettered = 0;

  constructor(private readonly deadLetter: (reason: string, payload: unknown) => void) {}

  /** The function is made with this queue (it continues through it), so it is attached after. */
  deliverTo(fn: LocalFunction): void {
    this.shardFunction = fn;
  }

  send(messages: Array<{ month: string; shard: number; cursor?: string }>): Promise<void> {
    for (const message of messages) this.waiting.push({ body: JSON.stringify(message), receives: 0 });
    this.pump();
    return Promise.resolve();
  }

  /** Resolves once the queue is empty, with how many messages were dead-lettered since the last call. */
  async drained(): Promise<number> {
    if (this.running > 0 || this.waiting.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    const count = this.deadLettered;
    this.deadLettered = 0;
    return count;
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.waiting.length > 0) {
      const next = this.waiting.shift() as { body: string; receives: number };
      this.running += 1;
      void this.deliver(next).finally(() => {
        this.running -= 1;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async deliver(message: { body: string; receives: number }): Promise<void> {
    const fn = this.shardFunction;
    if (!fn) throw new Error('the local billing queue has no function to deliver to');
    message.receives += 1;
    let problem: string | null;
    try {
      const messageId = randomUUID();
      const result = (await invokeFunction(fn, { Records: [{ messageId, body: message.body, eventSource: 'aws:sqs' }] })) as SQSBatchResponse | null;
      problem = result?.batchItemFailures?.length ? 'the function reported the message failed' : null;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem === null) return;
    if (message.receives < MAX_RECEIVES) this.waiting.push(message);
    else {
      this.deadLettered += 1;
      this.deadLetter(`billing shard not completed after ${MAX_RECEIVES} deliveries: ${problem}`, JSON.parse(message.body));
    }
  }
}
