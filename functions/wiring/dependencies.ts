import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgePublisher } from '../events/publisher';
import type { DeadLetterSink } from '../events/dead-letter';
import { SqsDeadLetterSink } from '../events/sqs-dead-letter-sink';
import { DynamoDbTable } from '../store/dynamodb/table';
import { dynamoDbBillingStore } from '../store/billing-store';
import { dynamoDbInvoiceLookupStore } from '../store/invoice-lookup-store';
import { dynamoDbLookupStore } from '../store/lookup-store';
import { dynamoDbOrderStore } from '../store/order-store';
import { dynamoDbOutboxStore } from '../store/outbox-store';
import { dynamoDbRenewalStore } from '../store/renewal-store';
import type { BillingDeps, Clock, IdGenerator, LookupDeps, OrderDeps, PublishingDeps, RenewalDeps, ShardQueue } from '../use-cases/deps';
import { SqsShardQueue } from '../events/sqs-shard-queue';
import type { ExportFiles } from '../exports/export-files';
import { S3Files } from '../exports/s3-files';
import { catalogOf, ConfigurationError, loadSettings, type Settings } from './settings';

/**
 * The composition root: every handler's dependencies are built here, from the
 * environment on Lambda (the `*FromEnvironment` functions, called once per cold start),
 * or from the clients the local stack and the tests hand in (the `*Dependencies`
 * functions, which Lambda's path goes through too). Nothing else constructs a client,
 * a store or a Powertools utility.
 *
 * Each function's bundle carries only the clients its builder names: the SDK packages
 * declare no side effects, so esbuild drops the others.
 */

/** What every handler has beside its use case's dependencies: the Powertools utilities it reports through. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/** What a test or the local stack may hand in instead of the defaults. */
export interface Overrides {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  metrics?: Metrics;
}

/** The lookups count nothing: no Metrics in their bundle. */
export type LookupHandlerDeps = LookupDeps & Pick<Observability, 'logger'>;
export type OrderHandlerDeps = OrderDeps & Observability & { deadLetters: DeadLetterSink };
/** The monthly renewal: its store, clock and metrics; it publishes nothing (its facts go out through the table's stream). */
export type RenewalHandlerDeps = RenewalDeps & Observability;
export type PublishingHandlerDeps = PublishingDeps & Observability;
/** The billing run: it publishes nothing either (its invoices are the outbox of InvoiceIssued). */
export type BillingHandlerDeps = BillingDeps & Observability;
/** The outcome publisher also dead-letters the stream records it can never publish. */
export type OutcomePublisherDeps = PublishingHandlerDeps & { deadLetters: DeadLetterSink };

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { next: () => randomUUID() };

function tableOf(settings: Settings, dynamoDb: DynamoDBClient): DynamoDbTable {
  return new DynamoDbTable({ client: dynamoDb, tableName: settings.tableName, renewalShards: settings.renewalShards });
}

/** The terms every decision is priced and dated by. */
function terms(settings: Settings, overrides: Overrides) {
  return { catalog: catalogOf(settings), clock: overrides.clock ?? systemClock, terminationFeeTaxable: settings.terminationFeeTaxable };
}

function observability(overrides: Overrides): Observability {
  return { logger: overrides.logger ?? new Logger(), metrics: overrides.metrics ?? new Metrics() };
}

export function lookupDependencies(
  settings: Settings,
  dynamoDb: DynamoDBClient,
  files: Pick<ExportFiles, 'urls'>,
  overrides: Overrides = {},
): LookupHandlerDeps {
  let logger = overrides.logger;
  const table = tableOf(settings, dynamoDb);
  return {
    store: dynamoDbLookupStore(table),
    invoices: dynamoDbInvoiceLookupStore(table),
    files,
    ...terms(settings, overrides),
    // The lookups log only their failures: their Logger, and the stdout stream it opens,
    // are built on the first one, not in every cold start (bench/README.md, figure 4).
    get logger() {
      return (logger ??= new Logger());
    },
  };
}

export function orderDependencies(settings: Settings, dynamoDb: DynamoDBClient, deadLetters: DeadLetterSink, overrides: Overrides = {}): OrderHandlerDeps {
  return {
    store: dynamoDbOrderStore(tableOf(settings, dynamoDb)),
    ...terms(settings, overrides),
    ids: overrides.ids ?? randomIds,
    ...observability(overrides),
    deadLetters,
  };
}

export function renewalDependencies(settings: Settings, dynamoDb: DynamoDBClient, overrides: Overrides = {}): RenewalHandlerDeps {
  return { store: dynamoDbRenewalStore(tableOf(settings, dynamoDb)), clock: overrides.clock ?? systemClock, ...observability(overrides) };
}

export function billingDependencies(
  settings: Settings,
  dynamoDb: DynamoDBClient,
  files: ExportFiles,
  deadLetters: DeadLetterSink,
  overrides: Overrides = {},
): BillingHandlerDeps {
  return {
    store: dynamoDbBillingStore(tableOf(settings, dynamoDb)),
    files,
    catalog: catalogOf(settings),
    clock: overrides.clock ?? systemClock,
    issuer: settings.invoiceIssuer,
    deadLetters,
    ...observability(overrides),
  };
}

export function publishingDependencies(
  settings: Settings,
  dynamoDb: DynamoDBClient,
  eventBridge: EventBridgeClient,
  overrides: Overrides = {},
): PublishingHandlerDeps {
  return {
    store: dynamoDbOutboxStore(tableOf(settings, dynamoDb)),
    publisher: new EventBridgePublisher({ client: eventBridge, eventBusName: settings.eventBusName }),
    ...observability(overrides),
  };
}

/**
 * Client settings every function shares: the SDK's standard retry mode (3 attempts), and
 * a limit on each attempt as a whole, response included (not only an idle socket), so
 * that no call outlives its function's timeout (AWS_ATTEMPT_TIMEOUT_MS).
 */
export function clientConfig(settings: Settings, endpoint: string | null) {
  return {
    retryMode: 'standard',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: Math.min(1_000, settings.attemptTimeoutMs), requestTimeout: settings.attemptTimeoutMs, throwOnRequestTimeout: true },
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The functions' DynamoDB client, at DYNAMODB_ENDPOINT when one is set. */
function dynamoDbOf(settings: Settings): DynamoDBClient {
  return new DynamoDBClient(clientConfig(settings, settings.dynamoDbEndpoint));
}

export function lookupFromEnvironment(env: NodeJS.ProcessEnv = process.env): LookupHandlerDeps {
  const settings = loadSettings(env);
  return lookupDependencies(settings, dynamoDbOf(settings), exportLinksOf(settings));
}

/**
 * The export lookup's links: signed for the bucket on the first export asked for (a
 * contract lookup's cold start builds no S3 client); without INVOICE_BUCKET_NAME that
 * lookup fails and says why, the others answer.
 */
function exportLinksOf(settings: Settings): Pick<ExportFiles, 'urls'> {
  const files = once(() => invoiceFilesOf(settings));
  return { urls: (month, names) => files().urls(month, names) };
}

/** The billing run's start: the table and the billing queue it sends the shards to. */
export function billingStartFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const settings = loadSettings(env);
  return { store: dynamoDbBillingStore(tableOf(settings, dynamoDbOf(settings))), clock: systemClock, logger: new Logger(), shards: shardQueueOf(settings) };
}

/** One shard of the billing run: the table, the month's files, where contracts it cannot bill go, and the queue it continues on. */
export function billingShardFromEnvironment(env: NodeJS.ProcessEnv = process.env): BillingHandlerDeps & { queue: ShardQueue } {
  const settings = loadSettings(env);
  const deadLetters = deadLetterSink(settings, 'contracts the billing run cannot bill go there');
  return { ...billingDependencies(settings, dynamoDbOf(settings), invoiceFilesOf(settings), deadLetters), queue: shardQueueOf(settings) };
}

function shardQueueOf(settings: Settings): ShardQueue {
  if (!settings.billingQueueUrl)
    throw new ConfigurationError([{ path: 'BILLING_QUEUE_URL', message: 'required: the billing run sends one message per shard there' }]);
  return new SqsShardQueue(new SQSClient(clientConfig(settings, null)), settings.billingQueueUrl);
}

/** The month's files on S3 (INVOICE_BUCKET_NAME). */
function invoiceFilesOf(settings: Settings): ExportFiles {
  const bucket = settings.invoiceBucketName;
  if (!bucket) throw new ConfigurationError([{ path: 'INVOICE_BUCKET_NAME', message: "required: the month's invoice files are kept there" }]);
  return new S3Files({ client: new S3Client(clientConfig(settings, null)), bucket, clock: systemClock });
}

export function ordersFromEnvironment(env: NodeJS.ProcessEnv = process.env): OrderHandlerDeps {
  const settings = loadSettings(env);
  return orderDependencies(settings, dynamoDbOf(settings), deadLetterSink(settings, 'unreadable events go there'));
}

export function outcomePublisherFromEnvironment(env: NodeJS.ProcessEnv = process.env): OutcomePublisherDeps {
  const settings = loadSettings(env);
  const deadLetters = deadLetterSink(settings, 'stream records that can never be published go there');
  return { ...publishingFromEnvironment(env), deadLetters };
}

function deadLetterSink(settings: Settings, why: string): DeadLetterSink {
  if (!settings.deadLetterQueueUrl) throw new ConfigurationError([{ path: 'DEAD_LETTER_QUEUE_URL', message: `required: ${why}` }]);
  // The SDK sends to the queue URL's own endpoint (its region), whatever the client's.
  return new SqsDeadLetterSink(new SQSClient(clientConfig(settings, null)), settings.deadLetterQueueUrl);
}

export function renewalFromEnvironment(env: NodeJS.ProcessEnv = process.env): RenewalHandlerDeps {
  const settings = loadSettings(env);
  return renewalDependencies(settings, dynamoDbOf(settings));
}

export function publishingFromEnvironment(env: NodeJS.ProcessEnv = process.env): PublishingHandlerDeps {
  const settings = loadSettings(env);
  return publishingDependencies(settings, dynamoDbOf(settings), new EventBridgeClient(clientConfig(settings, settings.eventBridgeEndpoint)));
}

/**
 * The exported Lambda `handler`: built on its first call, not at import, so that importing
 * a handler module for its factory needs no environment.
 */
export function builtOnFirstCall<E, C, R>(build: () => (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R> {
  const built = once(build);
  return (event, context) => built()(event, context);
}

/** What `build` makes, made on the first call and the same on every later one. */
export function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}
