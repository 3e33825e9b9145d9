import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import { describeError, type LogPort } from '../functions/use-cases/deps';
import { jsonLogger } from './log';
import { invokeFunction, type LocalFunction } from './lambda-runtime';
import { TableStream, type TableStreamClients } from './table-stream';

/**
 * The local stand-in for a Lambda event source mapping on a table's stream, as the CDK
 * stack configures the outcome publisher's: filtered records, batches of at most 100 in
 * stream order, ReportBatchItemFailures, and retries until the batch succeeds (AWS:
 * retryAttempts -1, within the stream's 24 h). Nothing is ever dropped: a failing batch
 * holds back everything after it, as a stuck shard does on AWS.
 */
export interface StreamMappingOptions {
  clients: TableStreamClients;
  tableName: string;
  fn: LocalFunction;
  /** Which records reach the function (the mapping's filter criteria). */
  filter: (record: DynamoDBRecord) => boolean;
  batchSize?: number;
  /** Wait between reads that found nothing. */
  pollIntervalMs?: number;
  retry?: StreamRetryPolicy;
  /** Where failed attempts are logged; default JSON lines on stdout. */
  logger?: LogPort;
}

export interface StreamRetryPolicy {
  /** Wait before the first retry, doubled before each later one… */
  baseDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
}

export interface CloseReport {
  /** Records read from the stream but not processed when close gave up waiting. */
  unprocessed: number;
}

export const DEFAULT_STREAM_RETRY: StreamRetryPolicy = { baseDelayMs: 200, maxDelayMs: 5_000 };
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_POLL_INTERVAL_MS = 25;
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export class StreamMappingClosedError extends Error {
  constructor(unprocessed: number) {
    super(`the stream mapping closed with ${unprocessed} record(s) not processed`);
    this.name = 'StreamMappingClosedError';
  }
}

interface DrainWaiter {
  /** Resolved by the first cycle numbered above this: the first to start after drain() was called. */
  after: number;
  resolve(): void;
  reject(error: Error): void;
}

/** How far a batch got: its first `done` records are processed; the rest is to retry. */
interface Attempt {
  done: number;
  error: string | null;
}

export class StreamMapping {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retry: StreamRetryPolicy;
  private readonly logger: LogPort;
  /** Read and filtered, in stream order, not yet processed. */
  private readonly pending: DynamoDBRecord[] = [];
  private readonly waiters: DrainWaiter[] = [];
  /** A cycle reads the stream, then processes all that is pending. */
  private cyclesStarted = 0;
  private cyclesDone = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private idle: AbortController | null = null;
  /** Aborts the waits between retries once close has given up. */
  private readonly abandon = new AbortController();
  private streamArn = '';
  /** Why the last read of the stream failed, while reads keep failing; null once one succeeds. */
  private readProblem: string | null = null;

  constructor(private readonly options: StreamMappingOptions) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.retry = options.retry ?? DEFAULT_STREAM_RETRY;
    this.logger = options.logger ?? jsonLogger;
  }

  /**
   * Opens the stream at its end (what is written from now on is delivered) and starts
   * polling; `catchUp` gives the records to hand over first, before what the stream
   * brings (see local/pending-outcomes.ts).
   */
  async start(catchUp: (streamArn: string) => Promise<DynamoDBRecord[]> = () => Promise.resolve([])): Promise<void> {
    if (this.loop) throw new Error('the stream mapping is started already');
    const stream = await TableStream.open(this.options.clients, this.options.tableName);
    this.streamArn = stream.streamArn;
    this.pending.push(...(await catchUp(stream.streamArn)).filter(this.options.filter));
    this.loop = this.run(stream);
  }

  /**
   * Resolves once every record written before the call has been processed successfully:
   * once a read that started after the call, and everything read before it, are done.
   * Safe to call concurrently; it waits as long as the function keeps failing.
   */
  drain(): Promise<void> {
    if (!this.loop || this.stopping) return Promise.reject(new Error('the stream mapping is not running'));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ after: this.cyclesStarted, resolve, reject }));
    this.idle?.abort();
    return done;
  }

  /**
   * Drains, then stops polling. Gives up after `timeoutMs` when the function keeps
   * failing (or the stream cannot be read), and reports, and logs, what is left: the
   * records read but not processed (records not read yet cannot be counted).
   */
  async close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<CloseReport> {
    if (!this.loop || this.stopping) return { unprocessed: 0 };
    const loop = this.loop;
    const timer = new AbortController();
    const deadline = sleep(timeoutMs, 'timeout' as const, { signal: timer.signal }).catch(() => 'timeout' as const);
    let stopped = false;
    try {
      if ((await Promise.race([this.drain().then(() => 'drained' as const), deadline])) === 'drained') {
        this.stopping = true;
        this.idle?.abort();
        // A read under way when the drain ended is processed before the loop stops.
        stopped = (await Promise.race([loop.then(() => 'stopped' as const), deadline])) === 'stopped';
      }
    } finally {
      timer.abort();
    }
    this.stopping = true;
    // Whatever still runs stops at its next wait; an invocation under way is not waited for (Lambda would time it out).
    this.abandon.abort();
    this.idle?.abort();
    const unprocessed = this.pending.length;
    if (!stopped) {
      this.logger.error('stream mapping closed before its records were processed', {
        function: this.options.fn.name,
        eventSourceARN: this.streamArn,
        unprocessed,
        waitedMs: timeoutMs,
      });
    }
    const closed = new StreamMappingClosedError(unprocessed);
    for (const waiter of this.waiters.splice(0)) waiter.reject(closed);
    return { unprocessed };
  }

  /** For /health: null while the mapping reads its stream, else what is wrong. */
  problem(): string | null {
    if (this.stopping) return 'stopped';
    if (!this.loop) return 'not started';
    return this.readProblem;
  }

  private async run(stream: TableStream): Promise<void> {
    let readFailures = 0;
    while (!this.stopping) {
      const cycle = ++this.cyclesStarted;
      let records: DynamoDBRecord[];
      try {
        records = await stream.read();
        readFailures = 0;
        this.readProblem = null;
      } catch (error) {
        readFailures += 1;
        this.readProblem = `reading the table's stream failed ${readFailures} time(s) in a row: ${describeError(error)}`;
        const retryInMs = this.delay(readFailures);
        this.logger.error('table stream read failed; retrying', {
          function: this.options.fn.name,
          eventSourceARN: this.streamArn,
          attempt: readFailures,
          error: describeError(error),
          retryInMs,
        });
        await this.pause(retryInMs, this.abandon.signal);
        continue;
      }
      this.pending.push(...records.filter(this.options.filter));
      await this.processPending();
      if (this.pending.length > 0) return; // abandoned by close
      this.cyclesDone = cycle;
      this.settleDrains();
      // A drain called during this cycle's read needs the next cycle now.
      if (records.length === 0 && this.waiters.length === 0 && !this.stopping) {
        this.idle = new AbortController();
        await this.pause(this.pollIntervalMs, this.idle.signal);
      }
    }
  }

  private async processPending(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0 && !this.abandon.signal.aborted) {
      const batch = this.pending.slice(0, this.batchSize);
      const { done, error } = await this.invoke(batch);
      this.pending.splice(0, done);
      if (error === null) {
        failures = 0;
        continue;
      }
      failures += 1;
      const retryInMs = this.delay(failures);
      this.logger.error('stream batch failed; retrying from the first record not processed', {
        function: this.options.fn.name,
        eventSourceARN: this.streamArn,
        attempt: failures,
        records: batch.length,
        processed: done,
        retryFrom: batch[done]?.dynamodb?.SequenceNumber ?? null,
        error,
        retryInMs,
      });
      await this.pause(retryInMs, this.abandon.signal);
    }
  }

  private async invoke(batch: DynamoDBRecord[]): Promise<Attempt> {
    let result: unknown;
    try {
      result = await invokeFunction(this.options.fn, { Records: batch });
    } catch (error) {
      return { done: 0, error: describeError(error) };
    }
    return reportedFailures(result, batch);
  }

  private settleDrains(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter.after < this.cyclesDone) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private delay(failures: number): number {
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (failures - 1));
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return sleep(ms, undefined, { signal }).catch(() => undefined);
  }
}

/**
 * ReportBatchItemFailures as Lambda reads the response: no failures, no response, or an
 * empty list is success; otherwise the batch is retried from the earliest reported record,
 * and a response it cannot use (an identifier that is not a record of the batch, say)
 * fails the whole batch.
 */
function reportedFailures(result: unknown, batch: DynamoDBRecord[]): Attempt {
  const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) return { done: batch.length, error: null };
  const positions = Array.isArray(failures)
    ? failures.map((failure) => {
        const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
        return typeof id === 'string' && id !== '' ? batch.findIndex((record) => record.dynamodb?.SequenceNumber === id) : -1;
      })
    : [-1];
  if (positions.includes(-1)) return { done: 0, error: `unusable batchItemFailures in the response, the whole batch is retried: ${JSON.stringify(failures)}` };
  const first = Math.min(...positions);
  return { done: first, error: `the function reported record ${batch[first]?.dynamodb?.SequenceNumber} failed` };
}
