import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GetRecordsCommandInput, GetShardIteratorCommandInput, Shard, _Record } from '@aws-sdk/client-dynamodb-streams';
import { localStreamsClient, TableStream } from '../../local/table-stream';

/**
 * The reader's shard bookkeeping, which DynamoDB Local never exercises (its tables keep
 * one shard): a stream modelled in memory behind real SDK clients, whose shard closes and
 * is followed by a child, listed first, as DescribeStream may list them.
 */
const STREAM_ARN = 'arn:aws:dynamodb:ap-northeast-1:000000000000:table/t/stream/2024-01-01T00:00:00.000';

class FakeStream {
  readonly shards: Array<{ shard: Shard; records: _Record[]; closed: boolean }> = [];
  /** Commands whose next request fails, as in an outage. */
  readonly failing = new Set<string>();
  private sequence = 0;

  addShard(shardId: string, parent?: string): void {
    this.shards.unshift({ shard: { ShardId: shardId, ...(parent ? { ParentShardId: parent } : {}) }, records: [], closed: false });
  }

  write(shardId: string, key: string): void {
    this.sequence += 1;
    this.shardOf(shardId).records.push({
      eventName: 'INSERT',
      dynamodb: { Keys: { PK: { S: key } }, SequenceNumber: String(this.sequence).padStart(21, '0') },
    });
  }

  close(shardId: string): void {
    this.shardOf(shardId).closed = true;
  }

  answer(command: string, input: unknown): unknown {
    if (this.failing.delete(command)) throw Object.assign(new Error(`${command} failed (injected)`), { name: 'InternalServerError' });
    if (command === 'DescribeTableCommand')
      return { Table: { LatestStreamArn: STREAM_ARN, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } } };
    if (command === 'DescribeStreamCommand') return { StreamDescription: { StreamArn: STREAM_ARN, Shards: this.shards.map((s) => s.shard) } };
    if (command === 'GetShardIteratorCommand') {
      const { ShardId, ShardIteratorType, SequenceNumber } = input as GetShardIteratorCommandInput;
      const records = this.shardOf(ShardId as string).records;
      const at = ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? records.findIndex((r) => r.dynamodb?.SequenceNumber === SequenceNumber) + 1 : 0;
      return { ShardIterator: `${ShardId}|${at}` };
    }
    if (command === 'GetRecordsCommand') {
      const [shardId, at] = ((input as GetRecordsCommandInput).ShardIterator as string).split('|') as [string, string];
      const { records, closed } = this.shardOf(shardId);
      const page = records.slice(Number(at), Number(at) + ((input as GetRecordsCommandInput).Limit ?? 1000));
      const next = Number(at) + page.length;
      // As the wire answer too: the reader hands over the wire records (localStreamsClient keeps them).
      return { Records: page, wireRecords: page, ...(closed && next === records.length ? {} : { NextShardIterator: `${shardId}|${next}` }) };
    }
    throw new Error(`unexpected ${command}`);
  }

  private shardOf(shardId: string) {
    const found = this.shards.find((s) => s.shard.ShardId === shardId);
    if (!found) throw new Error(`no shard ${shardId}`);
    return found;
  }
}

/** Real SDK clients whose requests the fake answers before they leave the process. */
function clientsOn(fake: FakeStream) {
  const answer = (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown }) => ({
    output: fake.answer(String(context.commandName), args.input),
    response: {},
  });
  const dynamoDb = new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const streams = localStreamsClient('http://127.0.0.1:9');
  dynamoDb.middlewareStack.add(answer as never, { step: 'initialize', name: 'fakeStream' });
  streams.middlewareStack.add(answer as never, { step: 'initialize', name: 'fakeStream' });
  return { dynamoDb, streams };
}

const keysOf = (records: Awaited<ReturnType<TableStream['read']>>) => records.map((record) => record.dynamodb?.Keys?.PK?.S);

describe('TableStream shards', () => {
  it('reads each closed shard to its end before its child, whatever order the shards are listed in', async () => {
    const fake = new FakeStream();
    fake.addShard('first');
    fake.write('first', 'old');
    const stream = await TableStream.open(clientsOn(fake), 't');

    // Two rotations between reads: 'third' and 'second' are both new, and listed child first.
    fake.write('first', 'f-1');
    fake.close('first');
    fake.addShard('second', 'first');
    fake.write('second', 's-1');
    fake.write('second', 's-2');
    fake.close('second');
    fake.addShard('third', 'second');
    fake.write('third', 't-1');

    expect(keysOf(await stream.read())).toEqual(['f-1', 's-1', 's-2', 't-1']);
    fake.write('third', 't-2');
    expect(keysOf(await stream.read())).toEqual(['t-2']);
    expect(await stream.read()).toEqual([]);
  });

  it('loses nothing when a read fails part way: the next read returns what the failed one had read', async () => {
    const fake = new FakeStream();
    fake.addShard('parent');
    const stream = await TableStream.open(clientsOn(fake), 't');
    fake.write('parent', 'p-1');
    fake.close('parent');
    fake.addShard('child', 'parent');
    fake.write('child', 'c-1');
    fake.failing.add('GetShardIteratorCommand'); // the child's, after the parent was read

    await expect(stream.read()).rejects.toThrow('GetShardIteratorCommand failed');
    expect(keysOf(await stream.read())).toEqual(['p-1', 'c-1']);
  });

  it('reads a shard whose parent is gone from the stream (trimmed) at once', async () => {
    const fake = new FakeStream();
    const stream = await TableStream.open(clientsOn(fake), 't');
    fake.addShard('orphan', 'trimmed-parent');
    fake.write('orphan', 'o-1');

    expect(keysOf(await stream.read())).toEqual(['o-1']);
  });
});
