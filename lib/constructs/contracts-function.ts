import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, type Code } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Charset, NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOUND_SOURCE, type HandlerName } from '../../functions/infra/routing';
import { ALARM_PERIOD, alarmOnAny } from './alarms';
import type { ContractsTable } from './contracts-table';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export type TableAccess = 'read' | 'readWrite';

/** Runtime, bundling and base environment of every function; bench/ builds and loads its bundles from the same values. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

export const FUNCTION_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.CJS,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // The SDK is bundled (not taken from the runtime) so that the version we test is the
  // one that runs; ESM entry points first so esbuild can tree-shake it.
  bundleAwsSDK: true,
  externalModules: [],
  mainFields: ['module', 'main'],
  charset: Charset.UTF8,
};

export const FUNCTION_ENVIRONMENT: Record<string, string> = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'omakase-contracts',
  POWERTOOLS_METRICS_NAMESPACE: 'OmakaseContracts',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/**
 * The DynamoDB actions functions/store/dynamodb-contract-store.ts issues, and nothing more.
 * Transactions have no action of their own: TransactWriteItems is authorised item by item.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

export interface ContractsFunctionProps {
  /** File under functions/handlers/ exporting `handler`. */
  handler: HandlerName;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Deployment settings every function reads (functions/config.ts). */
  environment: Record<string, string>;
  /**
   * For functions invoked asynchronously (EventBridge, Scheduler): where the event goes
   * once Lambda's own retries are spent. Omitted for functions only called synchronously.
   */
  onFailure?: IQueue;
  /** Replaces the esbuild bundle; only the assertion tests use it (see test/cdk). */
  code?: Code;
}

/**
 * The house Lambda: every function of the system gets the same runtime, bundling,
 * logging and failure handling from here, and its permissions only through the
 * `bindTable` / `publishesTo` / `sendsDeadLettersTo` helpers below.
 */
export class ContractsFunction extends Construct {
  /** Retries Lambda makes itself after an asynchronous invocation fails. */
  static readonly ASYNC_RETRY_ATTEMPTS = 2;

  readonly fn: NodejsFunction;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ContractsFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: it may write to this log group only.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    logGroup.grantWrite(role);

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
      environment: { ...FUNCTION_ENVIRONMENT, ...props.environment },
      ...(props.onFailure
        ? {
            retryAttempts: ContractsFunction.ASYNC_RETRY_ATTEMPTS,
            maxEventAge: Duration.hours(6),
            onFailure: new SqsDestination(props.onFailure),
          }
        : {}),
    });

    this.errorsAlarm = alarmOnAny(
      this,
      'ErrorsAlarm',
      this.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `The ${props.handler} function failed: see its log group ${logGroup.logGroupName}.`,
    );
  }

  /** TABLE_NAME and exactly the table access this function needs: reads on the table and its GSIs, writes on the table. */
  bindTable(contracts: ContractsTable, access: TableAccess): void {
    this.fn.addEnvironment('TABLE_NAME', contracts.table.tableName);
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: TABLE_READ_ACTIONS, resources: [contracts.table.tableArn, ...contracts.indexArns] }),
    );
    if (access === 'readWrite') {
      this.fn.addToRolePolicy(new PolicyStatement({ actions: TABLE_WRITE_ACTIONS, resources: [contracts.table.tableArn] }));
    }
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

  /** DEAD_LETTER_QUEUE_URL and SendMessage on it, for events too broken to read an orderId from. */
  sendsDeadLettersTo(queue: IQueue): void {
    this.fn.addEnvironment('DEAD_LETTER_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.fn);
  }
}
