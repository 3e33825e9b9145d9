import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Context, SQSEvent } from 'aws-lambda';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { storedOutcomeSchema } from '../../functions/schemas/stored-outcome';
import { isUnpublishedOutcome } from '../../functions/topology/outcome-stream';
import { billingDepsFrom } from '../../bench/deps';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { createMonthlyBillingHandler } from '../../functions/handlers/monthly-billing';
import { createBillingShardHandler } from '../../functions/handlers/billing-shard';
import type { Invoice } from '../../functions/domain/invoices/invoice';
import type { ShardQueue } from '../../functions/use-cases/deps';
import { billShard } from '../../functions/use-cases/monthly-billing';
import { InMemoryDeadLetterSink, silentLogger } from '../support/observability';
import { testDeps } from '../support/handler-deps';
import { inboundHandlers } from './support/contracts';
import { freshTable, type TestTable } from './support/dynamodb';
import { fixedClock, harness, type Harness } from './support/fixtures';

/**
 * The billing run (docs/terms.md §10) on DynamoDB Local, through its handlers and the lookup
 * API: contracts applied in May 2024 are invoiced by the run of 2024-07-02 for May (catch-up)
 * and June, once, whatever is rerun; a late cancellation is adjusted once by the next run.
 */
jest.setTimeout(60_000);

const JULY_RUN = '2024-07-02T03:00:00+09:00';
const AUGUST_RUN = '2024-08-02T03:00:00+09:00';

let table: TestTable;
let h: Harness;
let filesRoot: string;
let deadLetters: InMemoryDeadLetterSink;

beforeEach(async () => {
  table = await freshTable('billing', { RENEWAL_SHARDS: '3' });
  h = harness(table, '2024-05-01T10:00:00+09:00');
  filesRoot = await mkdtemp(join(tmpdir(), 'billing-test-'));
  deadLetters = new InMemoryDeadLetterSink();
});
afterEach(() => h.close().finally(() => table.client.destroy()));

/** The billing run as the local stack runs it: the start, then every shard the queue was sent, in this process. */
function billingRun(now: string) {
  const deps = billingDepsFrom(
    { settings: table.settings, dynamoDb: table.client, deadLetters, filesRoot },
    { clock: fixedClock(now), logger: silentLogger() },
  );
  const sent: Array<{ month: string; shard: number }> = [];
  const queue: ShardQueue = { send: (messages) => Promise.resolve(void sent.push(...messages)) };
  const start = createMonthlyBillingHandler({ ...deps, shards: queue });
  return {
    deps,
    async run(scheduledTime: string) {
      const started = await start({ scheduledTime });
      for (const message of sent.splice(0)) {
        const outcome = await billShard(
          deps,
          { month: started.month, shard: message.shard, remainingMs: () => 60_000 },
          { budgetMarginMs: 0, pageSize: 2, writeConcurrency: 4, shardConcurrency: 1 },
        );
        expect(outcome.complete).toBe(true);
      }
      return (await lookup(`/billing-runs/${started.month}`)).body;
    },
  };
}

async function lookup(path: string, query: Record<string, string> | null = null): Promise<{ status: number; body: any }> {
  const handler = createLookupApiHandler({ ...testDeps({ ...h.deps, clock: fixedClock('2024-08-10T10:00:00+09:00') }), logger: silentLogger() });
  const response = await handler({ httpMethod: 'GET', path, queryStringParameters: query } as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

async function invoicesOf(contractId: string): Promise<Invoice[]> {
  return (await lookup(`/contracts/${contractId}/invoices`)).body.invoices as Invoice[];
}

async function invoiceEvents(): Promise<Array<{ eventKey: string; invoice: Invoice }>> {
  await h.drain();
  return h.bus.ofType('InvoiceIssued').map((event) => event.detail as { eventKey: string; invoice: Invoice });
}

describe('monthly billing run', () => {
  it('invoices May (prorated from the 10th) and June for contracts applied in May, once however often it runs, with one InvoiceIssued each', async () => {
    const handlers = inboundHandlers(h);
    const ids = [await handlers.created(), await handlers.created(), await handlers.created()];
    const july = billingRun('2024-07-02T03:00:00+09:00');

    const first = await july.run(JULY_RUN);
    const second = await july.run(JULY_RUN);

    expect(first).toMatchObject({ month: '2024-06', status: 'completed', invoices: 6, adjustments: 0, failed: [] });
    expect(second).toMatchObject({ status: 'completed', invoices: 6, total: first.total });
    for (const id of ids) {
      const invoices = await invoicesOf(id);
      expect(invoices.map((invoice) => invoice.month)).toEqual(['2024-06', '2024-05']);
      const [june, may] = invoices;
      expect(may.lines[0]).toMatchObject({ kind: 'monthly', prorated: { liveDays: 22, daysInMonth: 31 } });
      // T2: once per invoice on the taxable subtotal, rounded down.
      expect(june.tax.consumptionTax).toBe(Math.floor(june.tax.taxableSubtotal / 10));
      expect(june.tax.total).toBe(june.subtotal + june.tax.consumptionTax);
      expect(june.invoiceId).toMatch(/^[0-9A-Z-]{1,32}$/);
      expect((await lookup(`/invoices/${june.invoiceId}`)).body).toEqual(june);
    }
    const events = await invoiceEvents();
    expect(events).toHaveLength(6);
    expect(new Set(events.map((e) => e.eventKey)).size).toBe(6);
    expect(events.every((e) => e.eventKey === e.invoice.invoiceId)).toBe(true);
    expect(first.total).toBe(events.reduce((sum, e) => sum + e.invoice.tax.total, 0));
  });

  it("writes the month's files with the rows and SHA-256 the export lookup names", async () => {
    const handlers = inboundHandlers(h);
    await handlers.created();
    await handlers.created();
    await billingRun(JULY_RUN).run(JULY_RUN);

    const exported = (await lookup('/billing-runs/2024-06/export')).body;
    const csvRows = exported.files.filter((f: any) => f.format === 'csv').reduce((sum: number, f: any) => sum + f.rows, 0);
    const jsonlRows = exported.files.filter((f: any) => f.format === 'jsonl').reduce((sum: number, f: any) => sum + f.rows, 0);
    expect(jsonlRows).toBe(4);
    expect(csvRows).toBeGreaterThanOrEqual(jsonlRows);
    for (const file of exported.files) {
      const bytes = await readFile(join(filesRoot, 'invoices', '2024-06', file.part));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect(file.url).toContain(`/_local/files/invoices/2024-06/${file.part}`);
    }
    const manifest = JSON.parse(await readFile(join(filesRoot, 'invoices', '2024-06', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ month: '2024-06', invoices: 4 });
    expect(new Date(exported.expiresAt).getTime() - new Date('2024-08-10T10:00:00+09:00').getTime()).toBeLessThanOrEqual(300_000);
  });

  it('answers 404 before a month is closed, and 400 naming the field for a bad month or invoice id', async () => {
    expect(await lookup('/billing-runs/2024-06')).toMatchObject({ status: 200, body: { status: 'not-run', invoices: 0 } });
    expect(await lookup('/billing-runs/2024-06/export')).toMatchObject({ status: 404, body: { error: { code: 'BILLING_RUN_NOT_FOUND' } } });
    expect(await lookup('/invoices/INV-202406-NOSUCH')).toMatchObject({ status: 404, body: { error: { code: 'INVOICE_NOT_FOUND' } } });
    expect(await lookup('/billing-runs/2024-13')).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'month' })] } },
    });
    expect((await lookup('/contracts/none/invoices', { limit: '0' })).status).toBe(400);
    expect(await lookup('/contracts/none/invoices')).toMatchObject({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND' } } });
  });

  it('refuses a run for a month that has not ended, naming scheduledTime', async () => {
    const deps = billingDepsFrom(
      { settings: table.settings, dynamoDb: table.client, deadLetters, filesRoot },
      { clock: fixedClock('2024-07-15T10:00:00+09:00') },
    );
    const start = createMonthlyBillingHandler({ ...deps, shards: { send: () => Promise.resolve() } });
    await expect(start({ scheduledTime: '2024-08-02T03:00:00+09:00' })).rejects.toMatchObject({
      name: 'SchedulePayloadError',
      fields: [expect.objectContaining({ path: 'scheduledTime' })],
    });
    await expect(start({ scheduledTime: 'yesterday' })).rejects.toMatchObject({ name: 'SchedulePayloadError' });
  });

  it('adjusts a month closed before a late cancellation once, on the next run, naming the invoice it corrects', async () => {
    const handlers = inboundHandlers(h);
    const id = await handlers.created();
    await billingRun(JULY_RUN).run(JULY_RUN);
    const [june] = await invoicesOf(id);

    // Cancelled on 2024-07-05, effective on 15 June: June was invoiced in full.
    await handlers.cancel(handlers.cancelEvent({ contractId: id, requestedAt: '2024-06-10T09:00:00+09:00', effectiveDate: '2024-06-15' }));
    const august = billingRun(AUGUST_RUN);
    const first = await august.run(AUGUST_RUN);
    const rerun = await august.run(AUGUST_RUN);

    const invoices = await invoicesOf(id);
    expect(invoices.map((invoice) => invoice.month)).toEqual(['2024-07', '2024-06', '2024-05']);
    const adjustment = invoices[0];
    expect(adjustment.lines.every((line) => line.kind === 'adjustment' && line.adjusts?.invoiceId === june.invoiceId && line.adjusts.month === '2024-06')).toBe(
      true,
    );
    const monthly = adjustment.lines.filter((line) => line.adjusts?.kind === 'monthly');
    expect(monthly.length).toBeGreaterThan(0);
    expect(monthly.filter((line) => line.amount >= 0)).toEqual([]);
    expect(adjustment.lines.filter((line) => line.adjusts?.kind === 'termination-fee').every((line) => !line.taxable)).toBe(true);
    expect(first).toMatchObject({ month: '2024-07', invoices: 1, adjustments: 1 });
    expect(rerun).toMatchObject({ invoices: 1, adjustments: 1 });
    expect((await invoiceEvents()).filter((e) => e.invoice.month === '2024-07')).toHaveLength(1);

    // The stream filter takes only outbox items, and each parses as publishable: the billing run's own items are not taken.
    const items = (await table.client.send(new ScanCommand({ TableName: table.settings.tableName, ConsistentRead: true }))).Items ?? [];
    expect([...new Set(items.map((item) => String(item.PK?.S).split('#')[0]))].sort()).toEqual(['BILLING-RUN', 'CONTRACT', 'INVOICES', 'LINE', 'ORDER']);
    const taken = items.filter((item) => isUnpublishedOutcome({ eventName: 'INSERT', dynamodb: { NewImage: item } }));
    expect(taken.every((item) => ['INVOICES', 'ORDER'].includes(String(item.PK?.S).split('#')[0]))).toBe(true);
    expect(taken.filter((item) => !storedOutcomeSchema.safeParse(unmarshall(item)).success)).toEqual([]);
  });

  describe('the shard function (one SQS message per shard)', () => {
    const sqsEvent = (body: string) => ({ Records: [{ messageId: 'm-1', body }] }) as SQSEvent;
    const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;

    function shardFunction(client = table.client) {
      const sent: unknown[] = [];
      const deps = billingDepsFrom(
        { settings: table.settings, dynamoDb: client, deadLetters, filesRoot },
        { clock: fixedClock(JULY_RUN), logger: silentLogger() },
      );
      const handler = createBillingShardHandler({ ...deps, queue: { send: (messages) => Promise.resolve(void sent.push(...messages)) } });
      return { handler, sent };
    }

    it('dead-letters a message that is not a shard, with why, and reports no failure (SQS would only deliver it again)', async () => {
      const { handler, sent } = shardFunction();
      expect(await handler(sqsEvent('{"month":"2024-13","shard":-1}'), context(60_000))).toEqual({ batchItemFailures: [] });
      expect(await handler(sqsEvent('not json'), context(60_000))).toEqual({ batchItemFailures: [] });
      expect(deadLetters.letters.map((letter) => letter.reason)).toEqual([
        expect.stringContaining('month'),
        expect.stringContaining('not a billing shard message'),
      ]);
      expect(sent).toEqual([]);
    });

    it('queues its shard again when its time runs short, and the next delivery goes on where it stopped', async () => {
      const handlers = inboundHandlers(h);
      await handlers.created();
      const { handler, sent } = shardFunction();
      for (let shard = 0; shard < 3; shard++) {
        // Less than the run's budget margin left: it starts no page.
        expect(await handler(sqsEvent(JSON.stringify({ month: '2024-06', shard })), context(1_000))).toEqual({ batchItemFailures: [] });
      }
      expect(sent).toEqual([0, 1, 2].map((shard) => ({ month: '2024-06', shard })));
      for (let shard = 0; shard < 3; shard++) await handler(sqsEvent(JSON.stringify({ month: '2024-06', shard })), context(600_000));
      expect((await lookup('/billing-runs/2024-06')).body).toMatchObject({ invoices: 2, failed: [] });
    });

    it('reports the message failed when the table cannot be reached, for SQS to deliver it again', async () => {
      const unreachable = new DynamoDBClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'ap-northeast-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      const { handler } = shardFunction(unreachable);
      expect(await handler(sqsEvent(JSON.stringify({ month: '2024-06', shard: 0 })), context(60_000))).toEqual({
        batchItemFailures: [{ itemIdentifier: 'm-1' }],
      });
      unreachable.destroy();
    });
  });
});
