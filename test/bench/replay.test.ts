import { replayed, RequestRecorder } from '../../bench/figures/bundles';

const tables = { ours: 'bench-coldstart-1a2b3c4d', twin: 'bench-coldstart-9f8e7d6c' };

describe('figure 4 replays what a function sent', () => {
  it('keeps the requests sent between start and stop, by operation, and none outside them', () => {
    const recorder = new RequestRecorder();
    recorder.record('DynamoDB_20120810.GetItem', '{"before":true}');
    recorder.start();
    recorder.record('DynamoDB_20120810.TransactWriteItems', '{"n":1}');
    recorder.record('AWSEvents.PutEvents', '{"n":2}');
    expect(recorder.stop()).toEqual([
      { op: 'TransactWriteItems', body: '{"n":1}' },
      { op: 'PutEvents', body: '{"n":2}' },
    ]);
    recorder.record('DynamoDB_20120810.GetItem', '{"after":true}');
    expect(recorder.stop()).toEqual([]);
  });

  it('refuses a request that names no operation', () => {
    expect(() => new RequestRecorder().record(undefined, '{}')).toThrow('X-Amz-Target');
  });

  it('sends them to the twin table, with the SDK left to make its own idempotency token', () => {
    const body = JSON.stringify({
      ClientRequestToken: 'copied',
      TransactItems: [
        { Put: { TableName: tables.ours, Item: { PK: { S: 'ORDER#1' } } } },
        { Update: { TableName: tables.ours, Key: { PK: { S: 'LINE#1' } } } },
      ],
    });
    expect(replayed([{ op: 'TransactWriteItems', body }], tables)).toEqual([
      {
        op: 'TransactWriteItems',
        input: {
          TransactItems: [
            { Put: { TableName: tables.twin, Item: { PK: { S: 'ORDER#1' } } } },
            { Update: { TableName: tables.twin, Key: { PK: { S: 'LINE#1' } } } },
          ],
        },
      },
    ]);
  });

  it('stops on an operation the minimal handlers cannot send, rather than measuring less than the function did', () => {
    expect(() => replayed([{ op: 'BatchWriteItem', body: '{}' }], tables)).toThrow('BatchWriteItem');
  });
});
