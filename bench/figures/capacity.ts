import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Settings } from '../../functions/wiring/settings';
import type { Clock } from '../../functions/use-cases/deps';
import type { DynamoDBRecord } from 'aws-lambda';
import { createCancellationHandler } from '../../functions/handlers/cancellation';
import { createContractApplicationHandler } from '../../functions/handlers/contract-application';
import type { OutcomePublisherDeps, RenewalHandlerDeps } from '../../functions/wiring/dependencies';
import { dependenciesFrom } from '../deps';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import { createOutcomePublisherHandler } from '../../functions/handlers/outcome-publisher';
import { createOneOffOrderHandler } from '../../functions/handlers/one-off-order';
import { createPlanChangeHandler } from '../../functions/handlers/plan-change';
import { createServicesChangeHandler } from '../../functions/handlers/services-change';
import { isUnpublishedOutcome } from '../../functions/topology/outcome-stream';
import { tableStore } from '../deps';
import { DEFAULT_RENEWAL_TUNING } from '../../functions/use-cases/monthly-renewal';
import { localStreamsClient, TableStream } from '../../local/table-stream';
import type { BenchContext } from '../context';
import { DynamoDbMeter, describeRequests, requestTotal, round, type MeterReading } from '../dynamodb-meter';
import { applicationDetail, dueContract, inboundEnvelope, JANUARY_RUN, padded } from '../fixtures';
import { DEFAULT_BILLING_TUNING, runBilling } from '../../functions/use-cases/monthly-billing';
import { billingDepsFrom } from '../deps';
import { BILLING_MONTH, BILLING_RUN_AT } from './billing';
import type { BenchOptions } from '../options';
import { compare, type Comparison, type FigureResult } from '../results';
import { seedContracts } from '../seed';

/**
 * Figure 2: DynamoDB requests and capacity units per operation, measured on the real
 * handlers with a metering client, against the minimum the design allows
 * (docs/design.md §2). The ratio is requests measured / requests in the design; the
 * capacity units DynamoDB Local reports stand beside the design's estimate.
 */
interface DesignCost {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}

type Target = { text: string; met: (reading: MeterReading, design: DesignCost) => boolean };

/** Issue 6's targets: a new application 1 write and 0 reads; a lookup 1 read; a renewal its write plus its page share. */
const ONE_WRITE_NO_READ: Target = { text: '1 write, 0 reads', met: (r) => r.writes <= 1 && r.reads === 0 };
const ONE_READ: Target = { text: '≤ 1 read', met: (r) => r.reads <= 1 && r.writes === 0 };
const DESIGN_MINIMUM: Target = { text: '1 write + page share', met: (r, design) => requestTotal(r) <= sum(design.requests) + 1e-9 };

const OPERATIONS = {
  application: { design: { requests: { TransactWriteItems: 1 }, readUnits: 0, writeUnits: 15 }, target: ONE_WRITE_NO_READ },
  'services change': { design: { requests: { GetItem: 1, TransactWriteItems: 1 }, readUnits: 1, writeUnits: 17 }, target: null },
  // docs/terms.md §7, §8: the same shape as a services change (1 read + 1 transaction).
  'plan change': { design: { requests: { GetItem: 1, TransactWriteItems: 1 }, readUnits: 1, writeUnits: 17 }, target: DESIGN_MINIMUM },
  'one-off order': { design: { requests: { GetItem: 1, TransactWriteItems: 1 }, readUnits: 1, writeUnits: 17 }, target: DESIGN_MINIMUM },
  cancellation: { design: { requests: { GetItem: 1, TransactWriteItems: 1 }, readUnits: 1, writeUnits: 18 }, target: null },
  // Every order's outcome, off the order's path: the stream's outcome publisher marks it published.
  'outcome publishing, per order': { design: { requests: { UpdateItem: 1 }, readUnits: 0, writeUnits: 1 }, target: null },
  'GET /contracts/{id}': { design: { requests: { GetItem: 1 }, readUnits: 1, writeUnits: 0 }, target: ONE_READ },
  'GET …/termination-quote': { design: { requests: { GetItem: 1 }, readUnits: 1, writeUnits: 0 }, target: ONE_READ },
  'GET …/charges': { design: { requests: { GetItem: 1 }, readUnits: 1, writeUnits: 0 }, target: ONE_READ },
  'GET /customers/{id}/contracts': { design: { requests: { Query: 1 }, readUnits: 0.5, writeUnits: 0 }, target: ONE_READ },
  'GET /lines/{id}/contract': { design: { requests: { Query: 1 }, readUnits: 0.5, writeUnits: 0 }, target: ONE_READ },
  'GET /orders/{id}': { design: { requests: { GetItem: 1 }, readUnits: 1, writeUnits: 0 }, target: ONE_READ },
  // One page of the renewal-month index (GSI4 carries the contract): 1 Query.
  'GET /renewals (a page)': { design: { requests: { Query: 1 }, readUnits: 0.5, writeUnits: 0 }, target: ONE_READ },
  'GET /tariff': { design: { requests: {}, readUnits: 0, writeUnits: 0 }, target: ONE_READ },
} satisfies Record<string, { design: DesignCost; target: Target | null }>;

type Operation = keyof typeof OPERATIONS;

/** Business time of the measured orders and lookups; the contracts start 2024-05-10. */
const CLOCK: Clock = { now: () => new Date('2024-07-01T12:00:00+09:00') };

export async function capacityFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const { client, settings } = await ctx.table('bench-capacity');
  const meter = new DynamoDbMeter(client);
  const stack = await ctx.localStack(settings);
  let lastId = '';
  const deps = dependenciesFrom(
    {
      settings,
      dynamoDb: client,
      eventBridge: ctx.eventBridge(stack),
      deadLetters: { deadLetter: (reason) => Promise.reject(new Error(`unexpected dead letter: ${reason}`)) },
    },
    { clock: CLOCK, ids: { next: () => (lastId = randomUUID()) }, logger: ctx.silentLogger() },
  );
  const handlers = {
    apply: createContractApplicationHandler(deps),
    change: createServicesChangeHandler(deps),
    changePlan: createPlanChangeHandler(deps),
    orderOneOff: createOneOffOrderHandler(deps),
    cancel: createCancellationHandler(deps),
    lookup: createLookupApiHandler(deps),
  };
  const readings = new Map<Operation, MeterReading[]>();
  const measure = async (operation: Operation, work: () => Promise<void>) => {
    meter.reset();
    await work();
    readings.set(operation, [...(readings.get(operation) ?? []), meter.read()]);
  };
  const expectOutcome = (expected: string) => (result: unknown) => {
    const outcome = (result as { outcome?: string }).outcome;
    if (outcome !== expected) throw new Error(`expected ${expected}, got ${JSON.stringify(result)}`);
  };
  const get =
    (path: string, query: Record<string, string> | null = null) =>
    async () => {
      const response = await handlers.lookup({ httpMethod: 'GET', path, queryStringParameters: query } as APIGatewayProxyEvent);
      if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}: ${response.body}`);
    };

  const streams = localStreamsClient(ctx.dynamoDbEndpoint);
  const stream = await TableStream.open({ dynamoDb: ctx.dynamoDb(), streams }, settings.tableName);
  ctx.report(`capacity: ${options.capacitySamples} samples of each operation`);
  for (let n = 0; n < options.capacitySamples; n++) {
    const customerId = padded('C-CAP', n);
    const lineId = padded('L-CAP', n);
    const envelope = <D extends string>(type: D, detail: Record<string, unknown>) => inboundEnvelope(type, detail, randomUUID());
    await measure('application', async () =>
      expectOutcome('ContractCreated')(
        await handlers.apply(envelope('ContractApplicationSubmitted', applicationDetail(padded('ORD-CAP-A', n), lineId, customerId))),
      ),
    );
    const contractId = lastId;
    const change = {
      orderId: padded('ORD-CAP-S', n),
      requestedAt: '2024-06-01T09:00:00+09:00',
      contractId,
      services: { edrSecurity: { terminals: 12 }, gatewaySecurity: { tier: 10, failureSupport24h: true } },
    };
    await measure('services change', async () => expectOutcome('ContractServicesChanged')(await handlers.change(envelope('ServicesChangeRequested', change))));
    await measure('GET /contracts/{id}', get(`/contracts/${contractId}`));
    await measure('GET …/termination-quote', get(`/contracts/${contractId}/termination-quote`, { date: '2024-07-31' }));
    await measure('GET …/charges', get(`/contracts/${contractId}/charges`, { month: '2024-06' }));
    await measure('GET /customers/{id}/contracts', get(`/customers/${customerId}/contracts`));
    await measure('GET /lines/{id}/contract', get(`/lines/${lineId}/contract`));
    await measure('GET /tariff', get('/tariff', { date: '2024-06-01' }));
    await measure('GET /orders/{id}', get(`/orders/${padded('ORD-CAP-A', n)}`));
    await measure('GET /renewals (a page)', get('/renewals', { month: '2025-04', limit: '50' }));
    const oneOff = {
      orderId: padded('ORD-CAP-O', n),
      requestedAt: '2024-06-05T09:00:00+09:00',
      contractId,
      visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] },
    };
    await measure('one-off order', async () => expectOutcome('OneOffFeeCharged')(await handlers.orderOneOff(envelope('OneOffServiceOrdered', oneOff))));
    const planChange = {
      orderId: padded('ORD-CAP-P', n),
      requestedAt: '2024-07-01T09:00:00+09:00',
      contractId,
      plan: { code: 'prime-plus', tier: 50 },
      services: { edrSecurity: { terminals: 12 }, gatewaySecurity: { tier: 10, failureSupport24h: true } },
    };
    await measure('plan change', async () => expectOutcome('ContractPlanChanged')(await handlers.changePlan(envelope('PlanChangeRequested', planChange))));
    const cancellation = { orderId: padded('ORD-CAP-C', n), requestedAt: '2024-07-15T09:00:00+09:00', contractId, effectiveDate: '2024-07-31' };
    await measure('cancellation', async () => expectOutcome('ContractCancelled')(await handlers.cancel(envelope('CancellationRequested', cancellation))));
    readings.set('outcome publishing, per order', [...(readings.get('outcome publishing, per order') ?? []), await measurePublishing(stream, deps, meter)]);
  }

  streams.destroy();
  const renewal = await measureRenewal(ctx, { client, settings }, deps, meter, options.capacityRenewals);
  const billing = await measureBilling(ctx, options.capacityRenewals);
  const rows = [
    ...(Object.keys(OPERATIONS) as Operation[]).map((operation) => {
      const { design, target } = OPERATIONS[operation];
      return costRow(operation, average(readings.get(operation) ?? []), design, target);
    }),
    costRow(`renewal, per contract (${renewal.renewed} renewed)`, renewal.perContract, renewal.design, DESIGN_MINIMUM),
    costRow(`billing run, per invoice (${billing.issued} issued)`, billing.perInvoice, billing.design, DESIGN_MINIMUM),
  ];
  const measured = [...readings.values()].flat();
  return {
    figure: 'capacity',
    title: 'DynamoDB requests and capacity per operation',
    seconds: (performance.now() - started) / 1000,
    rows,
    counts: {
      operations: Object.keys(OPERATIONS).length,
      samplesPerOperation: options.capacitySamples,
      measurements: measured.length,
      requests: measured.reduce((total, r) => total + requestTotal(r), 0),
      requestsByOperation: measured.reduce((total, r) => total + sum(r.requests), 0),
      failedRequests: measured.reduce((total, r) => total + r.failed, 0) + renewal.total.failed + billing.total.failed,
      renewalContracts: options.capacityRenewals,
      renewed: renewal.renewed,
      renewalRequests: requestTotal(renewal.total),
      renewalRequestsByOperation: sum(renewal.total.requests),
      billingContracts: options.capacityRenewals,
      invoicesIssued: billing.issued,
      billingRequests: requestTotal(billing.total),
      billingRequestsByOperation: sum(billing.total.requests),
    },
  };
}

/**
 * The outcome publisher over the orders the sample wrote, fed the records of the
 * table's stream as Lambda would be, metered as a whole and divided per order. (The
 * local stack's own mapping publishes them too; marking twice costs the same.)
 */
async function measurePublishing(stream: TableStream, deps: OutcomePublisherDeps, meter: DynamoDbMeter): Promise<MeterReading> {
  const records: DynamoDBRecord[] = [];
  for (let page = await stream.read(); page.length > 0; page = await stream.read()) records.push(...page.filter(isUnpublishedOutcome));
  if (records.length === 0) throw new Error('the stream held no order to publish');
  const publish = createOutcomePublisherHandler(deps);
  meter.reset();
  for (let i = 0; i < records.length; i += LAMBDA_BATCH) {
    const { batchItemFailures } = await publish({ Records: records.slice(i, i + LAMBDA_BATCH) });
    if (batchItemFailures.length > 0) throw new Error(`outcome publisher failed from ${batchItemFailures[0]?.itemIdentifier}`);
  }
  const total = meter.read();
  return perItem(total, records.length);
}

// The event source mapping's batch size (lib/omakase-contracts-stack.ts).
const LAMBDA_BATCH = 100;

function perItem(total: MeterReading, count: number): MeterReading {
  return {
    requests: Object.fromEntries(Object.entries(total.requests).map(([operation, n]) => [operation, n / count])),
    reads: total.reads / count,
    writes: total.writes / count,
    failed: total.failed / count,
    readUnits: total.readUnits / count,
    writeUnits: total.writeUnits / count,
  };
}

/**
 * One renewal run over `count` freshly seeded due contracts, metered as a whole. Its
 * design minimum follows docs/design.md §4 for where these contracts fell: per shard one
 * index query per page of 100 (a full last page needs one more to learn it was the last);
 * per page with due contracts one BatchGetItem; one TransactWriteItems per contract (the
 * contract and its ContractRenewed fact, the outbox the stream publishes).
 */
async function measureRenewal(
  ctx: BenchContext,
  table: { client: DynamoDBClient; settings: Settings },
  deps: RenewalHandlerDeps,
  meter: DynamoDbMeter,
  count: number,
) {
  const { settings } = table;
  ctx.report(`capacity: one renewal run over ${count} due contracts`);
  const seeded = await seedContracts({ client: table.client, settings, count, contract: (n) => dueContract('CAP', n) });
  // The run's own time: a renewal for a month that has not begun is refused.
  const run = createMonthlyRenewalHandler({ ...deps, clock: { now: () => new Date(JANUARY_RUN) } });
  meter.reset();
  const summary = await run({ scheduledTime: JANUARY_RUN });
  const total = meter.read();
  if (summary.renewed !== count || summary.failed.length > 0)
    throw new Error(`renewal run: ${JSON.stringify({ ...summary, skipped: summary.skipped.length })}`);

  const store = tableStore({ client: table.client, tableName: settings.tableName, renewalShards: settings.renewalShards });
  const perShard = new Array<number>(settings.renewalShards).fill(0);
  for (const { contractId } of seeded) {
    const shard = store.shardOf(contractId);
    perShard[shard] = perShard[shard] + 1;
  }
  const pageSize = DEFAULT_RENEWAL_TUNING.pageSize;
  const pages = perShard.reduce((total, k) => total + Math.ceil(k / pageSize), 0);
  // Per shard the index queries; once per run the page of the renewal-month index for the notices (N1).
  const queries = perShard.reduce((total, k) => total + Math.floor(k / pageSize) + 1, 0) + 1;
  const design: DesignCost = {
    requests: { BatchGetItem: pages / count, TransactWriteItems: 1, Query: queries / count },
    readUnits: 1,
    writeUnits: 22,
  };
  return { renewed: summary.renewed, total, perContract: perItem(total, count), design };
}

/**
 * One billing run closing January 2024 over `count` freshly seeded contracts from January
 * 2024 (one invoice each), on a table of its own, metered as a whole (the seeding is not):
 * requests and capacity units per invoice. Its design minimum follows docs/design.md §7 for
 * where these contracts fell: per shard, one GSI5 Query per page of 100 (a full last page
 * needs one more to learn it was the last) and one BatchGetItem per page with contracts;
 * one TransactWriteItems per contract (the contract, the invoice, its run entry); for the
 * files, the entries read back the same way (one Query per page, one BatchGetItem per page
 * with entries); the run's bookkeeping: its RUN item once, and per shard its start and
 * completion (an UpdateItem each) and the run read at each (a Query).
 */
async function measureBilling(ctx: BenchContext, count: number) {
  ctx.report(`capacity: one billing run over ${count} contracts`);
  const table = await ctx.table('bench-capacity-billing');
  const seeded = await seedContracts({ client: table.client, settings: table.settings, count, contract: (n) => dueContract('CAPB', n) });
  const dynamoDb = ctx.dynamoDb();
  const meter = new DynamoDbMeter(dynamoDb);
  const deps = billingDepsFrom(
    { settings: table.settings, dynamoDb, deadLetters: { deadLetter: (reason) => Promise.reject(new Error(`unexpected dead letter: ${reason}`)) } },
    { logger: ctx.silentLogger(), clock: { now: () => new Date(BILLING_RUN_AT) } },
  );
  meter.reset();
  const outcomes = await runBilling(deps, BILLING_MONTH, () => Number.POSITIVE_INFINITY);
  const total = meter.read();
  const issued = outcomes.reduce((n, o) => n + o.invoicesIssued, 0);
  const failed = outcomes.flatMap((o) => o.failed);
  if (issued !== count || failed.length > 0) throw new Error(`billing run: ${issued} invoices of ${count}, failed ${JSON.stringify(failed.slice(0, 5))}`);

  const store = tableStore({ client: table.client, tableName: table.settings.tableName, renewalShards: table.settings.renewalShards });
  const perShard = new Array<number>(table.settings.renewalShards).fill(0);
  for (const { contractId } of seeded) {
    const shard = store.shardOf(contractId);
    perShard[shard] = perShard[shard] + 1;
  }
  const pageSize = DEFAULT_BILLING_TUNING.pageSize;
  const shards = perShard.length;
  // Index pages and entry pages alike: a Query each (one more after a full last page), a BatchGetItem each with keys.
  const queries = perShard.reduce((n, k) => n + Math.floor(k / pageSize) + 1, 0);
  const pages = perShard.reduce((n, k) => n + Math.ceil(k / pageSize), 0);
  const design: DesignCost = {
    requests: {
      BatchGetItem: (2 * pages) / count,
      PutItem: 1 / count,
      Query: (2 * queries + 2 * shards) / count,
      TransactWriteItems: 1,
      UpdateItem: (2 * shards) / count,
    },
    readUnits: 2,
    writeUnits: 13,
  };
  return { issued, total, perInvoice: perItem(total, issued), design };
}

function costRow(item: string, reading: MeterReading, design: DesignCost, target: Target | null): Comparison {
  const designRequests = sum(design.requests);
  return compare(
    item,
    {
      value: round(requestTotal(reading)),
      unit: 'req',
      detail: `${describeRequests(reading.requests)}; ${round(reading.readUnits)} RCU, ${round(reading.writeUnits)} WCU`,
    },
    {
      name: 'design §2',
      value: round(designRequests),
      unit: 'req',
      detail: `${describeRequests(design.requests)}; ≈${design.readUnits} RCU, ≈${design.writeUnits} WCU`,
    },
    target ? { text: target.text, met: () => target.met(reading, design) } : undefined,
  );
}

function average(readings: MeterReading[]): MeterReading {
  const n = readings.length;
  if (n === 0) throw new Error('no readings');
  const requests: Record<string, number> = {};
  for (const reading of readings)
    for (const [operation, count] of Object.entries(reading.requests)) requests[operation] = (requests[operation] ?? 0) + count / n;
  const mean = (pick: (r: MeterReading) => number) => readings.reduce((total, r) => total + pick(r), 0) / n;
  return {
    requests,
    reads: mean((r) => r.reads),
    writes: mean((r) => r.writes),
    failed: mean((r) => r.failed),
    readUnits: mean((r) => r.readUnits),
    writeUnits: mean((r) => r.writeUnits),
  };
}

function sum(requests: Record<string, number>): number {
  return Object.values(requests).reduce((total, n) => total + n, 0);
}
