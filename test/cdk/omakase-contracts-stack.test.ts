import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { METRIC, REASON_DIMENSION } from '../../functions/observability/metrics';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CUSTOMER_SERVICE_GROUP } from '../../functions/http/lookup-request';
import { LOOKUP_RESOURCES, matchResource } from '../../functions/http/routes';
import { FUNCTION_SIZING } from '../../functions/topology/function-sizing';
import { ROUTES, type HandlerName } from '../../functions/topology/routing';
import { CONTRACTS_TABLE } from '../../functions/topology/table-definition';
import { createContractsApp } from '../../lib/app';
import { ORDER_WRITE_ACTIONS, RENEWAL_WRITE_ACTIONS, TABLE_READ_ACTIONS } from '../../lib/constructs/contracts-function';
import { LOOKUP_API_THROTTLE, type OmakaseContractsStack } from '../../lib/omakase-contracts-stack';
import { CDK_JSON_CONTEXT } from './cdk-json';

/** Context other than the defaults, to see that it reaches the template. */
const CONTEXT = {
  busName: 'omakase-contracts-staging',
  tariffOverrides: '{"prices":{"cloudProxy":450}}',
  alarmEmail: 'ops@example.co.jp',
  invoiceIssuer: { name: '西日本電信電話株式会社', registrationNumber: 'T7000012050002' },
};
const HANDLERS: HandlerName[] = [
  'contract-application',
  'services-change',
  'cancellation',
  'outcome-publisher',
  'monthly-renewal',
  'monthly-billing',
  'billing-shard',
  'lookup-api',
];

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
interface Synthesized {
  stack: OmakaseContractsStack;
  template: Template;
  resources: Record<string, Resource>;
  assemblyDir: string;
}

/**
 * One synth of the real app (esbuild bundles, cdk-nag) shared by every test in this
 * file: bundling six functions is the slow part, so it happens once.
 */
let synthesized: Synthesized | undefined;
function synth(): Synthesized {
  if (!synthesized) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'omakase-cdk-'));
    const { app, stack } = createContractsApp({ appProps: { outdir, context: { ...CDK_JSON_CONTEXT, ...CONTEXT } } });
    const assembly = app.synth();
    const json = assembly.getStackArtifact(stack.artifactId).template;
    synthesized = { stack, template: Template.fromJSON(json), resources: json.Resources, assemblyDir: assembly.directory };
  }
  return synthesized;
}
afterAll(() => {
  if (synthesized) fs.rmSync(synthesized.assemblyDir, { recursive: true, force: true });
});

/** The logical id of a construct's CloudFormation resource in the synthesized stack. */
const idOf = (construct: { node: { defaultChild?: unknown } }) => synth().stack.getLogicalId(construct.node.defaultChild as CfnElement);
const logicalId = (handler: HandlerName) => idOf(synth().stack.functions[handler].fn);
const ofType = (type: string) => Object.entries(synth().resources).filter(([, r]) => r.Type === type);
const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);
/** The logical id of the queue a `<name>QueueUrl` output points at. */
const queueOfOutput = (name: string): string => synth().template.findOutputs(`${name}QueueUrl`)[`${name}QueueUrl`].Value.Ref;
/** Every dead-letter queue of the stack, by its output's name. */
const DEAD_LETTER_QUEUES = [
  'InboundDeadLetters',
  'RenewalDeadLetters',
  'OutcomeDeadLetters',
  'BillingRunDeadLetters',
  'BillingShardDeadLetters',
  'BillingFailures',
];
/** The lookups of interface §3 and §7.3, as both APIs must serve them. */
const LOOKUP_ROUTES = [
  '/contracts/{contractId}',
  '/contracts/{contractId}/termination-quote',
  '/contracts/{contractId}/charges',
  '/contracts/{contractId}/invoices',
  '/customers/{customerId}/contracts',
  '/customers',
  '/lines/{lineId}/contract',
  '/lines/{lineId}/contracts',
  '/orders/{orderId}',
  '/renewals',
  '/tariff',
  '/invoices/{invoiceId}',
  '/billing-runs/{month}',
  '/billing-runs/{month}/export',
];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the policies attached to the function's role, which has no managed policy. */
function statementsOf(handler: HandlerName): Statement[] {
  const { stack } = synth();
  const roleId = stack.getLogicalId(stack.functions[handler].fn.role!.node.defaultChild as CfnElement);
  const role = synth().resources[roleId];
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: unknown) => refersTo(r, roleId)))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

/** Every action any policy attached to the function's role allows. */
function actionsOf(handler: HandlerName): string[] {
  return statementsOf(handler)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action].flat());
}

describe('DynamoDB table', () => {
  it('is the shared definition: keys, GSIs and projections of CONTRACTS_TABLE, on demand', () => {
    const key = (pk: string, sk: string) => [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ];
    synth().template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: key(CONTRACTS_TABLE.partitionKey, CONTRACTS_TABLE.sortKey),
      GlobalSecondaryIndexes: CONTRACTS_TABLE.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: key(index.partitionKey, index.sortKey),
        Projection: index.projection,
      })),
    });
  });

  it('answers the customer, line and renewal-month lookups from indexes that carry the contract (GSI1, GSI2, GSI4); the renewal index holds keys', () => {
    const withContract = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['contract'] };
    synth().template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'GSI1',
          KeySchema: [Match.objectLike({ AttributeName: 'GSI1PK' }), Match.objectLike({ AttributeName: 'GSI1SK' })],
          Projection: withContract,
        }),
        Match.objectLike({
          IndexName: 'GSI2',
          KeySchema: [Match.objectLike({ AttributeName: 'GSI2PK' }), Match.objectLike({ AttributeName: 'GSI2SK' })],
          Projection: withContract,
        }),
        Match.objectLike({ IndexName: 'GSI3', Projection: { ProjectionType: 'KEYS_ONLY' } }),
        Match.objectLike({
          IndexName: 'GSI4',
          KeySchema: [Match.objectLike({ AttributeName: 'GSI4PK' }), Match.objectLike({ AttributeName: 'GSI4SK' })],
          Projection: withContract,
        }),
        Match.objectLike({ IndexName: 'GSI5', Projection: { ProjectionType: 'KEYS_ONLY' } }),
        Match.objectLike({ IndexName: 'GSI6', Projection: withContract }),
      ],
    });
  });

  it('has a stream of new images, which carries each new order item with its outcome', () => {
    synth().template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('has point-in-time recovery and deletion protection, and is retained', () => {
    synth().template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    synth().template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });
});

describe('event bus and rules', () => {
  it('names the bus from context busName', () => {
    synth().template.hasResourceProperties('AWS::Events::EventBus', { Name: CONTEXT.busName });
  });

  it('has one rule per route, with the routing module pattern, on the custom bus, to that route function', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(ROUTES.length);
    const busId = ofType('AWS::Events::EventBus')[0][0];
    for (const route of ROUTES) {
      const matching = rules.filter(([, r]) => JSON.stringify(r.Properties.EventPattern) === JSON.stringify(route.eventPattern));
      expect(matching).toHaveLength(1);
      const [, rule] = matching[0];
      expect(rule.Properties.EventBusName).toEqual({ Ref: busId });
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [logicalId(route.handler), 'Arn'] } })]);
    }
  });

  it('gives every rule target an explicit retry policy and an SQS dead-letter queue', () => {
    const queueIds = new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
    for (const [, rule] of ofType('AWS::Events::Rule')) {
      for (const target of rule.Properties.Targets) {
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) });
        expect(queueIds.has(target.DeadLetterConfig.Arn['Fn::GetAtt'][0])).toBe(true);
      }
    }
  });
});

describe('functions', () => {
  it('run the current Node.js runtime on arm64 with the shared settings and Powertools environment', () => {
    for (const handler of HANDLERS) {
      const fn = synth().resources[logicalId(handler)];
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        TABLE_NAME: expect.anything(),
        TARIFF_OVERRIDES: CONTEXT.tariffOverrides,
        TERMINATION_FEE_TAXABLE: 'false',
        RENEWAL_SHARDS: expect.stringMatching(/^\d+$/),
        INVOICE_ISSUER_NAME: CONTEXT.invoiceIssuer.name,
        INVOICE_REGISTRATION_NUMBER: CONTEXT.invoiceIssuer.registrationNumber,
        POWERTOOLS_SERVICE_NAME: 'omakase-contracts',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it("limit each AWS call attempt so that the SDK's 3 attempts and their backoff end before the function times out", () => {
    for (const handler of HANDLERS) {
      const fn = synth().resources[logicalId(handler)];
      const attemptMs = Number(fn.Properties.Environment.Variables.AWS_ATTEMPT_TIMEOUT_MS);
      expect(attemptMs).toBeGreaterThanOrEqual(1_000);
      // The standard mode's backoff before attempts 2 and 3 is at most 20 s each, jittered from 100 ms: a second is ample for two.
      expect(3 * attemptMs + 1_000).toBeLessThan(fn.Properties.Timeout * 1_000);
    }
  });

  it('are sized as functions/topology/function-sizing.ts sizes them, which the local stack reads too', () => {
    for (const [handler, sizing] of Object.entries(FUNCTION_SIZING) as Array<[HandlerName, (typeof FUNCTION_SIZING)[HandlerName]]>) {
      const fn = synth().resources[logicalId(handler)];
      expect({ handler, timeout: fn.Properties.Timeout, memory: fn.Properties.MemorySize }).toEqual({
        handler,
        timeout: sizing.timeoutSeconds,
        memory: sizing.memoryMb,
      });
    }
  });

  it('chart the business metrics on one dashboard, in the namespace and service the functions emit them under', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0][1].Properties.DashboardBody);
    for (const name of Object.values(METRIC)) expect(body).toContain(name);
    expect(body).toContain('OmakaseContracts');
    expect(body).toContain(`{OmakaseContracts,service,${REASON_DIMENSION}}`);
  });

  it('only the outcome publisher publishes to the custom bus (the one outbox): the inbound functions, the renewal and the lookups cannot', () => {
    const busId = ofType('AWS::Events::EventBus')[0][0];
    const publishers: HandlerName[] = ['outcome-publisher'];
    for (const handler of HANDLERS) {
      const variables = synth().resources[logicalId(handler)].Properties.Environment.Variables;
      if (publishers.includes(handler)) {
        expect(variables.EVENT_BUS_NAME).toEqual({ Ref: busId });
        expect(actionsOf(handler)).toContain('events:PutEvents');
      } else {
        expect(variables.EVENT_BUS_NAME).toBeUndefined();
        expect(actionsOf(handler)).not.toContain('events:PutEvents');
      }
    }
  });

  it('write logs to their own log group with a retention', () => {
    for (const handler of HANDLERS) {
      const groupId = synth().resources[logicalId(handler)].Properties.LoggingConfig.LogGroup.Ref;
      expect(synth().resources[groupId].Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('ship one minified bundle with source map each, the AWS SDK inside it', () => {
    for (const handler of HANDLERS) {
      const key: string = synth().resources[logicalId(handler)].Properties.Code.S3Key;
      const dir = path.join(synth().assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      const bundle = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      // Only the SDK's optional CRT signer may stay a require: the SDK loads it inside try/catch and we do not ship it.
      const sdkRequires = new Set(bundle.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? []);
      expect([...sdkRequires].filter((r) => r !== 'require("@aws-sdk/signature-v4-crt")')).toEqual([]);
      expect(bundle.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
      // Node parses the map at each cold start: mappings only, not the sources.
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8')).sourcesContent).toBeUndefined();
      // Japanese as written (esbuild's --charset=utf8), not as \u escapes.
      expect(bundle).not.toMatch(/\\u30[0-9A-F]{2}/);
      // Minified: thousands of characters a line (unminified output averages well under a hundred).
      expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('retry a failed asynchronous invocation and then send it to an SQS queue', () => {
    const queueIds = new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    const asynchronous: HandlerName[] = ['contract-application', 'services-change', 'cancellation', 'monthly-renewal', 'monthly-billing'];
    for (const handler of asynchronous) {
      const found = configs.filter(([, c]) => refersTo(c.Properties.FunctionName, logicalId(handler)));
      expect(found).toHaveLength(1);
      const [, config] = found[0];
      expect(config.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(queueIds.has(config.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0])).toBe(true);
    }
  });

  it('the inbound handlers may send unreadable events to the queue that also holds every other unprocessed inbound event', () => {
    const rules = ofType('AWS::Events::Rule');
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    for (const route of ROUTES) {
      const variables = synth().resources[logicalId(route.handler)].Properties.Environment.Variables;
      const queueId: string = variables.DEAD_LETTER_QUEUE_URL.Ref;
      expect(synth().resources[queueId].Type).toBe('AWS::SQS::Queue');
      expect(actionsOf(route.handler)).toContain('sqs:SendMessage');
      const [, rule] = rules.find(([, r]) => r.Properties.EventPattern['detail-type'].includes(route.detailType))!;
      expect(rule.Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      const [, config] = configs.find(([, c]) => refersTo(c.Properties.FunctionName, logicalId(route.handler)))!;
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    }
  });
});

describe('least privilege', () => {
  const WRITE = /^dynamodb:(Put|Update|Delete|BatchWrite|Transact|ConditionCheck|Create)|^events:Put|^sqs:Send|^lambda:Invoke/;

  it('the lookup function can only read the table and the invoice files (to sign their URLs), and write its logs', () => {
    const actions = actionsOf('lookup-api');
    expect(actions.filter((a) => WRITE.test(a))).toEqual([]);
    expect(new Set(actions)).toEqual(new Set([...TABLE_READ_ACTIONS, 's3:GetObject', 'logs:CreateLogStream', 'logs:PutLogEvents']));
  });

  it('the writers have the store write actions they issue, none of them wildcards; the renewal only puts', () => {
    for (const handler of ['contract-application', 'services-change', 'cancellation'] as const) {
      const actions = actionsOf(handler);
      expect(actions.filter((a) => a.startsWith('dynamodb:') && WRITE.test(a)).sort()).toEqual([...ORDER_WRITE_ACTIONS].sort());
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
    expect(
      actionsOf('monthly-renewal')
        .filter((a) => a.startsWith('dynamodb:') && WRITE.test(a))
        .sort(),
    ).toEqual([...RENEWAL_WRITE_ACTIONS].sort());
  });

  it('the outcome publisher may update the outbox items only (dynamodb:LeadingKeys ORDER#*, FACT#*, INVOICES#*)', () => {
    const update = statementsOf('outcome-publisher').find((s) => [s.Action].flat().includes('dynamodb:UpdateItem'));
    expect(update?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ORDER#*', 'FACT#*', 'INVOICES#*'] } });
  });

  it('throttles the lookup API at its stage', () => {
    const stages = ofType('AWS::ApiGateway::Stage');
    expect(stages).toHaveLength(1);
    expect(stages[0]?.[1].Properties.MethodSettings).toEqual(
      expect.arrayContaining([expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    );
  });

  it('the outcome publisher marks order items (UpdateItem only), reads the stream, publishes, sends to its queue: nothing else', () => {
    const tableId = ofType('AWS::DynamoDB::GlobalTable')[0][0];
    const busId = ofType('AWS::Events::EventBus')[0][0];
    const { stack } = synth();
    const logsId = stack.getLogicalId(stack.functions['outcome-publisher'].fn.logGroup.node.defaultChild as CfnElement);
    const on = (id: string, attribute = 'Arn') => JSON.stringify({ 'Fn::GetAtt': [id, attribute] });
    const allowed = statementsOf('outcome-publisher')
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action].flat().map((action) => `${action} on ${JSON.stringify(s.Resource)}`));
    expect(allowed.sort()).toEqual(
      [
        `logs:CreateLogStream on ${on(logsId)}`,
        `logs:PutLogEvents on ${on(logsId)}`,
        `dynamodb:UpdateItem on ${on(tableId)}`,
        ...['ListStreams', 'DescribeStream', 'GetRecords', 'GetShardIterator'].map((a) => `dynamodb:${a} on ${on(tableId, 'StreamArn')}`),
        `events:PutEvents on ${on(busId)}`,
        ...['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((a) => `sqs:${a} on ${on(queueOfOutput('OutcomeDeadLetters'))}`),
      ].sort(),
    );
    // It sends the stream records it can never publish to the queue its failed batches go to.
    expect(synth().resources[logicalId('outcome-publisher')].Properties.Environment.Variables.DEAD_LETTER_QUEUE_URL).toEqual({
      Ref: queueOfOutput('OutcomeDeadLetters'),
    });
  });

  it('functions may publish only outcome events (source omakase.contracts)', () => {
    const statements = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => [s.Action].flat().includes('events:PutEvents'));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(statement.Condition).toEqual({ StringEquals: { 'events:source': 'omakase.contracts' } });
  });
});

describe('outcome publisher (table stream)', () => {
  const mapping = () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => refersTo(m.Properties.FunctionName, logicalId('outcome-publisher')));
    expect(mappings).toHaveLength(1);
    return mappings[0][1].Properties;
  };

  it("reads the table's stream from its oldest record, 100 records a batch", () => {
    expect(mapping()).toMatchObject({
      FunctionName: { Ref: logicalId('outcome-publisher') },
      EventSourceArn: { 'Fn::GetAtt': [ofType('AWS::DynamoDB::GlobalTable')[0][0], 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
    });
  });

  it('gets only order items written with their outcome unpublished: new, or handed back by a redelivery', () => {
    const filters = mapping().FilterCriteria.Filters;
    expect(filters).toHaveLength(1);
    expect(JSON.parse(filters[0].Pattern)).toEqual({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { published: { BOOL: [false] } } } });
  });

  it('retries from the first record not done, bisects on error, without a count limit, until an hour before the stream drops the record', () => {
    expect(mapping()).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 23 * 3600,
    });
  });

  it('sends a batch it gives up on to the OutcomeDeadLetters queue, its own', () => {
    const queueId = queueOfOutput('OutcomeDeadLetters');
    expect(synth().resources[queueId].Type).toBe('AWS::SQS::Queue');
    expect(mapping().DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    expect(new Set([queueOfOutput('InboundDeadLetters'), queueOfOutput('RenewalDeadLetters'), queueOfOutput('BillingRunDeadLetters'), queueId]).size).toBe(4);
  });

  it('is invoked only by the stream: no asynchronous invoke configuration, no rule', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => refersTo(c.Properties.FunctionName, logicalId('outcome-publisher')));
    expect(configs).toEqual([]);
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => refersTo(r.Properties.Targets, logicalId('outcome-publisher')));
    expect(rules).toEqual([]);
  });
});

/** The schedule whose target is the function. */
function scheduleOf(handler: HandlerName): Resource {
  const found = ofType('AWS::Scheduler::Schedule').filter(([, s]) => refersTo(s.Properties.Target.Arn, logicalId(handler)));
  expect(found).toHaveLength(1);
  return found[0][1];
}

describe('monthly renewal schedule', () => {
  it('runs at 00:05 on the 1st of every month, Tokyo time, flexible window off, with the scheduled time as payload', () => {
    synth().template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    synth().template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 0 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId('monthly-renewal'), 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('retries explicitly and has an SQS dead-letter queue', () => {
    const schedule = scheduleOf('monthly-renewal');
    expect(schedule.Properties.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) });
    expect(schedule.Properties.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [queueOfOutput('RenewalDeadLetters'), 'Arn'] });
  });
});

describe('billing run (rules.md §10, interface §7)', () => {
  const on = (id: string, attribute = 'Arn') => JSON.stringify({ 'Fn::GetAtt': [id, attribute] });
  /** "action on resource" for every Allow of the function's role, with its condition if any. */
  const allowed = (handler: HandlerName) =>
    statementsOf(handler)
      .filter((st) => st.Effect === 'Allow')
      .flatMap((st) =>
        [st.Action].flat().map((action) => `${action} on ${JSON.stringify(st.Resource)}${st.Condition ? ` if ${JSON.stringify(st.Condition)}` : ''}`),
      );
  const tableId = () => ofType('AWS::DynamoDB::GlobalTable')[0][0];
  const logsOf = (handler: HandlerName) => {
    const { stack } = synth();
    return stack.getLogicalId(stack.functions[handler].fn.logGroup.node.defaultChild as CfnElement);
  };
  const bucketId = () => idOf(synth().stack.invoiceFiles.bucket);
  const invoiceObjects = () => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/invoices/*']] });
  const leadingKeys = (...keys: string[]) => JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } });
  const variablesOf = (handler: HandlerName) => synth().resources[logicalId(handler)].Properties.Environment.Variables;
  const s3Actions = (handler: HandlerName) => actionsOf(handler).filter((a) => a.startsWith('s3:'));

  describe('schedule', () => {
    it('runs at 03:00 on the 2nd of every month, Tokyo time, flexible window off, with the scheduled time as payload', () => {
      expect(scheduleOf('monthly-billing').Properties).toMatchObject({
        ScheduleExpression: 'cron(0 3 2 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: expect.objectContaining({ Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
      });
    });

    it('retries as the renewal schedule does, in the same group, with a dead-letter queue of its own', () => {
      const billing = scheduleOf('monthly-billing').Properties;
      const renewal = scheduleOf('monthly-renewal').Properties;
      expect(billing.Target.RetryPolicy).toEqual(renewal.Target.RetryPolicy);
      expect(billing.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(billing.GroupName).toEqual(renewal.GroupName);
      expect(billing.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [queueOfOutput('BillingRunDeadLetters'), 'Arn'] });
      expect(queueOfOutput('BillingRunDeadLetters')).not.toBe(queueOfOutput('RenewalDeadLetters'));
      // A run the function failed on every retry goes to the same queue.
      const [, config] = ofType('AWS::Lambda::EventInvokeConfig').find(([, c]) => refersTo(c.Properties.FunctionName, logicalId('monthly-billing')))!;
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queueOfOutput('BillingRunDeadLetters'), 'Arn'] });
    });

    it('may invoke the monthly-billing function and nothing else, assumed only by the Scheduler for this group', () => {
      const roleId: string = scheduleOf('monthly-billing').Properties.Target.RoleArn['Fn::GetAtt'][0];
      const role = synth().resources[roleId];
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: unknown) => refersTo(r, roleId)))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
      const invoke = statements.filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
      expect(invoke).toHaveLength(1);
      expect(JSON.stringify(invoke[0].Resource)).toContain(logicalId('monthly-billing'));
      expect(JSON.stringify(invoke[0].Resource)).not.toContain(logicalId('billing-shard'));
    });
  });

  describe('fan-out over the BillingShards queue', () => {
    const queue = () => synth().resources[queueOfOutput('BillingShards')].Properties;
    const mapping = () => {
      const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => refersTo(m.Properties.FunctionName, logicalId('billing-shard')));
      expect(mappings).toHaveLength(1);
      return mappings[0][1].Properties;
    };

    it('hides a message for at least 6 timeouts of the billing-shard function, whose timeout is 15 minutes at most', () => {
      const timeout: number = synth().resources[logicalId('billing-shard')].Properties.Timeout;
      expect(timeout).toBeLessThanOrEqual(15 * 60);
      expect(queue().VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      expect(queue().VisibilityTimeout).toBeLessThanOrEqual(12 * 3600);
    });

    it('redrives a shard failed 3 times to BillingShardDeadLetters', () => {
      expect(queue().RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [queueOfOutput('BillingShardDeadLetters'), 'Arn'] }, maxReceiveCount: 3 });
    });

    it('invokes billing-shard with one message at a time, partial failures reported, at most 16 at once', () => {
      expect(mapping()).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [queueOfOutput('BillingShards'), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 16 },
      });
      expect(mapping().MaximumBatchingWindowInSeconds ?? 0).toBe(0);
    });

    it('lets Lambda stop a shard that continues itself without end (recursive loop detection: Terminate)', () => {
      expect(synth().resources[logicalId('billing-shard')].Properties.RecursiveLoop).toBe('Terminate');
    });

    it('monthly-billing and billing-shard find the queue in BILLING_QUEUE_URL; only they may send to it', () => {
      for (const handler of ['monthly-billing', 'billing-shard'] as const) {
        expect(variablesOf(handler).BILLING_QUEUE_URL).toEqual({ Ref: queueOfOutput('BillingShards') });
      }
      for (const handler of HANDLERS.filter((h) => h !== 'monthly-billing' && h !== 'billing-shard')) {
        expect(variablesOf(handler).BILLING_QUEUE_URL).toBeUndefined();
        expect(statementsOf(handler).filter((st) => refersTo(st.Resource, queueOfOutput('BillingShards')))).toEqual([]);
      }
    });
  });

  describe('least privilege', () => {
    it('monthly-billing reads and writes the run items only (BILLING-RUN#*, no index) and sends to the billing queue', () => {
      expect(allowed('monthly-billing').sort()).toEqual(
        [
          `logs:CreateLogStream on ${on(logsOf('monthly-billing'))}`,
          `logs:PutLogEvents on ${on(logsOf('monthly-billing'))}`,
          ...TABLE_READ_ACTIONS.map((a) => `${a} on ${on(tableId())} if ${leadingKeys('BILLING-RUN#*')}`),
          ...['PutItem', 'UpdateItem'].map((a) => `dynamodb:${a} on ${on(tableId())} if ${leadingKeys('BILLING-RUN#*')}`),
          `sqs:SendMessage on ${on(queueOfOutput('BillingShards'))}`,
          // Lambda's on-failure destination, written with the function's role.
          ...['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((a) => `sqs:${a} on ${on(queueOfOutput('BillingRunDeadLetters'))}`),
        ].sort(),
      );
    });

    it('billing-shard reads the table and GSI5, writes contracts, invoices and runs only, consumes and continues its queue, dead-letters contracts, and writes the files', () => {
      const table = on(tableId());
      const gsi5 = JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId(), 'Arn'] }, '/index/GSI5']] });
      const shards = on(queueOfOutput('BillingShards'));
      const failures = on(queueOfOutput('BillingFailures'));
      expect(allowed('billing-shard').sort()).toEqual(
        [
          `logs:CreateLogStream on ${on(logsOf('billing-shard'))}`,
          `logs:PutLogEvents on ${on(logsOf('billing-shard'))}`,
          ...TABLE_READ_ACTIONS.map((a) => `${a} on [${table},${gsi5}]`),
          ...['PutItem', 'UpdateItem', 'DeleteItem'].map((a) => `dynamodb:${a} on ${table} if ${leadingKeys('CONTRACT#*', 'INVOICES#*', 'BILLING-RUN#*')}`),
          ...['ReceiveMessage', 'ChangeMessageVisibility', 'GetQueueUrl', 'DeleteMessage', 'GetQueueAttributes', 'SendMessage'].map(
            (a) => `sqs:${a} on ${shards}`,
          ),
          ...['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'].map((a) => `sqs:${a} on ${failures}`),
          ...['PutObject', 'AbortMultipartUpload'].map((a) => `s3:${a} on ${invoiceObjects()}`),
        ].sort(),
      );
      expect(s3Actions('billing-shard')).not.toContain('s3:GetObject');
      expect(s3Actions('billing-shard')).not.toContain('s3:DeleteObject');
    });

    it('billing-shard sends each contract it cannot bill to BillingFailures (DEAD_LETTER_QUEUE_URL), writes to the bucket in INVOICE_BUCKET_NAME, with the issuer of context invoiceIssuer', () => {
      expect(variablesOf('billing-shard')).toMatchObject({
        DEAD_LETTER_QUEUE_URL: { Ref: queueOfOutput('BillingFailures') },
        INVOICE_BUCKET_NAME: { Ref: bucketId() },
        INVOICE_ISSUER_NAME: CONTEXT.invoiceIssuer.name,
        INVOICE_REGISTRATION_NUMBER: CONTEXT.invoiceIssuer.registrationNumber,
      });
    });

    it('the lookup function may only get objects under invoices/ (to sign URLs): no list, put or delete', () => {
      const s3 = statementsOf('lookup-api').filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
      expect(s3).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject' })]);
      expect(JSON.stringify(s3[0].Resource)).toBe(invoiceObjects());
      expect(variablesOf('lookup-api').INVOICE_BUCKET_NAME).toEqual({ Ref: bucketId() });
    });

    it('no other function touches the bucket', () => {
      for (const handler of HANDLERS.filter((h) => h !== 'billing-shard' && h !== 'lookup-api')) {
        expect({ handler, s3: s3Actions(handler) }).toEqual({ handler, s3: [] });
        expect(variablesOf(handler).INVOICE_BUCKET_NAME).toBeUndefined();
      }
    });
  });

  describe('InvoiceFiles bucket (I6, I7)', () => {
    const bucket = () => synth().resources[bucketId()];
    const rules = () => bucket().Properties.LifecycleConfiguration.Rules as Record<string, any>[];

    it('blocks all public access, is encrypted and versioned', () => {
      expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket().Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        expect.objectContaining({ ServerSideEncryptionByDefault: expect.objectContaining({ SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms)$/) }) }),
      ]);
      expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket().Properties.WebsiteConfiguration).toBeUndefined();
    });

    it('refuses every request without SSL, and grants nothing in its policy', () => {
      const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => refersTo(p.Properties.Bucket, bucketId()))!;
      const statements = policy.Properties.PolicyDocument.Statement as Statement[];
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([]);
    });

    it('keeps every file at least 7 years (2,557 days): current versions never expire, noncurrent ones not before', () => {
      expect(rules().length).toBeGreaterThan(0);
      for (const rule of rules()) {
        expect(rule.Status).toBe('Enabled');
        expect(rule.ExpirationInDays ?? Infinity).toBeGreaterThanOrEqual(2557);
        expect(rule.ExpirationDate).toBeUndefined();
        expect(rule.NoncurrentVersionExpiration?.NoncurrentDays ?? Infinity).toBeGreaterThanOrEqual(2557);
        expect(rule.NoncurrentVersionExpirationInDays ?? Infinity).toBeGreaterThanOrEqual(2557);
        // Only to a class that answers a GET at once, so that the export's pre-signed URLs keep working.
        for (const transition of [...(rule.Transitions ?? []), ...(rule.NoncurrentVersionTransitions ?? [])]) {
          expect(['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR']).toContain(transition.StorageClass);
        }
      }
    });

    it('is retained with the stack, and logs every access to a private, SSL-only bucket of its own', () => {
      expect(bucket()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const logsId = idOf(synth().stack.invoiceFiles.accessLogs);
      expect(bucket().Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logsId });
      expect(synth().resources[logsId].Properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicPolicy: true, RestrictPublicBuckets: true });
      expect(synth().resources[logsId].DeletionPolicy).toBe('Retain');
    });
  });

  describe('alarms and dashboard', () => {
    const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

    it('page at the first contract that could not be billed, the first shard dead-lettered and the first run the schedule could not start', () => {
      for (const name of ['BillingFailures', 'BillingShardDeadLetters', 'BillingRunDeadLetters']) {
        const found = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && refersTo(a.Dimensions, queueOfOutput(name)));
        expect({ name, found }).toEqual({
          name,
          found: [
            expect.objectContaining({
              Namespace: 'AWS/SQS',
              Threshold: 1,
              ComparisonOperator: 'GreaterThanOrEqualToThreshold',
              TreatMissingData: 'notBreaching',
            }),
          ],
        });
      }
    });

    it('page at the first billing-shard error (a timeout, a crash): a shard it reports failed is retried by the queue, not an error', () => {
      const found = alarms().filter((a) => a.MetricName === 'Errors' && refersTo(a.Dimensions, logicalId('billing-shard')));
      expect(found).toEqual([
        expect.objectContaining({
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      ]);
    });

    it('page when a shard message has waited more than 2 hours (the run is late), which one failure cured by its retry (after 90 minutes) does not reach', () => {
      const found = alarms().filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
      expect(found).toEqual([
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueOfOutput('BillingShards'), 'QueueName'] } }],
          Statistic: 'Maximum',
          Threshold: 2 * 3600,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      ]);
      const visibility: number = synth().resources[queueOfOutput('BillingShards')].Properties.VisibilityTimeout;
      const timeout: number = synth().resources[logicalId('billing-shard')].Properties.Timeout;
      // A message failed once is received again after the visibility timeout and done within one timeout: under the threshold.
      expect(visibility + timeout).toBeLessThan(found[0].Threshold);
    });

    it('the Scheduler alarms watch the group both schedules are in', () => {
      const group = scheduleOf('monthly-billing').Properties.GroupName;
      const scheduler = alarms().filter((a) => a.Namespace === 'AWS/Scheduler');
      expect(scheduler).toHaveLength(3);
      for (const alarm of scheduler) expect(alarm.Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: group }]);
    });

    it('the dashboard charts invoices issued, yen billed and contracts failed', () => {
      const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0][1].Properties.DashboardBody);
      for (const name of [METRIC.invoicesIssued, METRIC.invoicedYen, METRIC.billingFailures]) expect(body).toContain(`\\"${name}\\"`);
    });
  });
});

describe('lookup API', () => {
  /** "GET /contracts/{contractId}" for every method, rebuilt from the resource tree. */
  function methods(): { route: string; method: Resource }[] {
    const resources = synth().resources;
    const pathOf = (ref: unknown): string => {
      const id = (ref as { Ref?: string }).Ref;
      if (!id) return ''; // the API's root resource
      const resource = resources[id];
      return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
    };
    return ofType('AWS::ApiGateway::Method').map(([, method]) => ({
      route: `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId)}`,
      method,
    }));
  }

  it('serves exactly the routes of interface §3 and §7.3', () => {
    expect(
      methods()
        .map((m) => m.route)
        .sort(),
    ).toEqual(LOOKUP_ROUTES.map((resource) => `GET ${resource}`).sort());
  });

  it('requires on every method exactly the path parameters the lookup handler reads from its route', () => {
    for (const { route, method } of methods()) {
      const path = route.slice(route.indexOf(' ') + 1);
      const read = Object.keys(matchResource(path.replace(/\{[^}]+\}/g, 'x'))?.params ?? {});
      const required = Object.entries((method.Properties.RequestParameters ?? {}) as Record<string, boolean>)
        .filter(([, isRequired]) => isRequired)
        .map(([name]) => name);
      expect({ route, required }).toEqual({ route, required: read.map((name) => `method.request.path.${name}`) });
    }
  });

  it('requires IAM authorization on every method and proxies to the lookup function', () => {
    for (const { method } of methods()) {
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(refersTo(method.Properties.Integration.Uri, logicalId('lookup-api'))).toBe(true);
    }
  });

  it('logs access and errors on its stage', () => {
    synth().template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
  });
});

describe('customer-service console (docs/interface.md §6)', () => {
  const one = (type: string): [string, Resource] => {
    const found = ofType(type);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('keeps its files in a private, SSL-only bucket that only this distribution may read, through origin access control', () => {
    const { stack } = synth();
    const bucket = synth().resources[idOf(stack.console.bucket)];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => refersTo(p.Properties.Bucket, idOf(stack.console.bucket))) ?? [];
    const statements = policy?.Properties.PolicyDocument.Statement as (Statement & { Principal: unknown })[];
    const allows = statements.filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(Object.keys(allows[0]?.Condition as object)).toEqual(['StringEquals']);
    expect(refersTo(allows[0]?.Condition, idOf(stack.console.distribution))).toBe(true);
    expect(statements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}')).toBe(true);
  });

  it('serves the bucket through CloudFront with an origin access control that signs every request, HTTPS only, with a CSP', () => {
    const [oacId, oac] = one('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const [, distribution] = one('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(config.Origins[0].S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    const [, headers] = one('AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('has a staff user pool: no self sign-up, TOTP MFA required, a strong password policy, a customer-service group', () => {
    const [, pool] = one('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireSymbols: true, RequireNumbers: true });
    expect(pool.DeletionPolicy).toBe('Retain');
    const [, group] = one('AWS::Cognito::UserPoolGroup');
    expect(group.Properties.GroupName).toBe(CUSTOMER_SERVICE_GROUP);
  });

  it('signs staff in with managed login: a public client (no secret), authorization code only, back to the console address', () => {
    const [, client] = one('AWS::Cognito::UserPoolClient');
    const { stack } = synth();
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
    expect(client.Properties.AllowedOAuthScopes).toEqual(['openid', 'email']);
    expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.Properties.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(refersTo(client.Properties.CallbackURLs, idOf(stack.console.distribution))).toBe(true);
    const [, domain] = one('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.ManagedLoginVersion).toBe(2);
    expect(JSON.stringify(domain.Properties.Domain)).toContain('omakase-contracts-');
    one('AWS::Cognito::ManagedLoginBranding');
  });

  it('puts a JWT authorizer for that pool and client on every route of its HTTP API, the routes of interface §3, to the same lookup function', () => {
    const { stack } = synth();
    const [authorizerId, authorizer] = one('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: idOf(stack.console.client) }]);
    expect(refersTo(authorizer.Properties.JwtConfiguration.Issuer, idOf(stack.console.userPool))).toBe(true);
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(LOOKUP_RESOURCES.map((resource) => `GET ${resource}`).sort());
    expect([...LOOKUP_RESOURCES].sort()).toEqual([...LOOKUP_ROUTES].sort());
    for (const route of routes) {
      expect(route.AuthorizationType).toBe('JWT');
      expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
      expect(refersTo(integration.Properties.IntegrationUri, logicalId('lookup-api'))).toBe(true);
    }
  });

  it("allows CORS for the console's origin alone, GET only", () => {
    const { stack } = synth();
    const [, api] = one('AWS::ApiGatewayV2::Api');
    const cors = api.Properties.CorsConfiguration;
    expect(cors.AllowMethods).toEqual(['GET']);
    expect(cors.AllowOrigins).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(stack.console.distribution), 'DomainName'] }]] }]);
    expect(cors.AllowCredentials).toBeUndefined();
  });

  it('logs and throttles its stage like the IAM API', () => {
    const [, stage] = one('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: LOOKUP_API_THROTTLE.ratePerSecond,
      ThrottlingBurstLimit: LOOKUP_API_THROTTLE.burst,
    });
  });

  it('deploys the built files with a config.json naming the API, the sign-in domain and the client', () => {
    const [, deployment] = one('Custom::CDKBucketDeployment');
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(4);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    const { stack } = synth();
    for (const construct of [stack.console.api, stack.console.client]) expect(markers).toContain(idOf(construct));
    expect(refersTo(deployment.Properties.DistributionId, idOf(stack.console.distribution))).toBe(true);
  });
});

describe('dead-letter queues and alarms', () => {
  it('every queue is encrypted (SQS-managed), SSL-only and keeps messages 14 days; the dead-letter queues take SQS’s largest messages', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.map(([id]) => id).sort()).toEqual([...DEAD_LETTER_QUEUES.map(queueOfOutput), queueOfOutput('BillingShards')].sort());
    const policies = ofType('AWS::SQS::QueuePolicy');
    for (const [id, queue] of queues) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      if (id !== queueOfOutput('BillingShards')) expect(queue.Properties.MaximumMessageSize).toBe(1_048_576);
      const statements = policies
        .filter(([, p]) => p.Properties.Queues.some((q: unknown) => refersTo(q, id)))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('alarm on every dead-letter queue depth, every function error and the schedule failures, on the first occurrence', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const watching = (namespace: string, metric: string, id: string) =>
      alarms.filter((a) => a.Namespace === namespace && a.MetricName === metric && refersTo(a.Dimensions, id));
    for (const name of DEAD_LETTER_QUEUES) expect(watching('AWS/SQS', 'ApproximateNumberOfMessagesVisible', queueOfOutput(name))).toHaveLength(1);
    // The billing queue holds work while a run goes on: its dead letters are alarmed, and its late messages (below), not its depth.
    expect(alarms.filter((a) => refersTo(a.Dimensions, queueOfOutput('BillingShards'))).map((a) => a.MetricName)).toEqual(['ApproximateAgeOfOldestMessage']);
    for (const handler of HANDLERS) expect(watching('AWS/Lambda', 'Errors', logicalId(handler))).toHaveLength(1);
    const scheduler = alarms.filter((a) => a.Namespace === 'AWS/Scheduler').map((a) => a.MetricName);
    expect(scheduler.sort()).toEqual(['InvocationDroppedCount', 'InvocationsFailedToBeSentToDeadLetterCount', 'TargetErrorCount']);
    // Every alarm but the lateness of the stream and of the billing queue (below) counts occurrences.
    const counting = alarms.filter((a) => a.MetricName !== 'IteratorAge' && a.MetricName !== 'ApproximateAgeOfOldestMessage');
    expect(counting).toHaveLength(alarms.length - 2);
    for (const alarm of counting) expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 300 });
  });

  it('every alarm notifies the one SSL-only alarm topic, raised and cleared; the alarmEmail context subscribes to it', () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const topicId = topics[0][0];
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    expect(ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.co.jp', TopicArn: { Ref: topicId } }),
    ]);
    const statements = ofType('AWS::SNS::TopicPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(synth().template.findOutputs('AlarmTopicArn').AlarmTopicArn.Value).toEqual({ Ref: topicId });
  });

  it("alarm when the outcome publisher is more than 5 minutes behind the table's stream", () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.MetricName === 'IteratorAge');
    expect(alarms).toHaveLength(1);
    expect(alarms[0][1].Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId('outcome-publisher') } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 5 * 60 * 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions leaves no unacknowledged finding, error or warning', () => {
    const report = JSON.parse(fs.readFileSync(path.join(synth().assemblyDir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((p: { violations: unknown[] }) => p.violations);
    expect(violations).toEqual([]);
  });
});
