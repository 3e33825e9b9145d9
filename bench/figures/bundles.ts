import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions } from 'esbuild';
import { bodyOf, listenOnLoopback, operationOf, startPassThrough, type Listening } from '../../local/pass-through';
import { FUNCTION_BUNDLING, FUNCTION_ENVIRONMENT, FUNCTION_RUNTIME } from '../../lib/constructs/contracts-function';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { HandlerName as Handler } from '../../functions/topology/routing';
import { ORDER_SLOT } from '../../functions/store/records';
import { tableStore } from '../deps';
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
 * endpoint. Cold start = the require + that first invocation. The process first does
 * what Lambda's Node.js runtime does before it loads a handler and that a handler's
 * cold start would otherwise be charged for: the runtime client (aws-lambda-nodejs-
 * runtime-interface-client, src/index.mjs and src/RAPIDClient.js) has loaded `http` and
 * made its keep-alive Agent by then.
 * The reference for each function is a minimal handler importing only the SDK clients
 * that function uses (bench/minimal/) and sending the very requests the function's own
 * first call sent in the same run: both talk to DynamoDB through a pass-through (local/pass-through.ts) that
 * records the function's requests (the PutEvents endpoint records its own), and the
 * reference replays them on a twin table seeded alike, so that DynamoDB Local does the
 * same work for both. The ratio is what our code (zod, the domain, Powertools,
 * lib-dynamodb's marshalling) adds to the SDK's own cold start.
 */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

type Reference = 'dynamodb' | 'dynamodb-sqs' | 'dynamodb-eventbridge';

/**
 * Functions whose first call this harness cannot serve, and why: it records and replays
 * JSON-protocol calls (DynamoDB, EventBridge, SQS's dead letters), not S3's REST uploads or
 * SQS batches. Their bundles are built with the others (the build would fail here first).
 */
const NOT_MEASURED = {
  'monthly-billing': 'its first call sends one SendMessageBatch per 10 shards to the billing queue, which the minimal references do not replay',
  'billing-shard': "its first call uploads the shard's files to S3 (REST), which this harness does not serve",
} satisfies Partial<Record<Handler, string>>;

/** Every other function the CDK stack deploys (the type makes a new handler fail here until it is listed), with its reference. */
const HANDLERS = {
  'contract-application': 'dynamodb-sqs',
  'services-change': 'dynamodb-sqs',
  cancellation: 'dynamodb-sqs',
  'plan-change': 'dynamodb-sqs',
  'one-off-order': 'dynamodb-sqs',
  'monthly-renewal': 'dynamodb-eventbridge',
  'lookup-api': 'dynamodb',
  'outcome-publisher': 'dynamodb-eventbridge',
} satisfies Record<Exclude<Handler, keyof typeof NOT_MEASURED>, Reference>;

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

/** What one run of one function needs: its event, its table and the reference's twin of it, and how to tell it did its work. */
interface Invocation {
  event: unknown;
  env: NodeJS.ProcessEnv;
  tables: { ours: string; twin: string };
  check(result: unknown): string | null;
}

const PROBE = [
  "new (require('http').Agent)({keepAlive:true,maxSockets:1});",
  "const fs=require('fs');const [file,eventFile,outFile]=process.argv.slice(1);const event=JSON.parse(fs.readFileSync(eventFile,'utf8'));",
  'const t0=process.hrtime.bigint();const m=require(file);const t1=process.hrtime.bigint();',
  "m.handler(event,{functionName:'bench',awsRequestId:'bench-'+process.pid,invokedFunctionArn:'arn:aws:lambda:ap-northeast-1:000000000000:function:bench',memoryLimitInMB:'512',getRemainingTimeInMillis:()=>30000})",
  '.then((result)=>{const t2=process.hrtime.bigint();fs.writeFileSync(outFile,JSON.stringify({requireMs:Number(t1-t0)/1e6,callMs:Number(t2-t1)/1e6,result:result??null}));},(e)=>{console.error(e);process.exit(1);});',
].join('');

export const COLD_START_TARGET = 1.15;

export async function bundlesFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), 'omakase-bench-bundles-'));
  const recorder = new RequestRecorder();
  const bus = await fakeEventBridge(recorder);
  // The function's and the reference's requests both take this pass-through, so the hop costs them alike.
  const dynamoDb = await startPassThrough(ctx.dynamoDbEndpoint, {
    inspect: (request, body) => {
      recorder.record(request.headers['x-amz-target'], body.toString('utf8'));
      return 'forward';
    },
  });
  try {
    const references = Object.keys(REFERENCE_NAME) as Reference[];
    const entries = [
      ...[...Object.keys(HANDLERS), ...Object.keys(NOT_MEASURED)].map((name) => ({ name, entry: join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`) })),
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
    const invocations = await prepareInvocations(ctx, { dynamoDb: dynamoDb.url, bus: bus.url }, options.loadRuns);
    const measured = new Map<string, ColdStart[]>(Object.keys(HANDLERS).map((name) => [name, []]));
    const referenced = new Map<string, ColdStart[]>(Object.keys(HANDLERS).map((name) => [name, []]));
    let processes = 0;
    let requestsReplayed = 0;
    // Interleaved, so that a slow moment of the machine falls on a function and its reference alike.
    for (let run = 0; run < options.loadRuns; run++) {
      for (const [name, reference] of Object.entries(HANDLERS) as Array<[keyof typeof HANDLERS, Reference]>) {
        const invocation = invocations[name][run];
        if (!invocation) throw new Error(`no invocation ${run} of ${name}`);
        recorder.start();
        const ours = await coldStart(bundles.get(name) as Bundle, invocation.event, invocation.env, outdir, (result) => invocation.check(result));
        const calls = replayed(recorder.stop(), invocation.tables);
        const theirs = await coldStart(bundles.get(reference) as Bundle, { calls }, invocation.env, outdir, () => null);
        requestsReplayed += calls.length;
        measured.get(name)?.push(ours);
        referenced.get(name)?.push(theirs);
        processes += 2;
      }
    }
    const rows: Comparison[] = (Object.entries(HANDLERS) as Array<[keyof typeof HANDLERS, Reference]>).map(([name, reference]) => {
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
        // Built, not cold-started (NOT_MEASURED says why).
        notMeasured: Object.keys(NOT_MEASURED).length,
        references: references.length,
        bundlesBuilt: bundles.size,
        loadRuns: options.loadRuns,
        processes,
        eventsPublished: bus.accepted(),
        requestsReplayed,
        bundleBytes: [...bundles.values()].reduce((total, bundle) => total + bundle.bytes, 0),
      },
    };
  } finally {
    await Promise.all([bus.close(), dynamoDb.close()]);
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
 * contract, its own stored outcome), so that every run takes the path a first delivery
 * takes. Every table has a twin seeded with the same items, on which the reference
 * replays what the function sent.
 */
async function prepareInvocations(ctx: BenchContext, endpoints: { dynamoDb: string; bus: string }, runs: number): Promise<Record<Handler, Invocation[]>> {
  const [data, dataTwin, empty, emptyTwin] = await Promise.all([
    ctx.table('bench-coldstart'),
    ctx.table('bench-coldstart'),
    ctx.table('bench-coldstart-renewal'),
    ctx.table('bench-coldstart-renewal'),
  ]);
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
    DYNAMODB_ENDPOINT: endpoints.dynamoDb,
    EVENTBRIDGE_ENDPOINT: endpoints.bus,
    DEAD_LETTER_QUEUE_URL: `${endpoints.bus}/000000000000/bench-dead-letters`,
  });
  const env = baseEnv(data.settings.tableName, data.settings.renewalShards);
  const tables = { ours: data.settings.tableName, twin: dataTwin.settings.tableName };
  const [seeded] = await Promise.all(
    [data, dataTwin].map((table) =>
      seedContracts({ client: table.client, settings: table.settings, count: 5 * runs, contract: (n) => dueContract('COLD', n) }),
    ),
  );
  if (!seeded) throw new Error('no contracts seeded');
  const stores = [data, dataTwin].map(({ client, settings }) => tableStore({ client, tableName: settings.tableName, renewalShards: settings.renewalShards }));
  const outcomeOf = (expected: string) => (result: unknown) => ((result as { outcome?: string } | null)?.outcome === expected ? null : `expected ${expected}`);
  const contractOf = (n: number) => (seeded[n] as { contractId: string }).contractId;

  const invocations: Record<Handler, Invocation[]> = {
    'contract-application': [],
    'services-change': [],
    cancellation: [],
    'plan-change': [],
    'one-off-order': [],
    'monthly-renewal': [],
    'monthly-billing': [],
    'billing-shard': [],
    'lookup-api': [],
    'outcome-publisher': [],
  };
  for (let run = 0; run < runs; run++) {
    const orderId = (kind: string) => padded(`ORD-COLD-${kind}-${randomUUID().slice(0, 8)}`, run);
    const inbound = (detailType: string, detail: unknown, expected: string): Invocation => ({
      event: inboundEnvelope(detailType, detail, randomUUID()),
      env,
      tables,
      check: outcomeOf(expected),
    });
    const requestedAt = '2024-06-01T09:00:00+09:00';
    invocations['contract-application'].push(
      inbound('ContractApplicationSubmitted', applicationDetail(orderId('A'), padded(`L-COLD-${randomUUID().slice(0, 8)}`, run)), 'ContractCreated'),
    );
    invocations['services-change'].push(
      inbound(
        'ServicesChangeRequested',
        { orderId: orderId('S'), requestedAt, contractId: contractOf(run), services: { edrSecurity: { terminals: 10 } } },
        'ContractServicesChanged',
      ),
    );
    invocations.cancellation.push(
      inbound('CancellationRequested', { orderId: orderId('C'), requestedAt, contractId: contractOf(runs + run) }, 'ContractCancelled'),
    );
    invocations['plan-change'].push(
      inbound(
        'PlanChangeRequested',
        {
          orderId: orderId('PC'),
          requestedAt,
          contractId: contractOf(3 * runs + run),
          plan: { code: 'prime-plus', tier: 50 },
          services: { edrSecurity: { terminals: 8 } },
        },
        'ContractPlanChanged',
      ),
    );
    invocations['one-off-order'].push(
      inbound(
        'OneOffServiceOrdered',
        { orderId: orderId('O'), requestedAt, contractId: contractOf(4 * runs + run), visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] } },
        'OneOffFeeCharged',
      ),
    );
    invocations['lookup-api'].push({
      event: {
        httpMethod: 'GET',
        path: `/contracts/${contractOf(2 * runs + run)}`,
        pathParameters: null,
        queryStringParameters: null,
        headers: {},
        body: null,
      },
      env,
      tables,
      check: (result) => ((result as { statusCode?: number } | null)?.statusCode === 200 ? null : 'expected 200'),
    });
    const published = orderId('P');
    for (const store of stores) {
      await store.recordOrder({
        orderId: published,
        slot: ORDER_SLOT,
        fingerprint: 'bench',
        outcome: outcomes.applicationRejected(published, []),
        leaseUntil: Date.now() + 3_600_000,
        at: '2024-06-01T10:00:00+09:00',
      });
    }
    const Keys = { PK: { S: `ORDER#${published}` }, SK: { S: ORDER_SLOT } };
    const { Item } = await data.client.send(new GetItemCommand({ TableName: tables.ours, Key: Keys, ConsistentRead: true }));
    invocations['outcome-publisher'].push({
      event: {
        Records: [
          { eventID: randomUUID(), eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys, NewImage: Item, SequenceNumber: String(1000 + run) } },
        ],
      },
      env,
      tables,
      check: (result) => ((result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures?.length === 0 ? null : 'expected no batch item failures'),
    });
    invocations['monthly-renewal'].push({
      event: { scheduledTime: new Date().toISOString() },
      env: baseEnv(empty.settings.tableName, 1),
      tables: { ours: empty.settings.tableName, twin: emptyTwin.settings.tableName },
      check: (result) => ((result as { complete?: boolean } | null)?.complete === true ? null : 'expected a complete run'),
    });
  }
  return invocations;
}

/** One request a function sent: its operation (the X-Amz-Target after the dot) and its body. */
export interface RecordedRequest {
  op: string;
  body: string;
}

/** Keeps the requests sent between start() and stop(): those of one cold start of ours. */
export class RequestRecorder {
  private requests: RecordedRequest[] | null = null;

  start(): void {
    this.requests = [];
  }

  stop(): RecordedRequest[] {
    const requests = this.requests ?? [];
    this.requests = null;
    return requests;
  }

  record(target: IncomingMessage['headers']['x-amz-target'], body: string): void {
    const op = operationOf(target);
    if (!op) throw new Error(`a request without an X-Amz-Target operation: ${String(target)}`);
    this.requests?.push({ op, body });
  }
}

const REPLAYED = new Set<string>(['GetItem', 'Query', 'TransactWriteItems', 'UpdateItem', 'PutEvents'] satisfies Array<MinimalCall['op']>);

/**
 * The reference's calls: the function's requests, on the twin table. The SDK fills in a
 * transaction's idempotency token of its own; a copied one would tie the two together.
 */
export function replayed(requests: RecordedRequest[], tables: { ours: string; twin: string }): MinimalCall[] {
  return requests.map(({ op, body }) => {
    if (!REPLAYED.has(op)) throw new Error(`a function sent ${op}, which bench/minimal/ does not replay yet`);
    const { ClientRequestToken: _own, ...input } = JSON.parse(body.split(tables.ours).join(tables.twin)) as Record<string, unknown>;
    return { op, input } as MinimalCall;
  });
}

/** A PutEvents endpoint that accepts every entry, for the functions and references that publish, recording what it is sent. */
async function fakeEventBridge(recorder: RequestRecorder): Promise<Listening & { accepted: () => number }> {
  let accepted = 0;
  const server = createServer((request, response) => {
    bodyOf(request)
      .then((body) => {
        const text = body.toString('utf8');
        recorder.record(request.headers['x-amz-target'], text);
        const entries = (JSON.parse(text || '{}') as { Entries?: unknown[] }).Entries ?? [];
        accepted += entries.length;
        response
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) }));
      })
      .catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  return { ...(await listenOnLoopback(server)), accepted: () => accepted };
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(0);
