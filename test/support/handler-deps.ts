import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { dependenciesFrom, type AllHandlerDeps } from '../../bench/deps';
import type { Settings } from '../../functions/wiring/settings';
import type { DeadLetterSink } from '../../functions/events/dead-letter';
import type { Clock, IdGenerator } from '../../functions/use-cases/deps';
import { InMemoryDeadLetterSink, quietMetrics, silentLogger } from './observability';

/** The clients and fakes a test runs the handlers on; what it leaves out gets a quiet default. */
export interface TestClients {
  settings: Settings;
  dynamoDb: DynamoDBClient;
  eventBridge?: EventBridgeClient;
  deadLetters?: DeadLetterSink;
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  metrics?: Metrics;
}

// Never called: a test that publishes passes the fake bus's client.
const UNUSED_EVENTBRIDGE = new EventBridgeClient({
  region: 'ap-northeast-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

/** The handlers' dependencies as the composition root builds them, on the test's clients. */
export function testDeps(clients: TestClients): AllHandlerDeps {
  return dependenciesFrom(
    {
      settings: clients.settings,
      dynamoDb: clients.dynamoDb,
      eventBridge: clients.eventBridge ?? UNUSED_EVENTBRIDGE,
      deadLetters: clients.deadLetters ?? new InMemoryDeadLetterSink(),
    },
    {
      logger: clients.logger ?? silentLogger(),
      metrics: clients.metrics ?? quietMetrics(),
      ...(clients.clock ? { clock: clients.clock } : {}),
      ...(clients.ids ? { ids: clients.ids } : {}),
    },
  );
}
