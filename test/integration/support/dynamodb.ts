import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadSettings, type Settings } from '../../../functions/config';
import { DYNAMODB_PROTOCOL } from '../../../functions/aws/aws-json-client';
import { createTables, localAwsApi, localDynamoDbClient } from '../../../local/dynamodb-local';
import { InterceptedApi } from '../../../local/intercepted-api';

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
  /** The SDK client: setting up and inspecting the table. */
  client: DynamoDBClient;
  /** The functions' own client on it, for their deps; interceptors count or break its requests. */
  api: InterceptedApi;
  settings: Settings;
}

export async function freshTable(prefix: string, env: Record<string, string> = {}): Promise<TestTable> {
  const client = localDynamoDbClient(dynamoDbEndpoint());
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTables(client, tableName);
  return { client, api: extraApi(), settings: loadSettings({ TABLE_NAME: tableName, RENEWAL_SHARDS: '4', ...env }) };
}

/** Another SDK client on the same database. */
export function extraClient(): DynamoDBClient {
  return localDynamoDbClient(dynamoDbEndpoint());
}

/** Another of the functions' clients on the same database, for interceptors that must not affect the first. */
export function extraApi(): InterceptedApi {
  return new InterceptedApi(localAwsApi(DYNAMODB_PROTOCOL, dynamoDbEndpoint()));
}
