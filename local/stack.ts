import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import {
  billingDependencies,
  clientConfig,
  lookupDependencies,
  orderDependencies,
  publishingDependencies,
  renewalDependencies,
  systemClock,
  type Overrides,
} from '../functions/wiring/dependencies';
import type { Settings } from '../functions/wiring/settings';
import { createCancellationHandler } from '../functions/handlers/cancellation';
import { createContractApplicationHandler } from '../functions/handlers/contract-application';
import { createLookupApiHandler } from '../functions/handlers/lookup-api';
import { createMonthlyRenewalHandler } from '../functions/handlers/monthly-renewal';
import { createBillingShardHandler } from '../functions/handlers/billing-shard';
import { createMonthlyBillingHandler } from '../functions/handlers/monthly-billing';
import { LocalFolderFiles } from '../functions/exports/local-folder-files';
import { billingRunSummary } from '../functions/use-cases/monthly-billing';
import { createOutcomePublisherHandler } from '../functions/handlers/outcome-publisher';
import { createServicesChangeHandler } from '../functions/handlers/services-change';
import { createPlanChangeHandler } from '../functions/handlers/plan-change';
import { createOneOffOrderHandler } from '../functions/handlers/one-off-order';
import { FUNCTION_SIZING, timeoutMsOf } from '../functions/topology/function-sizing';
import { isUnpublishedOutcome } from '../functions/topology/outcome-stream';
import type { HandlerName } from '../functions/topology/routing';
import type { Clock } from '../functions/use-cases/deps';
import type { YearMonth } from '../functions/domain/calendar';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answering,
  createTables,
  DynamoDbUnreachableError,
  LOCAL_CREDENTIALS,
  LOCAL_DYNAMODB_REGION,
  localDynamoDbClient,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from './dynamodb-local';
import { LocalEventBus, type RetryPolicy } from './event-bus';
import type { LambdaHandler, LocalFunction } from './lambda-runtime';
import { startLocalServer, type LocalServer } from './server';
import { LocalShardQueue } from './shard-queue';
import { pendingOutcomeRecords } from './pending-outcomes';
import { StreamMapping } from './stream-mapping';
import { localStreamsClient } from './table-stream';

/**
 * The whole local stack in this process (interface §5): DynamoDB Local (or the one at
 * DYNAMODB_ENDPOINT) with the table, the HTTP server, the bus, the table's stream mapped
 * to the outcome publisher, and the six real handler functions built by their factories
 * with clients pointed at the local services. Used by `npm start` and by the end-to-end test.
 */
export const DEFAULT_PORT = 3000;

export interface LocalStackOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** The functions' settings (loadSettings); `dynamoDbEndpoint` set means: use that DynamoDB. */
  settings: Settings;
  /** Keep DynamoDB Local's data in this folder; default in memory. Not with settings.dynamoDbEndpoint. */
  dataDir?: string | null;
  retry?: RetryPolicy;
  clock?: Clock;
  /** Where the functions log; default Powertools' JSON lines on stdout, as in CloudWatch. */
  logger?: Logger;
  /** Where the functions' metrics go; default EMF lines on stdout (off with POWERTOOLS_METRICS_DISABLED=true). */
  metrics?: Metrics;
  progress?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  port: number;
  dynamoDb: { endpoint: string; description: string };
  stop(): Promise<void>;
}

async function step<T>(progress: (line: string) => void, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  progress(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

/** The DynamoDB that DYNAMODB_ENDPOINT names, once it answers. */
async function usingExternal(endpoint: string): Promise<DynamoDbLocal> {
  const problem = await answering(endpoint);
  if (problem !== null) throw new DynamoDbUnreachableError(problem);
  return { endpoint, stop: () => Promise.resolve(), problem: () => answering(endpoint) };
}

/** A function with the timeout and memory the CDK stack deploys it with (functions/topology/function-sizing.ts). */
function localFunction(name: HandlerName, handler: LambdaHandler): LocalFunction {
  return { name, timeoutMs: timeoutMsOf(name), memoryMb: FUNCTION_SIZING[name].memoryMb, handler };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const progress = options.progress ?? (() => undefined);
  const dataDir = options.dataDir ?? null;
  const external = options.settings.dynamoDbEndpoint;
  let server: LocalServer | undefined;
  let database: DynamoDbLocal | undefined;
  let dynamoDb: DynamoDBClient | undefined;
  let eventBridge: EventBridgeClient | undefined;
  let functionsDynamoDb: DynamoDBClient | undefined;
  let bus: LocalEventBus | undefined;
  let streams: DynamoDBStreamsClient | undefined;
  let outcomes: StreamMapping | undefined;
  // Deliveries still running may publish through the server and write orders, whose
  // outcomes the stream mapping then publishes through the server: they end in that order.
  const stop = async () => {
    await bus?.close();
    await outcomes?.close();
    await server?.close();
    eventBridge?.destroy();
    functionsDynamoDb?.destroy();
    streams?.destroy();
    dynamoDb?.destroy();
    await database?.stop();
  };
  try {
    server = await startLocalServer({ port: options.port ?? DEFAULT_PORT });
    progress(`HTTP server listening on ${server.url}`);
    database = external
      ? await usingExternal(external)
      : await step(progress, `DynamoDB Local started (${dataDir ? `data folder ${dataDir}` : 'in memory'})`, () =>
          startDynamoDbLocal({ ...(dataDir ? { dataDir } : {}), corsOrigin: server?.url ?? 'http://127.0.0.1' }),
        );
    const running = database;
    const db = localDynamoDbClient(database.endpoint);
    dynamoDb = db;
    await step(progress, `table ${options.settings.tableName} ready`, () => createTables(db, options.settings.tableName));

    // The functions publish through the real SDK client to this server, as they publish to EventBridge on AWS.
    const settings: Settings = { ...options.settings, dynamoDbEndpoint: database.endpoint, eventBridgeEndpoint: server.url };
    const local = { region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS };
    eventBridge = new EventBridgeClient({ ...clientConfig(settings, server.url), ...local });
    const functionsDb = new DynamoDBClient({ ...clientConfig(settings, database.endpoint), ...local });
    functionsDynamoDb = functionsDb;
    const overrides: Overrides = {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    };
    // The bus is the dead-letter store: it attributes each letter to the delivery that wrote it.
    const orders = orderDependencies(settings, functionsDb, { deadLetter: (reason, payload) => bus?.deadLetter(reason, payload) }, overrides);
    const publishing = publishingDependencies(settings, functionsDb, eventBridge, overrides);
    const outcomePublishing = {
      ...publishing,
      deadLetters: { deadLetter: (reason: string, payload: unknown) => bus?.deadLetter(reason, payload, 'outcome-publisher') },
    };
    bus = new LocalEventBus({
      busName: settings.eventBusName,
      functions: new Map([
        ['contract-application', localFunction('contract-application', createContractApplicationHandler(orders))],
        ['services-change', localFunction('services-change', createServicesChangeHandler(orders))],
        ['cancellation', localFunction('cancellation', createCancellationHandler(orders))],
        ['plan-change', localFunction('plan-change', createPlanChangeHandler(orders))],
        ['one-off-order', localFunction('one-off-order', createOneOffOrderHandler(orders))],
      ]),
      ...(options.retry ? { retry: options.retry } : {}),
    });
    // Before the server takes events: the mapping reads from the end of the stream as it is now.
    streams = localStreamsClient(database.endpoint);
    const mapping = new StreamMapping({
      clients: { dynamoDb: db, streams },
      tableName: settings.tableName,
      fn: localFunction('outcome-publisher', createOutcomePublisherHandler(outcomePublishing)),
      filter: isUnpublishedOutcome,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    // What a previous run stored and did not publish goes first (a restart over --data-dir).
    await mapping.start((streamArn) => pendingOutcomeRecords(db, settings.tableName, streamArn));
    outcomes = mapping;
    progress(`stream of table ${settings.tableName} mapped to the outcome publisher`);
    // The month's files: in the data folder, kept with the table; else a folder of this run's own.
    const filesRoot = dataDir ? join(dataDir, 'files') : await mkdtemp(join(tmpdir(), 'omakase-files-'));
    const files = new LocalFolderFiles({ root: filesRoot, baseUrl: server.url, clock: overrides.clock ?? systemClock });
    const shardQueue = new LocalShardQueue((reason, payload) => bus?.deadLetter(reason, payload, 'billing-shard'));
    const billing = billingDependencies(
      settings,
      functionsDb,
      files,
      { deadLetter: (reason, payload) => bus?.deadLetter(reason, payload, 'billing-shard') },
      overrides,
    );
    shardQueue.deliverTo(localFunction('billing-shard', createBillingShardHandler({ ...billing, queue: shardQueue })));
    server.ready({
      bus,
      lookup: localFunction('lookup-api', createLookupApiHandler(lookupDependencies(settings, functionsDb, files, overrides))),
      billing: {
        start: localFunction('monthly-billing', createMonthlyBillingHandler({ ...billing, shards: shardQueue })),
        drained: () => shardQueue.drained(),
        summary: async (month) => billingRunSummary(await billing.store.readRun(month as YearMonth)),
      },
      filesRoot,
      renewal: localFunction('monthly-renewal', createMonthlyRenewalHandler(renewalDependencies(settings, functionsDb, overrides))),
      health: { dynamodb: () => running.problem(), streamMapping: () => Promise.resolve(mapping.problem()) },
    });
    progress(`local bus ${settings.eventBusName} routing to the handler functions`);

    return {
      url: server.url,
      port: server.port,
      dynamoDb: {
        endpoint: database.endpoint,
        description: external ? 'DYNAMODB_ENDPOINT' : dataDir ? `DynamoDB Local, data folder ${dataDir}` : 'DynamoDB Local, in memory: data goes when you stop',
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
