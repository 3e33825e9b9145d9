import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTION_BUNDLING, FUNCTION_ENVIRONMENT, FUNCTION_RUNTIME } from '../../lib/constructs/contracts-function';
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { HandlerName as Handler } from '../../functions/topology/routing';
import { ORDER_SLOT } from '../../functions/store/contract-store';
import { DynamoDbContractStore } from '../../functions/store/dynamodb-contract-store';
import { outcomes } from '../../functions/domain/outbound-events';
import type { BenchContext } from '../context';
import { applicationDetail, dueContract, inboundEnvelope, padded } from '../fixtures';
import type { MinimalCall } from '../minimal/dynamodb-calls';
import type { BenchOptions } from '../options';
import { seedContracts } from '../seed';
import { atMost, compare, type Comparison, type FigureResult } from '../results';
import { median } from '../timing';

/**
 * Figure 4: the cold start of every Lambda function, against a minimal handler built and
 * run the same way. Each bundle is built with esbuild from the house construct's own
 * bundling options (lib/constructs/contracts-function.ts); in a fresh `node` process with
 * the functions' environment (NODE_OPTIONS included) the bundle is required and its
 * handler invoked once with a real event, against DynamoDB Local and a local PutEvents
 * endpoint. Cold start = the require + that first invocation. The reference for each
 * function is a minimal handler importing only the SDK clients that function uses
 * (bench/minimal/) and sending the same requests its first invocation sends:
 *   lookups          GetItem
 *   application      TransactWriteItems
 *   services change  GetItem, TransactWriteItems (so does a cancellation)
 *   outcome publisher PutEvents, UpdateItem
 *   renewal          Query, Query (its outbox and the due index, one shard)
 * so the ratio is what our code (zod, the domain, Powertools, lib-dynamodb) adds.
 */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

type Reference = 'dynamodb' | 'dynamodb-sqs' | 'dynamodb-eventbridge';

/** Every function the CDK stack deploys (the type makes a new handler fail here until it is listed), with its reference. */
const HANDLERS = {
  'contract-application': 'dynamodb-sqs',
  'services-change': 'dynamodb-sqs',
  cancellation: 'dynamodb-sqs',
  'plan-change': 'dynamodb-sqs',
  'one-off-service': 'dynamodb-sqs',
  'monthly-renewal': 'dynamodb-eventbridge',
  'lookup-api': 'dynamodb',
  'outcome-publisher': 'dynamodb-eventbridge',
} satisfies Record<Handler, Reference>;

const REFERENCE_NAME: Record<Reference, string> = {
  dynamodb: 'minimal handler (DynamoDB client)',
  'dynamodb-sqs': 'minimal handler (DynamoDB and SQS clients)',
  'dynamodb-eventbridge': 'minimal handler (DynamoDB and EventBridge clients)',
};

/**
 * The esbuild options aws-cdk-lib's NodejsFunction derives from `bundling` (its
 * Bundling.buildEsbuildArgs, for the options the house construct sets, and the
 * `esbuildArgs` it appends). An option or argument not translated here stops the figure
 * rather than being ignored; so does `charset`, which this aws-cdk-lib passes to no
 * esbuild argument (the construct sets `--charset` through `esbuildArgs`).
 */
const TRANSLATED = new Set([
  'forceDockerBundling',
  'format',
  'minify',
  'sourceMap',
  'sourceMapMode',
  'sourcesContent',
  'bundleAwsSDK',
  'externalModules',
  'mainFields',
  'esbuildArgs',
]);

export function esbuildOptionsFor(bundling: BundlingOptions, runtime: Runtime, entry: string, outfile: string): BuildOptions {
  const untranslated = Object.keys(bundling).filter((option) => !TRANSLATED.has(option));
  if (untranslated.length > 0) throw new Error(`bench/figures/bundles.ts does not translate the bundling options ${untranslated.join(', ')} yet`);
  const node = /nodejs(\d+)/.exec(runtime.name)?.[1];
  if (!node) throw new Error(`no Node.js version in the runtime ${runtime.name}`);
  const { '--charset': charsetArg, ...otherArgs } = bundling.esbuildArgs ?? {};
  if (Object.keys(otherArgs).length > 0)
    throw new Error(`bench/figures/bundles.ts does not translate the esbuild arguments ${Object.keys(otherArgs).join(', ')} yet`);
  const charset = charsetOf(charsetArg);
  const sourceMap = bundling.sourceMapMode ?? bundling.sourceMap;
  const mode = bundling.sourceMapMode ?? SourceMapMode.DEFAULT;
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${node}`,
    ...(bundling.format ? { format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs' } : {}),
    minify: bundling.minify ?? false,
    sourcemap: sourceMap ? (mode === SourceMapMode.DEFAULT ? true : mode) : false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ['@aws-sdk/*']),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...(charset ? { charset } : {}),
    logLevel: 'silent',
  };
}

function charsetOf(arg: unknown): BuildOptions['charset'] {
  if (arg === undefined || arg === 'ascii' || arg === 'utf8') return arg;
  throw new Error(`esbuild has no --charset=${JSON.stringify(arg)}`);
}

interface Bundle {
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
}

/** One cold start: the require of the bundle and the first invocation, timed inside the process; and the process's whole life. */
interface ColdStart {
  requireMs: number;
  callMs: number;
  wallMs: number;
}

/** What one run of one function needs: its event, the minimal handler's calls that send the same requests, and how to tell it did its work. */
interface Invocation {
  event: unknown;
  calls: MinimalCall[];
  env: NodeJS.ProcessEnv;
  check(result: unknown): string | null;
}

const PROBE = [
  "const fs=require('fs');const [file,eventFile,outFile]=process.argv.slice(1);const event=JSON.parse(fs.readFileSync(eventFile,'utf8'));",
  'const t0=process.hrtime.bigint();const m=require(file);const t1=process.hrtime.bigint();',
  "m.handler(event,{functionName:'bench',awsRequestId:'bench-'+process.pid,invokedFunctionArn:'arn:aws:lambda:ap-northeast-1:000000000000:function:bench',memoryLimitInMB:'512',getRemainingTimeInMillis:()=>30000})",
  '.then((result)=>{const t2=process.hrtime.bigint();fs.writeFileSync(outFile,JSON.stringify({requireMs:Number(t1-t0)/1e6,callMs:Number(t2-t1)/1e6,result:result??null}));},(e)=>{console.error(e);process.exit(1);});',
].join('');

export const COLD_START_TARGET = 1.15;

export async function bundlesFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), 'omakase-bench-bundles-'));
  const bus = await fakeEventBridge();
  try {
    const references = Object.keys(REFERENCE_NAME) as Reference[];
    const entries = [
      ...Object.keys(HANDLERS).map((name) => ({ name, entry: join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`) })),
      ...references.map((reference) => ({ name: reference, entry: join(PROJECT_ROOT, 'bench', 'minimal', `${reference}.ts`) })),
    ];
    const bundles = new Map<string, Bundle>(
      await Promise.all(
        entries.map(async ({ name, entry }, i): Promise<[string, Bundle]> => {
          const file = join(outdir, String(i), 'index.js');
          await build(esbuildOptionsFor(FUNCTION_BUNDLING, FUNCTION_RUNTIME, entry, file));
          return [name, { name, file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size }];
        }),
      ),
    );
    ctx.report(`bundles: ${options.loadRuns} cold starts of each of ${Object.keys(HANDLERS).length} functions and their references`);
    const invocations = await prepareInvocations(ctx, bus.url, options.loadRuns);
    const measured = new Map<string, ColdStart[]>(Object.keys(HANDLERS).map((name) => [name, []]));
    const referenced = new Map<string, ColdStart[]>(Object.keys(HANDLERS).map((name) => [name, []]));
    let processes = 0;
    // Interleaved, so that a slow moment of the machine falls on a function and its reference alike.
    for (let run = 0; run < options.loadRuns; run++) {
      for (const [name, reference] of Object.entries(HANDLERS) as Array<[Handler, Reference]>) {
        const invocation = invocations[name][run];
        if (!invocation) throw new Error(`no invocation ${run} of ${name}`);
        const ours = await coldStart(bundles.get(name) as Bundle, invocation.event, invocation.env, outdir, (result) => invocation.check(result));
        const theirs = await coldStart(bundles.get(reference) as Bundle, { calls: invocation.calls }, invocation.env, outdir, () => null);
        measured.get(name)?.push(ours);
        referenced.get(name)?.push(theirs);
        processes += 2;
      }
    }
    const rows: Comparison[] = (Object.entries(HANDLERS) as Array<[Handler, Reference]>).map(([name, reference]) => {
      const ours = summary(measured.get(name) ?? []);
      const theirs = summary(referenced.get(name) ?? []);
      const bundle = bundles.get(name) as Bundle;
      const minimal = bundles.get(reference) as Bundle;
      return compare(
        name,
        {
          value: ours.totalMs,
          unit: 'ms',
          detail: `${kib(bundle.bytes)} KiB (map ${kib(bundle.mapBytes)} KiB); require ${ours.requireMs.toFixed(1)} + first call ${ours.callMs.toFixed(1)} ms; process ${ours.wallMs.toFixed(0)} ms`,
        },
        {
          name: REFERENCE_NAME[reference],
          value: theirs.totalMs,
          unit: 'ms',
          detail: `${kib(minimal.bytes)} KiB; require ${theirs.requireMs.toFixed(1)} + first call ${theirs.callMs.toFixed(1)} ms`,
        },
        atMost(COLD_START_TARGET),
      );
    });
    return {
      figure: 'bundles',
      title: 'Cold start: require of the bundle + its first real call, in a fresh node process',
      seconds: (performance.now() - started) / 1000,
      rows,
      counts: {
        functions: Object.keys(HANDLERS).length,
        references: references.length,
        bundlesBuilt: bundles.size,
        loadRuns: options.loadRuns,
        processes,
        eventsPublished: bus.accepted(),
        bundleBytes: [...bundles.values()].reduce((total, bundle) => total + bundle.bytes, 0),
      },
    };
  } finally {
    await bus.close();
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Median of each part, and of the sum per run. */
function summary(starts: ColdStart[]) {
  return {
    requireMs: median(starts.map((s) => s.requireMs)),
    callMs: median(starts.map((s) => s.callMs)),
    totalMs: median(starts.map((s) => s.requireMs + s.callMs)),
    wallMs: median(starts.map((s) => s.wallMs)),
  };
}

/** One fresh node process: require, one invocation, exit. */
async function coldStart(bundle: Bundle, event: unknown, env: NodeJS.ProcessEnv, dir: string, check: (result: unknown) => string | null): Promise<ColdStart> {
  const id = randomUUID();
  const eventFile = join(dir, `${id}.event.json`);
  const outFile = join(dir, `${id}.out.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['-e', PROBE, bundle.file, eventFile, outFile], { env, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${bundle.name}: cold start failed: ${stderr}`, { cause: error })) : resolve(),
    );
  });
  const wallMs = performance.now() - started;
  const out = JSON.parse(readFileSync(outFile, 'utf8')) as { requireMs: number; callMs: number; result: unknown };
  const problem = check(out.result);
  if (problem) throw new Error(`${bundle.name}: the first call did not do its work: ${problem} (${JSON.stringify(out.result).slice(0, 300)})`);
  return { requireMs: out.requireMs, callMs: out.callMs, wallMs };
}

/**
 * Per function, one invocation per run, each on data of its own (a fresh order, its own
 * contract, its own stored outcome), so that every run takes the path a first delivery takes.
 */
async function prepareInvocations(ctx: BenchContext, busUrl: string, runs: number): Promise<Record<Handler, Invocation[]>> {
  const data = await ctx.table('bench-coldstart');
  const empty = await ctx.table('bench-coldstart-renewal');
  const table = data.settings.tableName;
  const baseEnv = (tableName: string, shards: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? '',
    ...FUNCTION_ENVIRONMENT,
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ATTEMPT_TIMEOUT_MS: '5000',
    // The SDK's notice that it will need Node 22 costs a warning on this machine's Node 20 only; Lambda runs 24.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: tableName,
    RENEWAL_SHARDS: String(shards),
    DYNAMODB_ENDPOINT: ctx.dynamoDbEndpoint,
    EVENTBRIDGE_ENDPOINT: busUrl,
    DEAD_LETTER_QUEUE_URL: `${busUrl}/000000000000/bench-dead-letters`,
  });
  const env = baseEnv(table, data.settings.renewalShards);
  const seeded = await seedContracts({ client: data.client, settings: data.settings, count: 5 * runs, contract: (n) => dueContract('COLD', n) });
  const store = new DynamoDbContractStore({ client: data.client, tableName: table, renewalShards: data.settings.renewalShards });
  const contractKey = (contractId: string): Record<string, AttributeValue> => ({ PK: { S: `CONTRACT#${contractId}` }, SK: { S: 'CONTRACT' } });
  const getContract = (contractId: string): MinimalCall => ({ op: 'GetItem', input: { TableName: table, Key: contractKey(contractId), ConsistentRead: true } });
  const transact = (): MinimalCall => {
    const put = (kind: string) => ({
      Put: { TableName: table, Item: { PK: { S: `${kind}#${randomUUID()}` }, SK: { S: kind } }, ConditionExpression: 'attribute_not_exists(PK)' },
    });
    return { op: 'TransactWriteItems', input: { TransactItems: [put('ORDER'), put('CONTRACT'), put('LINE')] } };
  };
  const outcomeOf = (expected: string) => (result: unknown) => ((result as { outcome?: string } | null)?.outcome === expected ? null : `expected ${expected}`);
  const month = new Date().toISOString().slice(0, 7);

  const invocations: Record<Handler, Invocation[]> = {
    'contract-application': [],
    'services-change': [],
    cancellation: [],
    'plan-change': [],
    'one-off-service': [],
    'monthly-renewal': [],
    'lookup-api': [],
    'outcome-publisher': [],
  };
  for (let run = 0; run < runs; run++) {
    const orderId = (kind: string) => padded(`ORD-COLD-${kind}-${randomUUID().slice(0, 8)}`, run);
    invocations['contract-application'].push({
      event: inboundEnvelope('ContractApplicationSubmitted', applicationDetail(orderId('A'), padded(`L-COLD-${randomUUID().slice(0, 8)}`, run)), randomUUID()),
      calls: [transact()],
      env,
      check: outcomeOf('ContractCreated'),
    });
    const changed = (seeded[run] as { contractId: string }).contractId;
    invocations['services-change'].push({
      event: inboundEnvelope(
        'ServicesChangeRequested',
        { orderId: orderId('S'), requestedAt: '2024-06-01T09:00:00+09:00', contractId: changed, services: { edrSecurity: { terminals: 10 } } },
        randomUUID(),
      ),
      calls: [getContract(changed), transact()],
      env,
      check: outcomeOf('ContractServicesChanged'),
    });
    const cancelled = (seeded[runs + run] as { contractId: string }).contractId;
    invocations.cancellation.push({
      event: inboundEnvelope('CancellationRequested', { orderId: orderId('C'), requestedAt: '2024-06-01T09:00:00+09:00', contractId: cancelled }, randomUUID()),
      calls: [getContract(cancelled), transact()],
      env,
      check: outcomeOf('ContractCancelled'),
    });
    const moved = (seeded[3 * runs + run] as { contractId: string }).contractId;
    invocations['plan-change'].push({
      event: inboundEnvelope(
        'PlanChangeRequested',
        {
          orderId: orderId('PC'),
          requestedAt: '2024-06-01T09:00:00+09:00',
          contractId: moved,
          plan: { code: 'prime-plus', tier: 50 },
          services: { edrSecurity: { terminals: 8 } },
        },
        randomUUID(),
      ),
      calls: [getContract(moved), transact()],
      env,
      check: outcomeOf('ContractPlanChanged'),
    });
    const visited = (seeded[4 * runs + run] as { contractId: string }).contractId;
    invocations['one-off-service'].push({
      event: inboundEnvelope(
        'OneOffServiceOrdered',
        { orderId: orderId('O'), requestedAt: '2024-06-01T09:00:00+09:00', contractId: visited, visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] } },
        randomUUID(),
      ),
      calls: [getContract(visited), transact()],
      env,
      check: outcomeOf('OneOffFeeCharged'),
    });
    const looked = (seeded[2 * runs + run] as { contractId: string }).contractId;
    invocations['lookup-api'].push({
      event: { httpMethod: 'GET', path: `/contracts/${looked}`, pathParameters: null, queryStringParameters: null, headers: {}, body: null },
      calls: [getContract(looked)],
      env,
      check: (result) => ((result as { statusCode?: number } | null)?.statusCode === 200 ? null : 'expected 200'),
    });
    const published = orderId('P');
    await store.recordOrder({
      orderId: published,
      slot: ORDER_SLOT,
      fingerprint: 'bench',
      outcome: outcomes.applicationRejected(published, []),
      leaseUntil: Date.now() + 3_600_000,
      at: '2024-06-01T10:00:00+09:00',
    });
    const Keys = { PK: { S: `ORDER#${published}` }, SK: { S: ORDER_SLOT } };
    const { Item } = await data.client.send(new GetItemCommand({ TableName: table, Key: Keys, ConsistentRead: true }));
    invocations['outcome-publisher'].push({
      event: {
        Records: [
          { eventID: randomUUID(), eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys, NewImage: Item, SequenceNumber: String(1000 + run) } },
        ],
      },
      calls: [
        {
          op: 'PutEvents',
          input: {
            Entries: [
              {
                EventBusName: 'omakase-contracts',
                Source: 'omakase.contracts',
                DetailType: 'ContractApplicationRejected',
                Detail: JSON.stringify({ orderId: published, reasons: [] }),
              },
            ],
          },
        },
        {
          op: 'UpdateItem',
          input: {
            TableName: table,
            Key: { PK: { S: `MARK#${randomUUID()}` }, SK: { S: ORDER_SLOT } },
            UpdateExpression: 'SET published = :yes',
            ExpressionAttributeValues: { ':yes': { BOOL: true } },
          },
        },
      ],
      env,
      check: (result) => ((result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures?.length === 0 ? null : 'expected no batch item failures'),
    });
    const emptyTable = empty.settings.tableName;
    invocations['monthly-renewal'].push({
      event: { scheduledTime: new Date().toISOString() },
      calls: [
        {
          op: 'Query',
          input: {
            TableName: emptyTable,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'RENEWAL-OUTBOX#0' } },
            ConsistentRead: true,
          },
        },
        {
          op: 'Query',
          input: {
            TableName: emptyTable,
            IndexName: 'GSI3',
            KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK < :month',
            ExpressionAttributeValues: { ':pk': { S: 'RENEWAL#0' }, ':month': { S: month } },
            Limit: 100,
          },
        },
      ],
      env: baseEnv(emptyTable, 1),
      check: (result) => ((result as { complete?: boolean } | null)?.complete === true ? null : 'expected a complete run'),
    });
  }
  return invocations;
}

/** A PutEvents endpoint that accepts every entry, for the functions and references that publish. */
async function fakeEventBridge(): Promise<{ url: string; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: unknown[] };
      const entries = body.Entries ?? [];
      accepted += entries.length;
      response
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(0);
