import { UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { YearMonth } from '../../functions/domain/calendar';
import { planInvoices } from '../../functions/domain/invoices/invoice-plan';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { DynamoDbTable } from '../../functions/store/dynamodb/table';
import { InvoiceItems } from '../../functions/store/dynamodb/invoice-items';
import { dynamoDbBillingStore } from '../../functions/store/billing-store';
import { mapLimit } from '../../functions/use-cases/concurrency';
import { DEFAULT_BILLING_TUNING, runBilling, type ShardOutcome } from '../../functions/use-cases/monthly-billing';
import type { Settings } from '../../functions/wiring/settings';
import type { BenchContext } from '../context';
import { billingDepsFrom } from '../deps';
import { dueContract } from '../fixtures';
import type { BenchOptions } from '../options';
import { atLeast, compare, type FigureResult } from '../results';
import { seedContracts } from '../seed';
import { perSecond, progressLines, timed } from '../timing';
import { countStillDue, countTransactions } from './scheduled-runs';

/**
 * Figure 7: the monthly billing run over `billingContracts` Prime Plus contracts seeded in
 * DynamoDB Local (from January 2024), closing January 2024: one invoice each, each
 * contract's one TransactWriteItems (the contract at its next version, the invoice item,
 * which is the outbox of InvoiceIssued, and the run entry), then each shard's files
 * written from its entries. Against raw writes of the same invoice items (each planned as
 * the run plans it, under keys of their own, so of equal size, index entry included),
 * first one PutItem per invoice with as many in flight as the run writes at once
 * (shards × writes per shard: the target's reference, the same number of write
 * requests), then BatchWriteItem of 25 (for scale: no target). The raw writes run first,
 * on the same table, and change nothing the run reads. The stream is off, as in figure 3:
 * the outcome publisher publishes the invoices from it (figure 2 counts its mark).
 */
export const BILLING_MONTH: YearMonth = '2024-01';
/** The run's time: the day the schedule would run for January 2024 (the issue date). */
export const BILLING_RUN_AT = '2024-02-02T03:00:00+09:00';

const BATCH = 25;
const BATCHES_IN_FLIGHT = 4;
const MAX_ROUNDS = 10;

export async function billingFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const table = await ctx.table('bench-billing');
  await table.client.send(new UpdateTableCommand({ TableName: table.settings.tableName, StreamSpecification: { StreamEnabled: false } }));
  const count = options.billingContracts;

  ctx.report(`billing: seeding ${count.toLocaleString('en')} Prime Plus contracts from January 2024 with BatchWriteItem`);
  const seeded = await timed(() =>
    seedContracts({ client: table.client, settings: table.settings, count, contract: (n) => dueContract('BIL', n), report: ctx.report }),
  );

  const inFlight = DEFAULT_BILLING_TUNING.shardConcurrency * DEFAULT_BILLING_TUNING.writeConcurrency;
  ctx.report(`billing: raw PutItem of the same ${count.toLocaleString('en')} invoice items, ${inFlight} in flight`);
  const rawPut = await timed(() => rawInvoiceWrites(table.client, table.settings, count, 'put', inFlight, ctx.report));
  ctx.report(`billing: raw BatchWriteItem of the same invoice items, ${BATCH} a call, ${BATCHES_IN_FLIGHT} calls in flight`);
  const rawBatch = await timed(() => rawInvoiceWrites(table.client, table.settings, count, 'batch', BATCHES_IN_FLIGHT, ctx.report));

  ctx.report(`billing: the billing run closing ${BILLING_MONTH}, ${table.settings.renewalShards} shards, ${inFlight} contracts in flight`);
  const dynamoDb = ctx.dynamoDb();
  const written = countTransactions(dynamoDb, 'benchCountBillingWrites');
  const deadLetters: string[] = [];
  const deps = billingDepsFrom(
    { settings: table.settings, dynamoDb, deadLetters: { deadLetter: (reason) => void deadLetters.push(reason) } },
    { logger: ctx.silentLogger(), clock: { now: () => new Date(BILLING_RUN_AT) } },
  );
  const progress = progressLines(ctx.report, 'contracts billed', count, written);
  const run = await timed(() => runBilling(deps, BILLING_MONTH, () => Number.POSITIVE_INFINITY)).finally(() => progress.stop());
  const sum = (pick: (outcome: ShardOutcome) => number) => run.result.reduce((total, outcome) => total + pick(outcome), 0);
  const issued = sum((o) => o.invoicesIssued);
  const summary = await deps.store.readRun(BILLING_MONTH);
  const leftDue = await stillDue(table.client, table.settings);

  return {
    figure: 'billing',
    title: `Monthly billing run of ${count.toLocaleString('en')} Prime Plus contracts`,
    seconds: (performance.now() - started) / 1000,
    rows: [
      compare(
        'billing run, invoices issued',
        { value: perSecond(issued, run.seconds), unit: 'invoices/s', detail: `${issued} in ${run.seconds.toFixed(1)} s, files included` },
        {
          name: 'raw PutItem of the same invoice items',
          value: perSecond(rawPut.result, rawPut.seconds),
          unit: 'items/s',
          detail: `${rawPut.result} in ${rawPut.seconds.toFixed(1)} s, ${inFlight} in flight`,
        },
        atLeast(0.5),
      ),
      compare(
        'billing run, invoices issued (against batched writes)',
        { value: perSecond(issued, run.seconds), unit: 'invoices/s', detail: `${issued} in ${run.seconds.toFixed(1)} s` },
        {
          name: `raw BatchWriteItem (${BATCH} a call) of the same invoice items`,
          value: perSecond(rawBatch.result, rawBatch.seconds),
          unit: 'items/s',
          detail: `${rawBatch.result} in ${rawBatch.seconds.toFixed(1)} s, ${BATCHES_IN_FLIGHT} calls in flight`,
        },
      ),
    ],
    counts: {
      seeded: seeded.result.length,
      seedSeconds: Math.round(seeded.seconds),
      rawPut: rawPut.result,
      rawBatched: rawBatch.result,
      contractsBilled: sum((o) => o.contractsBilled),
      invoicesIssued: issued,
      invoicesInRun: summary.shards.reduce((total, shard) => total + shard.invoices, 0),
      shardsCompleted: summary.shards.filter((shard) => shard.completedAt !== null).length,
      failed: sum((o) => o.failed.length),
      deadLetters: deadLetters.length,
      contractWrites: written(),
      leftDue,
    },
  };
}

/**
 * The invoice items the run writes for the seeded contracts, planned as it plans them,
 * under keys of their own (`RAW…`, the same length): written with one PutItem each, or
 * with BatchWriteItem; made a batch at a time, so that 100,000 are never in memory at once.
 */
async function rawInvoiceWrites(
  client: DynamoDBClient,
  settings: Settings,
  count: number,
  how: 'put' | 'batch',
  inFlight: number,
  report: (line: string) => void,
) {
  const table = new DynamoDbTable({ client, tableName: settings.tableName, renewalShards: settings.renewalShards });
  const invoices = new InvoiceItems(table);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tag = how === 'put' ? 'RAWP' : 'RAWB';
  const itemOf = (n: number): Record<string, unknown> => {
    const plan = planInvoices({
      catalog: SHIPPED_CATALOG,
      contract: dueContract('BIL', n),
      closing: BILLING_MONTH,
      issueDate: '2024-02-02',
      issuer: settings.invoiceIssuer,
      issued: [],
    });
    const invoice = plan?.invoices[0];
    if (!invoice) throw new Error(`contract ${n} has nothing to invoice for ${BILLING_MONTH}`);
    const item = invoices.put(invoice, BILLING_MONTH, BILLING_RUN_AT).Put?.Item as Record<string, unknown>;
    // Keys of their own, as long as the run's: nothing the run reads, the same bytes written.
    return { ...item, PK: `${tag}${String(item.PK).slice(tag.length)}`, GSI5PK: `${tag}${String(item.GSI5PK).slice(tag.length)}` };
  };
  let done = 0;
  const progress = progressLines(report, how === 'put' ? 'raw PutItem' : 'raw BatchWriteItem', count, () => done);
  try {
    if (how === 'put') {
      await mapLimit(
        Array.from({ length: count }, (_, n) => n),
        inFlight,
        async (n) => {
          await doc.send(new PutCommand({ TableName: settings.tableName, Item: itemOf(n) }));
          done += 1;
        },
      );
    } else {
      const calls = Array.from({ length: Math.ceil(count / BATCH) }, (_, call) => call * BATCH);
      await mapLimit(calls, inFlight, async (first) => {
        let requests = Array.from({ length: Math.min(BATCH, count - first) }, (_, i) => ({ PutRequest: { Item: itemOf(first + i) } }));
        const size = requests.length;
        for (let round = 1; requests.length > 0; round++) {
          if (round > MAX_ROUNDS) throw new Error(`BatchWriteItem left ${requests.length} items unprocessed after ${MAX_ROUNDS} rounds`);
          if (round > 1) await sleep(20 * 2 ** round);
          const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [settings.tableName]: requests } }));
          requests = (UnprocessedItems?.[settings.tableName] ?? []) as typeof requests;
        }
        done += size;
      });
    }
  } finally {
    progress.stop();
  }
  return done;
}

/** Contracts the billing index still lists as due for the run's month (0 after a complete run). */
function stillDue(client: DynamoDBClient, settings: Settings): Promise<number> {
  const store = dynamoDbBillingStore(new DynamoDbTable({ client, tableName: settings.tableName, renewalShards: settings.renewalShards }));
  return countStillDue(store.shards, (shard, cursor, limit) => store.dueForBilling(shard, BILLING_MONTH, cursor, limit));
}
