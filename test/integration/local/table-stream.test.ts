import { CreateTableCommand, DescribeTableCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ExpiredIteratorException, type GetShardIteratorCommandInput } from '@aws-sdk/client-dynamodb-streams';
import { createTables } from '../../../local/dynamodb-local';
import { localStreamsClient, TableStream, TableStreamNotEnabledError } from '../../../local/table-stream';
import { dynamoDbEndpoint, freshTable, type TestTable } from '../support/dynamodb';

/** The reader of a table's stream the local stream mapping polls, on DynamoDB Local. */
let table: TestTable;
const streams = localStreamsClient(dynamoDbEndpoint());
beforeAll(async () => {
  table = await freshTable('table-stream');
});
afterAll(() => {
  table.client.destroy();
  streams.destroy();
});

const clients = () => ({ dynamoDb: table.client, streams });
const put = (pk: string, extra: Record<string, unknown> = {}) =>
  table.client.send(new PutItemCommand({ TableName: table.settings.tableName, Item: { PK: { S: pk }, SK: { S: 'ITEM' }, ...extra } }));
const keysOf = (records: Awaited<ReturnType<TableStream['read']>>) => records.map((record) => record.dynamodb?.Keys?.PK?.S);

describe('TableStream', () => {
  it('starts at the end of the stream and returns what is written next, once, in order, as Lambda delivers it', async () => {
    await put('before-open');
    const stream = await TableStream.open(clients(), table.settings.tableName);
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.settings.tableName }));
    await put('first', { published: { BOOL: false }, blob: { B: new Uint8Array([1, 2, 3]) }, nested: { M: { list: { L: [{ B: new Uint8Array([255]) }] } } } });
    await put('second');
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.settings.tableName,
        Key: { PK: { S: 'first' }, SK: { S: 'ITEM' } },
        UpdateExpression: 'SET published = :yes',
        ExpressionAttributeValues: { ':yes': { BOOL: true } },
      }),
    );

    const records = await stream.read();

    expect(records.map((record) => [record.eventName, record.dynamodb?.Keys?.PK?.S])).toEqual([
      ['INSERT', 'first'],
      ['INSERT', 'second'],
      ['MODIFY', 'first'],
    ]);
    const [first] = records;
    expect(first).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: Table?.LatestStreamArn, dynamodb: { StreamViewType: 'NEW_IMAGE' } });
    // Lambda's JSON: epoch seconds, binary in base64.
    expect(first?.dynamodb?.ApproximateCreationDateTime).toEqual(expect.any(Number));
    expect(Math.abs((first?.dynamodb?.ApproximateCreationDateTime as number) - Date.now() / 1000)).toBeLessThan(120);
    expect(first?.dynamodb?.NewImage).toEqual({
      PK: { S: 'first' },
      SK: { S: 'ITEM' },
      published: { BOOL: false },
      blob: { B: 'AQID' },
      nested: { M: { list: { L: [{ B: '/w==' }] } } },
    });
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber as string));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
    expect(await stream.read()).toEqual([]);
  });

  it('hands over every attribute value exactly as the stream sent it: empty maps, lists and strings, binary, sets, NULL', async () => {
    const stream = await TableStream.open(clients(), table.settings.tableName);
    const values = {
      emptyMap: { M: {} },
      emptyList: { L: [] },
      emptyString: { S: '' },
      nestedEmpty: { M: { services: { M: {} }, reasons: { L: [{ M: {} }, { L: [] }] } } },
      binary: { B: new Uint8Array([0, 1, 254, 255]) },
      emptyBinary: { B: new Uint8Array([]) },
      strings: { SS: ['a', 'b'] },
      numbers: { NS: ['0.000000000000000000000000000000000001', '1', '99999999999999999999999999999999999999'] },
      binaries: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
      nothing: { NULL: true },
      number: { N: '-0.5' },
      flag: { BOOL: false },
    };
    await put('every-value', values);

    const [record] = await stream.read();
    // DynamoDB answers sets in an order of its own.
    const image = record?.dynamodb?.NewImage ?? {};
    for (const set of ['strings', 'numbers', 'binaries'] as const) {
      const value = image[set] as unknown as Record<string, string[]>;
      for (const member of Object.keys(value)) value[member]?.sort();
    }
    expect(image).toEqual({
      PK: { S: 'every-value' },
      SK: { S: 'ITEM' },
      ...values,
      // Lambda's JSON carries binary as base64.
      binary: { B: 'AAH+/w==' },
      emptyBinary: { B: '' },
      binaries: { BS: ['AQ==', 'AgM='] },
    });
  });

  it('takes a new iterator after the last record it read when its iterator has expired: nothing lost, nothing twice', async () => {
    const expireNext = { getRecords: 0 };
    const iteratorRequests: GetShardIteratorCommandInput[] = [];
    const flaky = localStreamsClient(dynamoDbEndpoint());
    flaky.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetShardIteratorCommand') iteratorRequests.push(args.input as GetShardIteratorCommandInput);
        if (context.commandName === 'GetRecordsCommand' && expireNext.getRecords > 0) {
          expireNext.getRecords -= 1;
          throw new ExpiredIteratorException({ message: 'Iterator expired (injected)', $metadata: {} });
        }
        return next(args);
      },
      { step: 'initialize', name: 'expireIterators' },
    );
    try {
      const stream = await TableStream.open({ dynamoDb: table.client, streams: flaky }, table.settings.tableName);
      await put('exp-1');
      await put('exp-2');
      const firstRead = await stream.read();
      expect(keysOf(firstRead)).toEqual(['exp-1', 'exp-2']);
      const lastRead = iteratorRequests.length;

      await put('exp-3');
      expireNext.getRecords = 1;
      expect(keysOf(await stream.read())).toEqual(['exp-3']);

      expect(iteratorRequests.slice(lastRead)).toEqual([
        expect.objectContaining({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: firstRead[1]?.dynamodb?.SequenceNumber }),
      ]);
      expect(await stream.read()).toEqual([]);
    } finally {
      flaky.destroy();
    }
  });

  it('refuses a table without a stream, which createTables then enables (a table made before the stream existed)', async () => {
    const tableName = `no-stream-${Date.now()}`;
    await table.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      }),
    );
    await expect(TableStream.open(clients(), tableName)).rejects.toThrow(TableStreamNotEnabledError);

    await createTables(table.client, tableName);
    await createTables(table.client, tableName);

    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const stream = await TableStream.open(clients(), tableName);
    await table.client.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'after' }, SK: { S: 'ITEM' } } }));
    expect(keysOf(await stream.read())).toEqual(['after']);
  });
});
