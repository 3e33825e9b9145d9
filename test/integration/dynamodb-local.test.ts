import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CONTRACTS_TABLE } from '../../functions/topology/table-definition';
import { createTables } from '../../local/dynamodb-local';
import { extraClient } from './support/dynamodb';

describe('createTables', () => {
  const client = extraClient();
  afterAll(() => client.destroy());

  it('creates the table of the shared definition, on demand, and leaves an existing one alone', async () => {
    const tableName = `create-tables-${Date.now()}`;
    await createTables(client, tableName);
    await client.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'kept' }, SK: { S: 'kept' } } }));
    await createTables(client, tableName);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.ItemCount).toBe(1);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => ({ name: index.IndexName, projection: index.Projection }))).toEqual(
      expect.arrayContaining(CONTRACTS_TABLE.globalSecondaryIndexes.map((index) => ({ name: index.indexName, projection: index.projection }))),
    );
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(CONTRACTS_TABLE.globalSecondaryIndexes.length);
  });
});

describe('startDynamoDbLocal', () => {
  it('says how to install Java when there is none', () => {
    // In a child process with no java on its PATH (the test's own environment is not the one spawn reads).
    const script = `require('./local/dynamodb-local').startDynamoDbLocal().catch((e) => { console.log(e.name + ': ' + e.message); })`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      env: { PATH: '/nonexistent' },
      encoding: 'utf8',
    });

    expect(run.stdout).toContain('JavaNotFoundError');
    expect(run.stdout).toContain('apt-get install openjdk-17-jre-headless');
  });
});
