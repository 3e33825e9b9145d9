import { CfnOutput, Duration, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput, ContextAttribute, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { buildConsole } from '../console/build';
import { DEFAULT_RENEWAL_SHARDS } from '../functions/wiring/settings';
import { LOOKUP_RESOURCES, parameterOf } from '../functions/http/routes';
import { FUNCTION_SIZING } from '../functions/topology/function-sizing';
import { UNPUBLISHED_OUTCOME_FILTER } from '../functions/topology/outcome-stream';
import { INBOUND_SOURCE, ROUTES, type HandlerName } from '../functions/topology/routing';
import { CONTRACTS_TABLE } from '../functions/topology/table-definition';
import { ALARM_PERIOD, alarmOnAny } from './constructs/alarms';
import { ContractsDashboard } from './constructs/dashboard';
import { ContractsFunction } from './constructs/contracts-function';
import { ContractsTable } from './constructs/contracts-table';
import { CustomerServiceConsole } from './constructs/customer-service-console';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { InvoiceFiles } from './constructs/invoice-files';
import { nagRef } from './constructs/nag';
import { WorkQueue } from './constructs/work-queue';
import type { DeploymentSettings } from './settings';

export const API_STAGE = 'v1';

/**
 * Delivery retries of EventBridge rules and of the Scheduler: AWS's own maximum, stated
 * here so that a change of AWS defaults cannot change it. Only a failed *invoke* is
 * retried here (throttling, a service error); a failing function is retried by Lambda.
 */
const DELIVERY_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) };

export interface OmakaseContractsStackProps extends StackProps {
  settings: DeploymentSettings;
  /** Replaces every function's esbuild bundle; only the assertion tests use it. */
  functionCode?: Code;
}

/** Requests a second, and in a burst, that the lookup API's stage lets through (429 beyond). */
export const LOOKUP_API_THROTTLE = { ratePerSecond: 50, burst: 100 };

/**
 * The billing run's fan-out (docs/design.md "The billing run on AWS"): shard invocations at
 * once, one per shard of the default 16, so the whole run goes in parallel and never wider
 * (beyond what the table takes, DynamoDB throttles and the SDK retries: slower, not failed);
 * and how often a shard's message is received before it is dead-lettered.
 */
export const BILLING_SHARD_CONCURRENCY = 16;
export const BILLING_SHARD_RECEIVES = 3;
/**
 * A shard message this old means the run is late (I8: the whole run within the hour) and
 * still not through: it has failed twice (each retry waits the 90-minute visibility timeout,
 * so one failure that its retry cures does not fire it), or nothing consumes the queue.
 */
export const BILLING_SHARD_LATE_AFTER = Duration.hours(2);

/**
 * The whole system on AWS: table and its stream, bus and rules, ten functions, the renewal
 * and billing schedules, the billing queue and the invoice files bucket, the IAM lookup API,
 * and the customer-service console.
 */
export class OmakaseContractsStack extends Stack {
  readonly functions: Record<HandlerName, ContractsFunction>;
  readonly contracts: ContractsTable;
  readonly bus: EventBus;
  readonly api: RestApi;
  readonly console: CustomerServiceConsole;
  readonly alarmTopic: Topic;
  readonly invoiceFiles: InvoiceFiles;
  readonly billingShards: WorkQueue;

  constructor(scope: Construct, id: string, props: OmakaseContractsStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.contracts = new ContractsTable(this, 'Contracts', CONTRACTS_TABLE);
    this.bus = new EventBus(this, 'Bus', { eventBusName: settings.busName });

    // Three places for everything not processed, by what an operator does to redrive it:
    // inbound events are put on the bus again, renewal runs are started again, orders
    // whose outcomes the stream gave up on are resent.
    const deadLetters = {
      inbound: new DeadLetterQueue(this, 'InboundDeadLetters', {
        holds:
          'inbound events not processed: unreadable (sent by the handlers with the reason), ' +
          'not deliverable by EventBridge, or failed by their function on every retry',
      }),
      renewal: new DeadLetterQueue(this, 'RenewalDeadLetters', {
        holds: 'monthly renewal runs the Scheduler could not start or the function failed on every retry',
      }),
      outcomes: new DeadLetterQueue(this, 'OutcomeDeadLetters', {
        holds:
          "stream batches whose outcomes could not be published within the stream's 24 hours: the orders stay unpublished in the table; " +
          'resending those orders publishes their stored outcomes; and stream records that can never be published (sent by the function with the reason)',
      }),
      billingRun: new DeadLetterQueue(this, 'BillingRunDeadLetters', {
        holds: 'monthly billing runs the Scheduler could not start or the monthly-billing function failed on every retry',
      }),
      billingShards: new DeadLetterQueue(this, 'BillingShardDeadLetters', {
        holds: `shards of a billing run the billing-shard function failed ${BILLING_SHARD_RECEIVES} times (the message names the month and the shard)`,
      }),
      billingFailures: new DeadLetterQueue(this, 'BillingFailures', {
        holds: 'contracts the billing run could not bill, each with its reason (sent by the billing-shard function); the next run tries them again',
      }),
    };

    const environment = {
      TARIFF_OVERRIDES: settings.tariffOverrides,
      TERMINATION_FEE_TAXABLE: String(settings.terminationFeeTaxable),
      // Writers and the renewal run must agree on the shard count of the renewal index.
      RENEWAL_SHARDS: String(DEFAULT_RENEWAL_SHARDS),
      // Decision I5: the issuer on every invoice, checked by every function at start-up; unset, the labelled placeholders.
      ...(settings.invoiceIssuerName ? { INVOICE_ISSUER_NAME: settings.invoiceIssuerName } : {}),
      ...(settings.invoiceRegistrationNumber ? { INVOICE_REGISTRATION_NUMBER: settings.invoiceRegistrationNumber } : {}),
    };
    const timeoutOf = (handler: HandlerName) => Duration.seconds(FUNCTION_SIZING[handler].timeoutSeconds);
    // Timeout and memory as functions/topology/function-sizing.ts sizes each function (the local stack reads it too).
    const fn = (handler: HandlerName, description: string, onFailure?: DeadLetterQueue) =>
      new ContractsFunction(this, handler, {
        handler,
        description,
        timeout: timeoutOf(handler),
        memorySize: FUNCTION_SIZING[handler].memoryMb,
        environment,
        ...(onFailure ? { onFailure: onFailure.queue } : {}),
        ...(props.functionCode ? { code: props.functionCode } : {}),
      });

    const inbound = new Map<HandlerName, ContractsFunction>();
    for (const route of ROUTES) {
      let handler = inbound.get(route.handler);
      if (!handler) {
        handler = fn(route.handler, `Handles ${route.detailType} events`, deadLetters.inbound);
        // No publishesTo: the outcomes it stores are published from the table's stream.
        handler.bindTable(this.contracts, 'orders');
        handler.sendsDeadLettersTo(deadLetters.inbound.queue);
        inbound.set(route.handler, handler);
      }
      new Rule(this, `${route.detailType}Rule`, {
        description: `${route.detailType} from the order system to the ${route.handler} function`,
        eventBus: this.bus,
        eventPattern: { source: route.eventPattern.source, detailType: route.eventPattern['detail-type'] },
        targets: [new LambdaFunction(handler.fn, { deadLetterQueue: deadLetters.inbound.queue, ...DELIVERY_RETRY })],
      });
    }

    // One group for both monthly schedules; the Scheduler's metrics (per group) and their alarms cover both.
    const schedules = new ScheduleGroup(this, 'Schedules');
    const renewal = fn('monthly-renewal', 'Renews Prime Plus terms due before the scheduled month (interface §4)', deadLetters.renewal);
    // No publishesTo: the facts it writes with each renewal are published from the table's stream.
    renewal.bindTable(this.contracts, 'renewal');
    this.scheduleMonthly(schedules, 'MonthlyRenewal', renewal, deadLetters.renewal, {
      description: 'Monthly Prime Plus renewal run (interface §4)',
      // Interface §4: 00:05 on the 1st of every month, Tokyo time, on the dot.
      at: { minute: '5', hour: '0', day: '1' },
    });
    this.alarmOnScheduleFailures(schedules, [deadLetters.renewal, deadLetters.billingRun]);

    // The billing run (rules.md §10, docs/design.md "The billing run on AWS"): the schedule starts
    // monthly-billing, which queues one message per shard; billing-shard bills one shard per
    // message and, before its time is up, queues the rest of its shard as a new message.
    this.invoiceFiles = new InvoiceFiles(this, 'InvoiceFiles');
    this.billingShards = new WorkQueue(this, 'BillingShards', {
      consumerTimeout: timeoutOf('billing-shard'),
      deadLetters: deadLetters.billingShards,
      maxReceiveCount: BILLING_SHARD_RECEIVES,
      lateAfter: BILLING_SHARD_LATE_AFTER,
    });
    const billingRun = fn(
      'monthly-billing',
      'Starts the billing run of the month before the scheduled month: one message per shard (rules.md I2)',
      deadLetters.billingRun,
    );
    billingRun.bindTable(this.contracts, 'billingRun');
    billingRun.sendsMessagesTo(this.billingShards.queue, 'BILLING_QUEUE_URL');
    this.scheduleMonthly(schedules, 'MonthlyBilling', billingRun, deadLetters.billingRun, {
      description: 'Monthly billing run, closing the month before (rules.md I2, interface §7.4)',
      // I2: after EventBridge's 24-hour retry window for the month's last orders, 03:00 on the 2nd, Tokyo time.
      at: { minute: '0', hour: '3', day: '2' },
    });
    // A shard it could not finish (DynamoDB unavailable) is reported to the queue, which delivers
    // it again after its visibility timeout: not an error, so its errors alarm pages only for a
    // timeout (its time budget failed), a crash or a start-up failure.
    const billing = fn('billing-shard', 'Bills one shard of a billing run, from the billing queue (rules.md I1-I8)');
    billing.bindTable(this.contracts, 'billing');
    billing.readsQueue(this.billingShards, { maxConcurrency: BILLING_SHARD_CONCURRENCY });
    // The rest of its shard, as a new message, when its time budget is spent.
    billing.sendsMessagesTo(this.billingShards.queue, 'BILLING_QUEUE_URL');
    billing.sendsDeadLettersTo(deadLetters.billingFailures.queue);
    billing.writesInvoiceFiles(this.invoiceFiles);

    // Publishes every fact the functions stored with the change it reports (the one
    // transactional outbox): it only marks order, FACT and invoice items, the stream brings it everything it reads.
    const outcomes = fn('outcome-publisher', "Publishes the unpublished facts stored with each change, from the table's stream");
    outcomes.bindTable(this.contracts, 'markPublished');
    outcomes.publishesTo(this.bus);
    // A stream record it can never publish goes there whole, with its reason, instead of holding up the shard.
    outcomes.sendsDeadLettersTo(deadLetters.outcomes.queue);
    outcomes.readsStream(this.contracts, {
      filter: UNPUBLISHED_OUTCOME_FILTER,
      onFailure: deadLetters.outcomes.queue,
      lateAfter: Duration.minutes(5),
    });

    const lookup = fn('lookup-api', 'Answers the customer-service lookups (interface §3, §7.3)');
    lookup.bindTable(this.contracts, 'read');
    // The export lookup answers pre-signed URLs of the month's files (interface §7.3).
    lookup.signsInvoiceFileUrls(this.invoiceFiles);
    this.api = this.lookupApi(lookup);
    this.console = new CustomerServiceConsole(this, 'Console', {
      lookup: lookup.fn,
      assets: buildConsole(),
      domainPrefix: settings.consoleDomainPrefix ?? `omakase-contracts-${this.account}`,
      throttle: LOOKUP_API_THROTTLE,
    });

    this.functions = {
      'contract-application': required(inbound, 'contract-application'),
      'services-change': required(inbound, 'services-change'),
      cancellation: required(inbound, 'cancellation'),
      'plan-change': required(inbound, 'plan-change'),
      'one-off-order': required(inbound, 'one-off-order'),
      'outcome-publisher': outcomes,
      'monthly-renewal': renewal,
      'monthly-billing': billingRun,
      'billing-shard': billing,
      'lookup-api': lookup,
    };

    this.callerPolicies();
    new ContractsDashboard(this, 'Dashboard');
    this.alarmTopic = this.notifyOnEveryAlarm(settings.alarmEmail);
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'MonthlyRenewalFunctionName', { value: renewal.fn.functionName });
    new CfnOutput(this, 'MonthlyBillingFunctionName', { value: billingRun.fn.functionName });
    new CfnOutput(this, 'BillingShardsQueueUrl', { value: this.billingShards.queue.queueUrl });
    new CfnOutput(this, 'InvoiceBucketName', { value: this.invoiceFiles.bucket.bucketName });
    for (const dlq of Object.values(deadLetters)) {
      new CfnOutput(this, `${dlq.node.id}QueueUrl`, { value: dlq.queue.queueUrl });
    }
  }

  /**
   * One SNS topic that every alarm of the stack notifies, raised and cleared, found by
   * walking the tree so that an alarm added later cannot be left without an action.
   */
  private notifyOnEveryAlarm(email: string | null): Topic {
    const topic = new Topic(this, 'Alarms', { displayName: 'omakase-contracts alarms', enforceSSL: true });
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications name a resource and a metric, no customer data; CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key.',
    });
    if (email) topic.addSubscription(new EmailSubscription(email));
    const action = new SnsAction(topic);
    for (const alarm of this.node.findAll().filter((c): c is Alarm => c instanceof Alarm)) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return topic;
  }

  /**
   * A monthly schedule in Tokyo time, on the dot (no flexible window), invoking `target`
   * with `{scheduledTime}`; what the Scheduler cannot deliver goes to `deadLetters`.
   */
  private scheduleMonthly(
    group: ScheduleGroup,
    id: string,
    target: ContractsFunction,
    deadLetters: DeadLetterQueue,
    options: { description: string; at: { minute: string; hour: string; day: string } },
  ): Schedule {
    // An own role (the target would otherwise make a shared one) so that its acknowledgement sits next to it.
    const role = new Role(this, `${id}ScheduleRole`, {
      description: `Lets EventBridge Scheduler start the ${id} schedule's function`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': group.scheduleGroupArn } },
      }),
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagRef(target.fn, 'Arn')}:*]`,
      reason: `lambda:InvokeFunction on the ${id} schedule's function and its versions (grantInvoke adds the \`:*\` qualifier form); it names this one function only.`,
    });
    return new Schedule(this, id, {
      description: options.description,
      scheduleGroup: group,
      schedule: ScheduleExpression.cron({ ...options.at, month: '*', year: '*', timeZone: TimeZone.ASIA_TOKYO }),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(target.fn, {
        role,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: deadLetters.queue,
        ...DELIVERY_RETRY,
      }),
    });
  }

  /** The Scheduler's failures, per group: one alarm each, naming the queues the runs went to. */
  private alarmOnScheduleFailures(group: ScheduleGroup, deadLetters: DeadLetterQueue[]): void {
    const failures = {
      TargetErrors: group.metricTargetErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      Dropped: group.metricDropped({ period: ALARM_PERIOD, statistic: 'Sum' }),
      FailedToBeSentToDLQ: group.metricFailedToBeSentToDLQ(undefined, { period: ALARM_PERIOD, statistic: 'Sum' }),
    };
    const queues = deadLetters.map((dlq) => dlq.node.id).join(' and ');
    for (const [name, metric] of Object.entries(failures)) {
      alarmOnAny(group, `${name}Alarm`, metric, `A monthly schedule (renewal or billing) reported ${name}: check the ${queues} queues and rerun that run.`);
    }
  }

  /** Interface §3 behind API Gateway; every method needs a SigV4 signature (IAM). */
  private lookupApi(lookup: ContractsFunction): RestApi {
    const accessLogs = new LogGroup(this, 'LookupApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    const api = new RestApi(this, 'LookupApi', {
      description: 'Customer-service lookups (interface §3)',
      endpointTypes: [EndpointType.REGIONAL],
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        // ERROR, not INFO: execution logs at INFO would copy customer data out of the table's protection.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        // Customer service looks up one contract at a time: a runaway caller is held at the stage, not at the table.
        throttlingRateLimit: LOOKUP_API_THROTTLE.ratePerSecond,
        throttlingBurstLimit: LOOKUP_API_THROTTLE.burst,
      },
    });
    Validations.of(api).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Internal API for a known set of IAM principals (customer service): unsigned or unauthorised requests are refused by IAM before the function runs. ' +
          'A web ACL (and its monthly cost) would only filter traffic IAM already refuses; revisit if the API is ever opened beyond the operator.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'This API is for machine callers, IAM principals of the operator authorised with AWS_IAM on every method; staff use the console, whose own HTTP API takes Cognito tokens (lib/constructs/customer-service-console.ts).',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level role API Gateway needs to write execution logs; AWS maintains this managed policy for exactly that purpose.',
      },
    );

    // The validator only insists on the path parameters: query parameters stay the function's
    // to check, because API Gateway's own 400 would not carry the interface's error body.
    const validator = api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const integration = new LambdaIntegration(lookup.fn, { allowTestInvoke: false });
    for (const resource of LOOKUP_RESOURCES) {
      const requestParameters: Record<string, boolean> = {};
      // The path parameters as the lookup handler reads them (functions/http/routes.ts), each required.
      for (const name of resource.split('/').map(parameterOf)) if (name !== null) requestParameters[`method.request.path.${name}`] = true;
      api.root.resourceForPath(resource).addMethod('GET', integration, { requestValidator: validator, requestParameters });
    }
    return api;
  }

  /** What the two outside callers may do, ready to attach to their roles. */
  private callerPolicies(): void {
    const orderSystem = new ManagedPolicy(this, 'OrderSystemPublishPolicy', {
      description: 'Attach to the order system: publish omakase.orders events to the contracts bus, nothing else',
      statements: [
        new PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'events:source': INBOUND_SOURCE } },
        }),
      ],
    });
    const customerService = new ManagedPolicy(this, 'CustomerServiceLookupPolicy', {
      description: 'Attach to customer-service roles: call the lookup API (GET only)',
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.api.arnForExecuteApi('GET', '/*', API_STAGE)] })],
    });
    Validations.of(customerService).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${nagRef(this.api)}/${API_STAGE}/GET/*]`,
      reason:
        'GET on every path of this one API stage: the wildcard stands for the contract, customer and line ids in the paths, all of which customer service may look up.',
    });
    new CfnOutput(this, 'OrderSystemPolicyArn', { value: orderSystem.managedPolicyArn });
    new CfnOutput(this, 'CustomerServicePolicyArn', { value: customerService.managedPolicyArn });
  }
}

function required(map: Map<HandlerName, ContractsFunction>, handler: HandlerName): ContractsFunction {
  const found = map.get(handler);
  if (!found) throw new Error(`no route in functions/topology/routing.ts reaches the ${handler} handler`);
  return found;
}
