import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contract } from '../../functions/domain/contract';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import type { TableStore } from '../../bench/deps';
import { RenewalIncompleteError, type RenewalSummary, type RenewalTuning } from '../../functions/use-cases/monthly-renewal';
import { inboundHandlers } from './support/contracts';
import { extraClient, freshTable, type TestTable } from './support/dynamodb';
import { fixedClock, harness, type Harness } from './support/fixtures';
import { RequestCounter } from './support/request-counter';
import { storeOn } from './support/suite';
import { testDeps } from '../support/handler-deps';

/**
 * Prime Plus contracts starting 2024-01-10 have term 1 = 2024-01 … 2024-12 (renewal month
 * 2024-12, Decision L1); the run of 2025-01-01 00:05 JST renews them into 2025-01 … 2025-12.
 */
const JANUARY_RUN = '2025-01-01T00:05:00+09:00';
const APPLIED = { appliedAt: '2023-12-20T10:00:00+09:00', startDate: '2024-01-10' };

let table: TestTable;
let h: Harness;
let store: TableStore;

async function seed(count: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const handlers = inboundHandlers(h);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await handlers.created({ ...APPLIED, ...overrides }));
  return ids;
}

function renewalHandler(client: DynamoDBClient = table.client, tuning: Partial<RenewalTuning> = {}, now = JANUARY_RUN) {
  return createMonthlyRenewalHandler({ ...testDeps({ ...h.deps, dynamoDb: client, clock: fixedClock(now) }), tuning });
}

/** The ContractRenewed events of these contracts, once the table's stream has published every fact written so far. */
async function renewedEventsFor(ids: string[]) {
  await h.drain();
  return h.bus.ofType('ContractRenewed').filter((e) => ids.includes(e.detail.contract.contractId));
}

async function expectRenewedOnce(ids: string[], termNumber = 2): Promise<void> {
  const contracts = await store.getContracts(ids);
  expect(contracts).toHaveLength(ids.length);
  for (const contract of contracts) {
    expect(contract.term?.number).toBe(termNumber);
    expect(contract.history.filter((e) => e.type === 'ContractRenewed')).toHaveLength(termNumber - 1);
    expect(contract.version).toBe(2);
  }
  const events = await renewedEventsFor(ids);
  expect(events).toHaveLength(ids.length * (termNumber - 1));
  expect(new Set(events.map((e) => `${e.detail.contract.contractId}#${e.detail.contract.term.number}`)).size).toBe(events.length);
}

async function useFreshTable(env: Record<string, string> = {}): Promise<void> {
  table = await freshTable('renewal', env);
  h = harness(table, '2023-12-20T10:00:00+09:00');
  store = storeOn(table);
}

// A table per test: each run sees only its own contracts.
afterEach(() => h.close().finally(() => table.client.destroy()));

describe('monthly renewal', () => {
  beforeEach(() => useFreshTable());

  it('renews every due Prime Plus contract once, with one ContractRenewed each, and a rerun changes nothing', async () => {
    const due = await seed(12);
    const [other] = await seed(1, { plan: { code: 'none' }, services: { edrSecurity: { terminals: 2 } } });
    const run = renewalHandler();

    const first = await run({ scheduledTime: JANUARY_RUN });
    const second = await run({ scheduledTime: JANUARY_RUN });

    expect(first).toMatchObject({ month: '2025-01', complete: true, renewed: 12, termsRenewed: 12, skipped: [], failed: [] });
    expect(second).toMatchObject({ renewed: 0, termsRenewed: 0, skipped: [], failed: [] });
    await expectRenewedOnce(due);
    const [renewed] = await store.getContracts(due.slice(0, 1));
    expect(renewed?.term).toEqual({ number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' });
    expect((await renewedEventsFor(due))[0]?.detail.contract).toMatchObject({ status: 'live', term: { number: 2 } });
    expect((await store.getContract(other))?.version).toBe(1);
  });

  it('renews nothing before the renewal month has ended (the December run)', async () => {
    await seed(2);
    const summary = await renewalHandler()({ scheduledTime: '2024-12-01T00:05:00+09:00' });
    expect(summary.renewed).toBe(0);
    await h.drain();
    expect(h.bus.ofType('ContractRenewed')).toEqual([]);
  });

  it('takes the month from the JST date: 2024-12-31T15:05Z is the January run', async () => {
    const due = await seed(1);
    const summary = await renewalHandler()({ scheduledTime: '2024-12-31T15:05:00Z' });
    expect(summary).toMatchObject({ month: '2025-01', renewed: 1 });
    await expectRenewedOnce(due);
  });

  it('catches up a missed year: two terms, two events, one write', async () => {
    const due = await seed(1);
    const counter = new RequestCounter(table.client);
    const summary = await renewalHandler(table.client, {}, '2026-01-01T00:05:00+09:00')({ scheduledTime: '2026-01-01T00:05:00+09:00' });

    // One transaction for the contract and its two ContractRenewed facts (the outbox), one read
    // of the page; the rest are the index queries, one per shard, and one page of the
    // renewal-month index for the notices (N1: none due this month).
    expect(counter.snapshot()).toEqual({ TransactWriteItems: 1, BatchGetItem: 1, Query: 5 });
    expect(summary).toMatchObject({ renewed: 1, termsRenewed: 2 });
    await expectRenewedOnce(due, 3);
    expect((await renewedEventsFor(due)).map((e) => e.detail.contract.term.number).sort()).toEqual([2, 3]);
  });

  it('does not renew a contract whose customer asked to leave in the renewal month, whatever the effective date (L5), and renews the others', async () => {
    const [byTheEnd, afterTheEnd, staying] = await seed(3);
    const handlers = inboundHandlers(h);
    await handlers.cancel(handlers.cancelEvent({ contractId: byTheEnd, requestedAt: '2024-12-01T09:00:00+09:00', effectiveDate: '2024-12-31' }));
    // Asked 23:59 JST on the renewal month's last day, to leave in the middle of what would have been term 2.
    await handlers.cancel(handlers.cancelEvent({ contractId: afterTheEnd, requestedAt: '2024-12-31T14:59:00Z', effectiveDate: '2025-01-15' }));

    const summary = await renewalHandler()({ scheduledTime: JANUARY_RUN });

    expect(summary.renewed).toBe(1);
    expect(await renewedEventsFor([byTheEnd, afterTheEnd])).toEqual([]);
    const leaving = await store.getContract(afterTheEnd);
    expect(leaving?.term?.number).toBe(1);
    expect(leaving?.cancellation?.terminationFee).toMatchObject({ amount: 0, remainingMonths: 0 });
    expect((await store.getContract(staying))?.term?.number).toBe(2);
  });

  it('reports an index entry that is no longer due as skipped, with the reason', async () => {
    const [id] = await seed(1);
    const contract = (await store.getContract(id)) as Contract;
    // A stale index entry: the contract says renewal month 2025-12 while the index still says 2024-12.
    const renewedAlready: Contract = { ...contract, term: { number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' } };
    await DynamoDBDocumentClient.from(table.client).send(
      new PutCommand({
        TableName: table.settings.tableName,
        Item: { PK: `CONTRACT#${id}`, SK: 'CONTRACT', version: 1, contract: renewedAlready, GSI3PK: `RENEWAL#${store.shardOf(id)}`, GSI3SK: `2024-12#${id}` },
      }),
    );

    const summary = await renewalHandler()({ scheduledTime: JANUARY_RUN });
    expect(summary.renewed).toBe(0);
    expect(summary.skipped).toEqual([{ contractId: id, reason: expect.stringContaining('not due') }]);
  });

  it('refuses a payload without a valid scheduledTime or with an unknown shard', async () => {
    const run = renewalHandler();
    await expect(run({ scheduledTime: '2025-01-01 00:05' })).rejects.toMatchObject({ fields: [expect.objectContaining({ path: 'scheduledTime' })] });
    await expect(run({ scheduledTime: JANUARY_RUN, shards: [4] })).rejects.toMatchObject({ fields: [expect.objectContaining({ path: 'shards' })] });
  });

  it('refuses a run for a month that has not begun (JST), renewing nothing', async () => {
    await seed(1);
    // JANUARY_RUN is 2025-01-01 00:05 JST: 2025-01-31T15:00Z is already February in Japan.
    await expect(renewalHandler()({ scheduledTime: '2025-01-31T15:00:00Z' })).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: 'scheduledTime' })],
    });
    await h.drain();
    expect(h.bus.ofType('ContractRenewed')).toEqual([]);
    await expect(renewalHandler()({ scheduledTime: '2025-01-31T14:59:59Z' })).resolves.toMatchObject({ month: '2025-01', renewed: 1 });
  });
});

// One shard and pages of 5, so that where a run stops is known exactly.
describe('monthly renewal stopped midway', () => {
  beforeEach(() => useFreshTable({ RENEWAL_SHARDS: '1' }));

  it('a run killed midway leaves each written renewal with its event (the outbox); the rerun renews the rest, each once, one event each', async () => {
    const due = await seed(12);
    // The killed run: after 7 contract transactions, every request it makes hangs, as if the process had died.
    const dying = extraClient();
    let contractWrites = 0;
    let killed = false;
    dying.middlewareStack.add(
      (next, context) => async (args) => {
        if (killed) return new Promise<never>(() => {});
        if (context.commandName === 'TransactWriteItemsCommand' && ++contractWrites > 7) {
          killed = true;
          return new Promise<never>(() => {});
        }
        return next(args);
      },
      { step: 'initialize', name: 'killSwitch' },
    );
    void renewalHandler(dying, { pageSize: 5, shardConcurrency: 1, writeConcurrency: 1 })({ scheduledTime: JANUARY_RUN });
    while (!killed) await new Promise((resolve) => setTimeout(resolve, 10));
    const publishedBeforeTheRerun = (await renewedEventsFor(due)).length;

    const rerun = await renewalHandler()({ scheduledTime: JANUARY_RUN });

    // What the killed run wrote is published from the stream without any run's help.
    expect(publishedBeforeTheRerun).toBe(7);
    expect(rerun).toMatchObject({ renewed: 12 - 7, failed: [] });
    await expectRenewedOnce(due);
  });

  it('stops starting pages when the time budget runs out, throws for a retry, and the retry finishes', async () => {
    const due = await seed(12);
    let checks = 0;
    const context = { getRemainingTimeInMillis: () => (checks++ === 0 ? 600_000 : 1_000) } as unknown as Context;
    const run = renewalHandler(table.client, { pageSize: 5, shardConcurrency: 1 });

    const error = await run({ scheduledTime: JANUARY_RUN }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenewalIncompleteError);
    const partial = (error as RenewalIncompleteError).summary;
    expect(partial.complete).toBe(false);
    expect(partial.renewed).toBe(5);

    const rest: RenewalSummary = await run({ scheduledTime: JANUARY_RUN });
    expect(partial.renewed + rest.renewed).toBe(12);
    await expectRenewedOnce(due);
  });
});
