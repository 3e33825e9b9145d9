import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationOf, startPassThrough, type Listening, type Passage } from '../../../../local/pass-through';

/**
 * A pass-through in front of DynamoDB Local that can make DynamoDB unavailable for a
 * while: during an outage every other request has its connection dropped and the rest
 * get a 500 InternalServerError, the two ways a real outage shows itself to the SDK.
 * It can also make DynamoDB slow: each request is held a while before it goes on, and is
 * carried out even when the SDK has stopped waiting for it.
 */
export class FaultyProxy {
  readonly counts = { passed: 0, dropped: 0, failed: 0, answersLost: 0, delayed: 0 };
  /** Requests refused during an outage (dropped or failed), by operation (X-Amz-Target's name). */
  readonly refusedByOperation: Record<string, number> = {};
  private outageUntil = 0;
  private slowness = { until: 0, minMs: 0, maxMs: 0 };
  private answersToLose: { count: number; matches: (target: string, body: string) => boolean } | null = null;
  private passThrough: Listening | null = null;

  private constructor() {}

  static async start(upstream: string): Promise<FaultyProxy> {
    const proxy = new FaultyProxy();
    proxy.passThrough = await startPassThrough(upstream, {
      refuse: (request, response) => proxy.refuse(request, response),
      inspect: (request, body) => proxy.inspect(request, body),
      answerLost: () => (proxy.counts.answersLost += 1),
      delayMs: () => proxy.delayMs(),
    });
    return proxy;
  }

  get url(): string {
    if (!this.passThrough) throw new Error('the proxy is not started');
    return this.passThrough.url;
  }

  /** DynamoDB is unavailable from now for `ms`. */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
  }

  /** DynamoDB is slow from now for `ms`: each request waits from `minMs` to `maxMs` (evenly at random) before it goes on. */
  slow(ms: number, delay: { minMs: number; maxMs: number }): void {
    this.slowness = { until: Date.now() + ms, ...delay };
  }

  get isSlow(): boolean {
    return Date.now() < this.slowness.until;
  }

  /**
   * The next `count` requests that `matches` (by X-Amz-Target and body) reach DynamoDB and
   * are carried out, but their answer never arrives: the connection is cut once DynamoDB
   * has answered. The SDK sends them again, as after any lost answer.
   */
  loseAnswers(count: number, matches: (target: string, body: string) => boolean): void {
    this.answersToLose = { count, matches };
  }

  get unavailable(): boolean {
    return Date.now() < this.outageUntil;
  }

  async close(): Promise<void> {
    await this.passThrough?.close();
  }

  private refuse(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.unavailable) return false;
    const operation = operationOf(request.headers['x-amz-target']);
    this.refusedByOperation[operation] = (this.refusedByOperation[operation] ?? 0) + 1;
    if ((this.counts.dropped + this.counts.failed) % 2 === 0) {
      this.counts.dropped += 1;
      request.socket.destroy();
    } else {
      this.counts.failed += 1;
      request.resume();
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected outage' }));
    }
    return true;
  }

  private delayMs(): number {
    if (!this.isSlow) return 0;
    this.counts.delayed += 1;
    const { minMs, maxMs } = this.slowness;
    return minMs + Math.random() * (maxMs - minMs);
  }

  private inspect(request: IncomingMessage, body: Buffer): Passage {
    this.counts.passed += 1;
    const lose = this.answersToLose;
    if (lose === null || lose.count <= 0 || !lose.matches(String(request.headers['x-amz-target'] ?? ''), body.toString('utf8'))) return 'forward';
    lose.count -= 1;
    return 'lose-answer';
  }
}
