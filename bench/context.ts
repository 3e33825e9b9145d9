import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { loadSettings, type Settings } from '../functions/wiring/settings';
import { Logger } from '@aws-lambda-powertools/logger';
import { createTables, LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION, localDynamoDbClient } from '../local/dynamodb-local';
import { startLocalStack, type LocalStack } from '../local/stack';

/**
 * What every figure group gets: the run's DynamoDB (Local), fresh tables on it, local
 * stacks, and a place for progress lines. Everything opened here is closed by `close`.
 */
export interface BenchTable {
  client: DynamoDBClient;
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

  /** A fresh, empty table, and the functions' settings naming it. */
  async table(prefix: string): Promise<BenchTable> {
    const client = this.dynamoDb();
    const settings = loadSettings({ TABLE_NAME: `${prefix}-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: this.dynamoDbEndpoint });
    await createTables(client, settings.tableName);
    return { client, settings };
  }

  /** The local stack (interface §5) on a free port, over `settings.tableName`. */
  async localStack(settings: Settings, logger: Logger = this.silentLogger()): Promise<LocalStack> {
    const stack = await startLocalStack({ port: 0, settings, logger });
    this.closers.push(() => stack.stop());
    return stack;
  }

  /** An EventBridge client publishing to a local stack's bus, as the functions do. */
  eventBridge(stack: LocalStack): EventBridgeClient {
    const client = new EventBridgeClient({ endpoint: stack.url, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
    this.closers.push(() => client.destroy());
    return client;
  }

  /** The functions' logger, writing nothing: the bench reads its own counts. */
  silentLogger(): Logger {
    return new Logger({ logLevel: 'SILENT' });
  }

  /** For functions a figure runs that must not publish: any PutEvents fails at once. */
  unusedEventBridge(): EventBridgeClient {
    const client = new EventBridgeClient({ endpoint: 'http://127.0.0.1:9', region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    this.closers.push(() => client.destroy());
    return client;
  }

  /** Closes what was opened, last first. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
