import { setTimeout as sleep } from 'node:timers/promises';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isUnpublishedOutcome } from '../../../functions/topology/outcome-stream';
import type { LogPort } from '../../../functions/use-cases/deps';
import type { LocalFunction } from '../../../local/lambda-runtime';
import { StreamMapping, StreamMappingClosedError, type StreamMappingOptions } from '../../../local/stream-mapping';
import { localStreamsClient } from '../../../local/table-stream';
import { dynamoDbEndpoint, freshTable, type TestTable } from '../support/dynamodb';

/**
 * The local event source mapping on DynamoDB Local's stream, with a stand-in function
 * that fails on demand: what reaches the function, what is retried, and when drain and
 * close return.
 */
let table: TestTable;
const streams = localStreamsClient(dynamoDbEndpoint());
const open: StreamMapping[] = [];
beforeAll(async () => {
  table = await freshTable('stream-mapping');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((mapping) => mapping.close(1_000)));
});
afterAll(() => {
  table.client.destroy();
  streams.destroy();
});

const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

let written = 0;
/** Order items with an unpublished outcome, written one after the other: their keys in stream order. */
async function writeOutcomes(count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `ORDER#${++written}`;
    await table.client.send(
      new PutItemCommand({ TableName: table.settings.tableName, Item: { PK: { S: key }, SK: { S: 'ORDER' }, published: { BOOL: false } } }),
    );
    keys.push(key);
  }
  return keys;
}

const keyOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.PK?.S as string;

type Behaviour = (records: DynamoDBRecord[], call: number) => Promise<unknown>;

interface Run {
  mapping: StreamMapping;
  /** The records of each invocation. */
  calls: DynamoDBRecord[][];
  /** Keys the stand-in function processed: each batch's records before the one it failed on. */
  processed: string[];
  logged: Array<{ message: string } & Record<string, unknown>>;
}

/**
 * A started mapping whose function runs `behaviour` on each batch. The behaviour returns
 * what the function answers; `processed` counts what it answered for as done. It polls
 * once a minute unless told otherwise, and is idle when returned: records written
 * before the next drain are then read together, by the read the drain asks for, so that
 * the batches are known.
 */
async function mappingWith(behaviour: Behaviour, options: Partial<StreamMappingOptions> & { timeoutMs?: number } = {}): Promise<Run> {
  const run = { calls: [], processed: [], logged: [] } as unknown as Run;
  const record = (message: string, fields: Record<string, unknown> = {}) => run.logged.push({ message, ...fields });
  const logger: LogPort = { info: () => undefined, warn: record, error: record };
  const fn: LocalFunction = {
    name: 'outcome-publisher',
    timeoutMs: options.timeoutMs ?? 1_000,
    handler: async (event: DynamoDBStreamEvent) => {
      run.calls.push(event.Records);
      const answer = await behaviour(event.Records, run.calls.length);
      const failed = (answer as { batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined)?.batchItemFailures?.[0]?.itemIdentifier;
      const upTo = failed === undefined ? event.Records.length : event.Records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
      run.processed.push(...event.Records.slice(0, upTo).map(keyOf));
      return answer;
    },
  };
  run.mapping = new StreamMapping({
    clients: { dynamoDb: table.client, streams },
    tableName: table.settings.tableName,
    fn,
    filter: isUnpublishedOutcome,
    retry: FAST,
    logger,
    pollIntervalMs: 60_000,
    ...options,
  });
  open.push(run.mapping);
  await run.mapping.start();
  await run.mapping.drain();
  return run;
}

const ok: Behaviour = async () => ({ batchItemFailures: [] });
const failAt = (records: DynamoDBRecord[], index: number) => ({ batchItemFailures: [{ itemIdentifier: records[index]?.dynamodb?.SequenceNumber }] });

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5_000) throw new Error('condition not met within 5 s');
    await sleep(5);
  }
}

describe('StreamMapping', () => {
  it('hands the function the filtered records, in stream order, in batches of at most 100, and drain returns once they are done', async () => {
    const run = await mappingWith(ok);
    const keys = await writeOutcomes(200);
    // Neither a marked order (MODIFY) nor an item without the flag (other INSERTs) passes the filter.
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.settings.tableName,
        Key: { PK: { S: keys[0] }, SK: { S: 'ORDER' } },
        UpdateExpression: 'SET published = :yes',
        ExpressionAttributeValues: { ':yes': { BOOL: true } },
      }),
    );
    await table.client.send(new PutItemCommand({ TableName: table.settings.tableName, Item: { PK: { S: 'CONTRACT#1' }, SK: { S: 'CONTRACT' } } }));
    const [last] = await writeOutcomes(1);

    await run.mapping.drain();

    expect(run.processed).toEqual([...keys, last]);
    expect(run.calls.map((records) => records.length)).toEqual([100, 100, 1]);
    expect(run.calls.flat().every((record) => record.eventName === 'INSERT' && record.eventSourceARN?.includes(table.settings.tableName))).toBe(true);
    expect(run.logged).toEqual([]);
  });

  it('retries from the record the function reported (ReportBatchItemFailures), not before it', async () => {
    const run = await mappingWith(async (records, call) => (call === 1 ? failAt(records, 2) : { batchItemFailures: [] }));
    const keys = await writeOutcomes(5);

    await run.mapping.drain();

    expect(run.calls.map((records) => records.map(keyOf))).toEqual([keys, keys.slice(2)]);
    expect(run.processed).toEqual(keys);
    expect(run.logged).toEqual([
      expect.objectContaining({
        message: 'stream batch failed; retrying from the first record not processed',
        function: 'outcome-publisher',
        attempt: 1,
        records: 5,
        processed: 2,
        retryFrom: run.calls[0]?.[2]?.dynamodb?.SequenceNumber,
      }),
    ]);
  });

  it('retries the whole batch when the function throws, times out or answers with an identifier not in the batch, waiting longer each time', async () => {
    const run = await mappingWith(
      async (records, call) => {
        if (call === 1) throw new Error('PutEvents unreachable');
        if (call === 2) await sleep(200); // beyond the 50 ms timeout
        if (call === 3) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        if (call === 4) return failAt(records, 0);
        return undefined;
      },
      { timeoutMs: 50 },
    );
    const keys = await writeOutcomes(3);

    await run.mapping.drain();

    expect(run.calls.map((records) => records.map(keyOf))).toEqual([keys, keys, keys, keys, keys]);
    expect(run.logged.map((line) => [line.attempt, line.error, line.retryInMs])).toEqual([
      [1, 'Error: PutEvents unreachable', 5],
      [2, 'LambdaTimeoutError: outcome-publisher timed out after 50 ms (Task timed out)', 10],
      [3, expect.stringContaining('unusable batchItemFailures'), 20],
      [4, expect.stringContaining('reported record'), 20],
    ]);
  });

  it('drops nothing: every record is processed once, in order, through failures and records written meanwhile', async () => {
    let calls = 0;
    const run = await mappingWith(
      async (records) => {
        calls += 1;
        if (calls % 3 === 1) throw new Error('flaky');
        if (calls % 3 === 2 && records.length > 1) return failAt(records, Math.floor(records.length / 2));
        return { batchItemFailures: [] };
      },
      // Reads between the writes: records arrive while batches are failing.
      { batchSize: 7, pollIntervalMs: 5 },
    );
    const keys = [...(await writeOutcomes(20)), ...(await writeOutcomes(15))];
    await run.mapping.drain();
    keys.push(...(await writeOutcomes(10)));
    await run.mapping.drain();

    expect(run.processed).toEqual(keys);
    expect(run.calls.every((records) => records.length <= 7)).toBe(true);
  });

  it('polls by itself: a record is processed without anybody draining', async () => {
    const run = await mappingWith(ok, { pollIntervalMs: 25 });
    const keys = await writeOutcomes(1);

    await waitFor(() => run.processed.length > 0);
    expect(run.processed).toEqual(keys);
  });

  it('has drain wait while the function keeps failing, for every caller at once, and return once it succeeds', async () => {
    let failing = true;
    const run = await mappingWith(async () => {
      if (failing) throw new Error('down');
      return { batchItemFailures: [] };
    });
    expect(run.calls).toEqual([]); // the drain of an idle mapping returned after one read
    const keys = await writeOutcomes(2);

    let drained = 0;
    const drains = Array.from({ length: 3 }, () => run.mapping.drain().then(() => (drained += 1)));
    await waitFor(() => run.calls.length >= 4);
    expect(drained).toBe(0);
    failing = false;
    await Promise.all(drains);

    expect(drained).toBe(3);
    expect(run.processed).toEqual(keys);
  });

  it('closes after draining, and invokes nothing after', async () => {
    const run = await mappingWith(ok);
    const keys = await writeOutcomes(3);

    expect(await run.mapping.close()).toEqual({ unprocessed: 0 });
    expect(run.processed).toEqual(keys);
    await writeOutcomes(1);
    await sleep(100);
    expect(run.calls.flat().map(keyOf)).toEqual(keys);
    await expect(run.mapping.drain()).rejects.toThrow('not running');
  });

  it('gives up closing after its bound when the function keeps failing, and says how many records are left', async () => {
    const run = await mappingWith(async () => {
      throw new Error('down for good');
    });
    await writeOutcomes(3);
    const drain = run.mapping.drain();
    drain.catch(() => undefined); // asserted below

    const report = await run.mapping.close(300);

    expect(report).toEqual({ unprocessed: 3 });
    await expect(drain).rejects.toThrow(StreamMappingClosedError);
    expect(run.logged.at(-1)).toEqual(expect.objectContaining({ message: 'stream mapping closed before its records were processed', unprocessed: 3 }));
    const attempts = run.calls.length;
    await sleep(100);
    expect(run.calls).toHaveLength(attempts);
  });
});
