import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadSettings, type Settings } from '../../../functions/wiring/settings';
import { createTables, localDynamoDbClient } from '../../../local/dynamodb-local';

/**
 * A fresh table on the run's DynamoDB Local (global-setup), so that each test file, and
 * each test that wants one, starts empty and independent of the others.
 */
export function dynamoDbEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the integration tests with test/integration/global-setup.ts');
  return endpoint;
}

export interface TestTable {
  client: DynamoDBClient;
  settings: Settings;
}

export async function freshTable(prefix: string, env: Record<string, string> = {}): Promise<TestTable> {
  const client = localDynamoDbClient(dynamoDbEndpoint());
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTables(client, tableName);
  return { client, settings: loadSettings({ TABLE_NAME: tableName, RENEWAL_SHARDS: '4', ...env }) };
}

/** Another client on the same database, for middleware that must not affect the first. */
export function extraClient(): DynamoDBClient {
  return localDynamoDbClient(dynamoDbEndpoint());
}
