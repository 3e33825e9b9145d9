import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { Readable } from 'node:stream';
import type { DynamoDBRecord } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION } from './dynamodb-local';

/**
 * A reader of one table's DynamoDB stream, as the Lambda event source mapping reads it:
 * every shard in its lineage (a closed shard's children after the parent is read to its
 * end), records in stream order, handed over in the shape Lambda delivers them.
 *
 * It starts at the end of the stream as it is when `open` returns, like LATEST: records
 * written before are not delivered (a restart over a data folder does not publish old
 * outcomes again). It gets there by reading the stream once from TRIM_HORIZON rather than
 * with LATEST iterators, so that every position it holds is a sequence number and an
 * expired iterator is re-taken exactly where it stopped.
 *
 * Written for DynamoDB Local, which has a record readable as soon as the write returns:
 * a page shorter than the page limit is taken as the end of the shard for this read.
 */
export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  const client = new DynamoDBStreamsClient({ endpoint, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
  keepWireRecords(client);
  return client;
}

/**
 * Lambda hands the function the stream's records as the service sent them; the SDK's
 * deserializer does not (an empty map `{"M":{}}` comes out as `{}`, which util-dynamodb
 * cannot unmarshall). So next to its output, every GetRecords answer also carries the
 * records of its wire JSON (`wireRecords`), which is what TableStream hands over.
 */
function keepWireRecords(client: DynamoDBStreamsClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const response = result.response as { body?: unknown };
      if (context.commandName === 'GetRecordsCommand' && response.body instanceof Readable) {
        const chunks: Buffer[] = [];
        for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array));
        const body = Buffer.concat(chunks);
        (context as WireContext).wireRecords = (JSON.parse(body.toString('utf8') || '{}') as { Records?: WireRecord[] }).Records ?? [];
        // The SDK's deserializer reads the same bytes after us.
        response.body = Object.assign(Readable.from([body]), { statusCode: (result.response as { statusCode?: number }).statusCode });
      }
      return result;
    },
    // Between the transport and the deserializer: the raw answer.
    { step: 'deserialize', priority: 'low', name: 'keepWireRecords' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const records = (context as WireContext).wireRecords;
      if (records) (result.output as { wireRecords?: WireRecord[] }).wireRecords = records;
      return result;
    },
    { step: 'initialize', name: 'attachWireRecords' },
  );
}

type WireRecord = Omit<DynamoDBRecord, 'userIdentity'> & { userIdentity?: { Type?: string; PrincipalId?: string } };
type WireContext = { wireRecords?: WireRecord[] };

export class TableStreamNotEnabledError extends Error {
  constructor(tableName: string) {
    super(`table ${tableName} has no stream: create it with createTables (local/dynamodb-local.ts), which enables it`);
    this.name = 'TableStreamNotEnabledError';
  }
}

/** GetRecords' maximum, so that one request usually reads everything written since the last. */
const PAGE_LIMIT = 1000;

interface ShardCursor {
  shard: Shard;
  /** Null until the shard is first read, and again once it is closed and read to its end. */
  iterator: string | null;
  /** The last record read from this shard; where an expired iterator is re-taken. */
  lastSequenceNumber: string | null;
}

export interface TableStreamClients {
  dynamoDb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
}

export class TableStream {
  private readonly cursors = new Map<string, ShardCursor>();
  private readonly finished = new Set<string>();
  /** Records read but not yet returned: a read that fails part way keeps them for the next. */
  private readonly unreturned: DynamoDBRecord[] = [];

  private constructor(
    private readonly clients: TableStreamClients,
    readonly streamArn: string,
  ) {}

  static async open(clients: TableStreamClients, tableName: string): Promise<TableStream> {
    const { Table } = await clients.dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn || Table.StreamSpecification?.StreamEnabled !== true) throw new TableStreamNotEnabledError(tableName);
    const stream = new TableStream(clients, Table.LatestStreamArn);
    await stream.read();
    return stream;
  }

  /**
   * The records written since the last successful read (since `open` for the first), in
   * stream order. A read that throws loses nothing: the next returns what it had read.
   */
  async read(): Promise<DynamoDBRecord[]> {
    await this.discoverShards();
    // A parent read to its end in this pass makes its children readable in the next one.
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const cursor of this.cursors.values()) {
        if (!this.readable(cursor)) continue;
        await this.readShard(cursor);
        if (cursor.iterator === null) {
          this.cursors.delete(cursor.shard.ShardId as string);
          this.finished.add(cursor.shard.ShardId as string);
          progressed = true;
        }
      }
    }
    return this.unreturned.splice(0);
  }

  private async discoverShards(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.clients.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }));
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId as string;
        if (!this.finished.has(id) && !this.cursors.has(id)) this.cursors.set(id, { shard, iterator: null, lastSequenceNumber: null });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** A shard is read after its parent, unless the parent is gone from the stream (trimmed). */
  private readable(cursor: ShardCursor): boolean {
    const parent = cursor.shard.ParentShardId;
    return parent === undefined || !this.cursors.has(parent);
  }

  private async readShard(cursor: ShardCursor): Promise<void> {
    cursor.iterator ??= await this.iterator(cursor, 'TRIM_HORIZON');
    for (;;) {
      const page = await this.page(cursor);
      const wire = (page as { wireRecords?: WireRecord[] }).wireRecords;
      if (page.Records?.length && !wire) throw new Error('the streams client keeps no wire records: make it with localStreamsClient');
      for (const record of wire ?? []) {
        this.unreturned.push(lambdaRecord(record, this.streamArn));
        cursor.lastSequenceNumber = record.dynamodb?.SequenceNumber ?? cursor.lastSequenceNumber;
      }
      // No next iterator: the shard is closed and read to its end.
      cursor.iterator = page.NextShardIterator ?? null;
      if (cursor.iterator === null || (page.Records?.length ?? 0) < PAGE_LIMIT) return;
    }
  }

  private async page(cursor: ShardCursor) {
    try {
      return await this.clients.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator as string, Limit: PAGE_LIMIT }));
    } catch (error) {
      // Iterators expire after 15 minutes unused: take a new one where this one stopped.
      if (error instanceof ExpiredIteratorException) {
        cursor.iterator = await this.iterator(cursor, cursor.lastSequenceNumber === null ? 'TRIM_HORIZON' : 'AFTER_SEQUENCE_NUMBER');
      } else if (error instanceof TrimmedDataAccessException) {
        // The stream dropped our position (24 h retention): what is left starts at the trim horizon.
        cursor.iterator = await this.iterator(cursor, 'TRIM_HORIZON');
      } else {
        throw error;
      }
      return this.clients.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: PAGE_LIMIT }));
    }
  }

  private async iterator(cursor: ShardCursor, type: ShardIteratorType): Promise<string> {
    const { ShardIterator } = await this.clients.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: cursor.shard.ShardId,
        ShardIteratorType: type,
        ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: cursor.lastSequenceNumber as string } : {}),
      }),
    );
    if (!ShardIterator) throw new Error(`no ${type} iterator for shard ${cursor.shard.ShardId} of ${this.streamArn}`);
    return ShardIterator;
  }
}

/**
 * A record as Lambda delivers it: the stream's wire record (images untouched: empty maps,
 * lists and strings, binary in base64, sets), with the mapping's eventSourceARN, the
 * creation time in whole epoch seconds, and userIdentity's fields in lower camel case.
 */
function lambdaRecord(record: WireRecord, streamArn: string): DynamoDBRecord {
  const { userIdentity, dynamodb, ...rest } = record;
  const { ApproximateCreationDateTime: creation, Keys, NewImage, OldImage, ...stream } = dynamodb ?? {};
  return {
    ...rest,
    // Only on deletions by TTL.
    ...(userIdentity ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {}),
    dynamodb: {
      ...stream,
      ...(creation !== undefined ? { ApproximateCreationDateTime: Math.floor(creation) } : {}),
      ...(Keys ? { Keys: repairedImage(Keys) } : {}),
      ...(NewImage ? { NewImage: repairedImage(NewImage) } : {}),
      ...(OldImage ? { OldImage: repairedImage(OldImage) } : {}),
    },
    eventSourceARN: streamArn,
  };
}

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
type Value = Image[string];

/**
 * DynamoDB Local's stream writes an empty map as `{}` where DynamoDB writes `{"M":{}}`
 * (seen on DynamoDB Local 2.x; its GetItem answers `{"M":{}}` for the same item). An
 * attribute value has exactly one member, so `{}` can only be that empty map: it is put
 * back, at any depth, and every other value is left as sent.
 */
function repairedImage(image: Image): Image {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairedValue(value)]));
}

function repairedValue(value: Value): Value {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M !== undefined) return { M: repairedImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(repairedValue) };
  return value;
}
