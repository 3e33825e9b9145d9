import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  FilterCriteria,
  LoggingFormat,
  RecursiveLoop,
  Runtime,
  StartingPosition,
  SystemLogLevel,
  type Code,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { POWERTOOLS_ENVIRONMENT } from '../../functions/topology/function-environment';
import { OUTBOUND_SOURCE, type HandlerName } from '../../functions/topology/routing';
import { ALARM_PERIOD, alarmAbove, alarmOnAny } from './alarms';
import type { ContractsTable } from './contracts-table';
import { INVOICE_FILES_PREFIX, type InvoiceFiles } from './invoice-files';
import { nagRef } from './nag';
import { VISIBILITY_PER_CONSUMER_TIMEOUT, type WorkQueue } from './work-queue';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Runtime, bundling and base environment of every function; bench/ builds and loads its bundles from the same values. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

export const FUNCTION_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.CJS,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Node reads and parses the whole map at every cold start (--enable-source-maps below);
  // stack traces need only its mappings, so the map leaves out the sources, two thirds of it.
  sourcesContent: false,
  // The SDK is bundled (not taken from the runtime) so that the version we test is the
  // one that runs; ESM entry points first so esbuild can tree-shake it.
  bundleAwsSDK: true,
  externalModules: [],
  mainFields: ['module', 'main'],
  // Japanese text as written, not as \u escapes. Not `charset: Charset.UTF8`: this
  // aws-cdk-lib passes that option to no esbuild argument.
  esbuildArgs: { '--charset': 'utf8' },
};

export const FUNCTION_ENVIRONMENT: Record<string, string> = {
  // Stack traces in the logs name the TypeScript file and line. It costs a few ms of each
  // cold start, which the bundles figure measures (bench/README.md, figure 4).
  NODE_OPTIONS: '--enable-source-maps',
  ...POWERTOOLS_ENVIRONMENT,
};

/**
 * AWS_ATTEMPT_TIMEOUT_MS for a function: the SDK's 3 attempts, each at most this long,
 * and its backoff between them fit in the timeout with a quarter to spare (the lookup
 * function's 10 s: 2.5 s an attempt). Never more than 5 s: no call of ours takes that long.
 */
export function attemptTimeoutMs(timeout: Duration): number {
  return Math.min(5_000, Math.floor(timeout.toMilliseconds() / 4));
}

/**
 * The DynamoDB actions functions/store/dynamodb-contract-store.ts issues, and nothing more.
 * Transactions have no action of their own: TransactWriteItems is authorised item by item.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Under the stream's 24-hour retention; the order's 24-hour publishing lease (functions/use-cases/order-idempotency.ts) outlasts it. */
export const STREAM_GIVE_UP_AFTER = Duration.hours(23);

/** What the order functions write: orders, contracts and lines (PutItem, in transactions too) and an order's lease (UpdateItem). */
export const ORDER_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** The renewal puts contracts with their facts (a TransactWriteItems of Puts) and its notices' facts. */
export const RENEWAL_WRITE_ACTIONS = ['dynamodb:PutItem'];
/** The outcome publisher's one request: `markPublished`, an UpdateItem on an item of the outbox (an order, a FACT or an invoice). */
const TABLE_MARK_ACTIONS = ['dynamodb:UpdateItem'];
/** The billing run's start: it puts the month's run item and updates it (no other item). */
export const BILLING_RUN_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/**
 * A billing shard: a contract with its invoices and their run entries in one TransactWriteItems
 * (Puts), its shard's progress and sums (UpdateItem), and a contract it could not bill listed
 * in the run (PutItem) and unlisted once billed (DeleteItem).
 */
export const BILLING_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Per access: what the function reads (the table and all its GSIs; or the table and the GSIs
 * named, possibly only under the partition keys named), what it writes on the table, and the
 * partition keys it may write (dynamodb:LeadingKeys), where they are few.
 */
const TABLE_ACCESS = {
  read: { reads: true, writes: [], leadingKeys: null },
  orders: { reads: true, writes: ORDER_WRITE_ACTIONS, leadingKeys: null },
  renewal: { reads: true, writes: RENEWAL_WRITE_ACTIONS, leadingKeys: null },
  // Marks outbox items published and reads nothing: the stream brings it the items.
  markPublished: { reads: false, writes: TABLE_MARK_ACTIONS, leadingKeys: ['ORDER#*', 'FACT#*', 'INVOICES#*'] },
  // Writes the month's run item and reads the run back (a Query of BILLING-RUN#<month>, no index) for its summary.
  billingRun: { reads: { indexes: [], leadingKeys: ['BILLING-RUN#*'] }, writes: BILLING_RUN_WRITE_ACTIONS, leadingKeys: ['BILLING-RUN#*'] },
  // Reads the contracts due (GSI5 BILLING#<shard>) and the contracts themselves; writes invoices, contracts' billing state and the run.
  billing: { reads: { indexes: ['GSI5'], leadingKeys: null }, writes: BILLING_WRITE_ACTIONS, leadingKeys: ['CONTRACT#*', 'INVOICES#*', 'BILLING-RUN#*'] },
} satisfies Record<string, TableAccessRule>;

interface TableAccessRule {
  reads: boolean | { indexes: string[]; leadingKeys: string[] | null };
  writes: string[];
  leadingKeys: string[] | null;
}

export type TableAccess = keyof typeof TABLE_ACCESS;

export interface StreamSubscription {
  /** Lambda filter pattern: only matching records invoke the function. */
  filter: Record<string, unknown>;
  /** Where Lambda describes a batch it gave up on (shard and sequence numbers, not the records). */
  onFailure: IQueue;
  /** How far behind the stream the function may fall before its lateness alarm fires. */
  lateAfter: Duration;
}

export interface ContractsFunctionProps {
  /** File under functions/handlers/ exporting `handler`. */
  handler: HandlerName;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Deployment settings every function reads (functions/wiring/settings.ts). */
  environment: Record<string, string>;
  /**
   * For functions invoked asynchronously (EventBridge, Scheduler): where the event goes
   * once Lambda's own retries are spent. Omitted for functions only called synchronously.
   */
  onFailure?: IQueue;
  /** Replaces the esbuild bundle; only the assertion tests use it (see test/cdk). */
  code?: Code;
}

export interface QueueSubscription {
  /**
   * The most invocations at once the queue may start (SQS event source maximum
   * concurrency, 2 to 1000): what the resources the function writes can take.
   */
  maxConcurrency: number;
}

/**
 * The house Lambda: every function of the system gets the same runtime, bundling,
 * logging and failure handling from here, and its permissions only through the
 * `bindTable` / `readsStream` / `readsQueue` / `publishesTo` / `sendsMessagesTo` /
 * `sendsDeadLettersTo` / `writesInvoiceFiles` / `signsInvoiceFileUrls` helpers below.
 */
export class ContractsFunction extends Construct {
  /** Retries Lambda makes itself after an asynchronous invocation fails. */
  static readonly ASYNC_RETRY_ATTEMPTS = 2;

  readonly fn: NodejsFunction;
  readonly errorsAlarm: Alarm;
  private readonly handlerName: HandlerName;
  private readonly logGroup: LogGroup;
  private readonly timeout: Duration;
  private readonly role: Role;

  constructor(scope: Construct, id: string, props: ContractsFunctionProps) {
    super(scope, id);
    this.handlerName = props.handler;
    this.timeout = props.timeout;
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    this.logGroup = logGroup;
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: it may write to this log group only.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    logGroup.grantWrite(role);
    this.role = role;

    this.fn = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: path.join(PROJECT_ROOT, 'functions', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      ...(props.code ? { code: props.code } : {}),
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: FUNCTION_BUNDLING,
      environment: { ...FUNCTION_ENVIRONMENT, AWS_ATTEMPT_TIMEOUT_MS: String(attemptTimeoutMs(props.timeout)), ...props.environment },
      // Lambda stops a function invoked about 16 times in one chain of requests (SQS included), stated
      // so that a change of AWS defaults cannot change it. The one loop of the system, a billing shard
      // queueing its own continuation, needs far fewer (docs/design.md "The billing run on AWS").
      recursiveLoop: RecursiveLoop.TERMINATE,
      ...(props.onFailure
        ? {
            retryAttempts: ContractsFunction.ASYNC_RETRY_ATTEMPTS,
            maxEventAge: Duration.hours(6),
            onFailure: new SqsDestination(props.onFailure),
          }
        : {}),
    });

    // A failure a function reports and its source retries (an SQS batch item) is not an error;
    // an error is an invocation that threw, timed out or could not start.
    this.errorsAlarm = alarmOnAny(
      this,
      'ErrorsAlarm',
      this.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `The ${props.handler} function failed: see its log group ${logGroup.logGroupName}.`,
    );
  }

  /** TABLE_NAME and exactly the table access this function needs: reads on the table and its GSIs, writes on the table. */
  bindTable(contracts: ContractsTable, access: TableAccess): void {
    const { reads, writes, leadingKeys }: TableAccessRule = TABLE_ACCESS[access];
    this.fn.addEnvironment('TABLE_NAME', contracts.table.tableName);
    if (reads) {
      const indexes = reads === true ? contracts.indexArns : reads.indexes.map((name) => contracts.indexArn(name));
      const readKeys = reads === true ? null : reads.leadingKeys;
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: TABLE_READ_ACTIONS,
          resources: [contracts.table.tableArn, ...indexes],
          ...(readKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': readKeys } } } : {}),
        }),
      );
    }
    if (writes.length > 0) {
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: writes,
          resources: [contracts.table.tableArn],
          ...(leadingKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } } } : {}),
        }),
      );
    }
  }

  /**
   * Invokes the function with the table's stream records that pass the filter, and an
   * alarm when it falls behind. A failing batch is retried until it succeeds or its
   * records are 23 h old (then reported to `onFailure`): partial batch responses restart it from the first
   * record not done, bisection isolates a record that makes the function fail.
   */
  readsStream(contracts: ContractsTable, subscription: StreamSubscription): void {
    const streamArn = contracts.table.tableStreamArn;
    if (!streamArn) throw new Error(`${contracts.node.path} has no stream for the ${this.handlerName} function to read`);
    this.fn.addEventSourceMapping('TableStream', {
      eventSourceArn: streamArn,
      // From the oldest record the stream holds: what was written before the mapping existed is read too.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      filters: [FilterCriteria.filter(subscription.filter)],
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      // -1: retry without a count limit, stated so that a change of AWS defaults cannot change it.
      retryAttempts: -1,
      // Give up an hour before the stream drops the record (24 h), so that Lambda itself
      // writes the failure record to the queue: records the stream drops are not reported.
      maxRecordAge: STREAM_GIVE_UP_AFTER,
      onFailure: new SqsDlq(subscription.onFailure),
    });
    contracts.table.grantStreamRead(this.fn);

    alarmAbove(
      this,
      'IteratorAgeAlarm',
      this.fn.metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' }),
      subscription.lateAfter.toMilliseconds(),
      `The ${this.handlerName} function is more than ${subscription.lateAfter.toHumanString()} behind the table's stream: ` +
        `its work is late. See its log group ${this.logGroup.logGroupName}.`,
    );
  }

  /** EVENT_BUS_NAME and PutEvents on that bus, for outcome events (source omakase.contracts) only. */
  publishesTo(bus: IEventBus): void {
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': OUTBOUND_SOURCE } },
      }),
    );
  }

  /**
   * Invoked with the queue's messages one at a time: a message the function fails (or
   * reports failed) is retried alone by the queue after its visibility timeout, then
   * redriven to the queue's dead letters. The queue must hide a message for at least six
   * of this function's timeouts (AWS's advice), so that no message is worked on twice at once.
   */
  readsQueue(work: WorkQueue, subscription: QueueSubscription): void {
    const needed = this.timeout.toSeconds() * VISIBILITY_PER_CONSUMER_TIMEOUT;
    if (work.visibilityTimeout.toSeconds() < needed) {
      throw new Error(
        `${work.node.path} hides a message ${work.visibilityTimeout.toSeconds()} s, under 6 × the ${this.handlerName} function's timeout (${needed} s)`,
      );
    }
    this.fn.addEventSource(new SqsEventSource(work.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: subscription.maxConcurrency }));
  }

  /** `variable` (a queue URL) and sqs:SendMessage on that one queue (SendMessageBatch too), nothing else. */
  sendsMessagesTo(queue: IQueue, variable: string): void {
    this.fn.addEnvironment(variable, queue.queueUrl);
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  }

  /**
   * INVOICE_BUCKET_NAME, and what writing the month's files needs, under `invoices/` only:
   * PutObject (lib-storage's multipart upload too) and AbortMultipartUpload. It cannot read,
   * list or delete a file.
   */
  writesInvoiceFiles(files: InvoiceFiles): void {
    this.fn.addEnvironment('INVOICE_BUCKET_NAME', files.bucket.bucketName);
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [files.filesArn] }));
    this.acknowledgeFilesWildcard(files, 'writes each file of a month under invoices/YYYY-MM/, the names made by the run');
  }

  /**
   * INVOICE_BUCKET_NAME and s3:GetObject under `invoices/` only: what a pre-signed download
   * URL needs (S3 checks the signer's permission when the URL is used). It cannot list, write or delete.
   */
  signsInvoiceFileUrls(files: InvoiceFiles): void {
    this.fn.addEnvironment('INVOICE_BUCKET_NAME', files.bucket.bucketName);
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [files.filesArn] }));
    this.acknowledgeFilesWildcard(files, 'signs download URLs for the files of any closed month, all under invoices/');
  }

  private acknowledgeFilesWildcard(files: InvoiceFiles, what: string): void {
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagRef(files.bucket, 'Arn')}/${INVOICE_FILES_PREFIX}*]`,
      reason: `The ${this.handlerName} function ${what}: the objects under that prefix of the one invoice bucket.`,
    });
  }

  /** DEAD_LETTER_QUEUE_URL and SendMessage on it, for events too broken to read an orderId from. */
  sendsDeadLettersTo(queue: IQueue): void {
    this.fn.addEnvironment('DEAD_LETTER_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.fn);
  }
}
