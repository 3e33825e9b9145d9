import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DYNAMODB_PROTOCOL, EVENTBRIDGE_PROTOCOL } from '../functions/aws/aws-json-client';
import { loadSettings, type Settings } from '../functions/config';
import { silentLogger, type Logger } from '../functions/log';
import { createTables, LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION, localAwsApi, localDynamoDbClient } from '../local/dynamodb-local';
import { InterceptedApi } from '../local/intercepted-api';
import { startLocalStack, type LocalStack } from '../local/stack';

/**
 * What every figure group gets: the run's DynamoDB (Local), fresh tables on it, local
 * stacks, and a place for progress lines. Everything opened here is closed by `close`.
 */
export interface BenchTable {
  /** The SDK client: the raw references, and setting the table up. */
  client: DynamoDBClient;
  /** The functions' own client on the same table, ready for interceptors. */
  api: InterceptedApi;
  settings: Settings;
}

export class BenchContext {
  private readonly closers: Array<() => Promise<void> | void> = [];

  constructor(
    readonly dynamoDbEndpoint: string,
    readonly report: (line: string) => void,
  ) {}

  /** A new client on the run's DynamoDB (closed with the context). */
  dynamoDb(): DynamoDBClient {
    const client = localDynamoDbClient(this.dynamoDbEndpoint);
    this.closers.push(() => client.destroy());
    return client;
  }

  /** A new client of the functions' own kind on the run's DynamoDB. */
  dynamoDbApi(): InterceptedApi {
    return new InterceptedApi(localAwsApi(DYNAMODB_PROTOCOL, this.dynamoDbEndpoint));
  }

  /** A fresh, empty table, and the functions' settings naming it. */
  async table(prefix: string): Promise<BenchTable> {
    const client = this.dynamoDb();
    const settings = loadSettings({ TABLE_NAME: `${prefix}-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: this.dynamoDbEndpoint });
    await createTables(client, settings.tableName);
    return { client, api: this.dynamoDbApi(), settings };
  }

  /** The local stack (interface §5) on a free port, over `settings.tableName`. */
  async localStack(settings: Settings, logger: Logger = silentLogger): Promise<LocalStack> {
    const stack = await startLocalStack({ port: 0, settings, logger });
    this.closers.push(() => stack.stop());
    return stack;
  }

  /** The functions' own client publishing to a local stack's bus. */
  eventBridgeApi(stack: LocalStack): InterceptedApi {
    return new InterceptedApi(localAwsApi(EVENTBRIDGE_PROTOCOL, stack.url));
  }

  /** An SDK EventBridge client sending to a local stack's bus, as the order system does. */
  eventBridge(stack: LocalStack): EventBridgeClient {
    const client = new EventBridgeClient({ endpoint: stack.url, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
    this.closers.push(() => client.destroy());
    return client;
  }

  /** Closes what was opened, last first. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
