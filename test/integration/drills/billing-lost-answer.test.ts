import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dueContract } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import { invoiceIdOf } from '../../../functions/domain/invoices/invoice-id';
import { DEFAULT_BILLING_TUNING, runBilling } from '../../../functions/use-cases/monthly-billing';
import { LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION } from '../../../local/dynamodb-local';
import { extraClient } from '../support/dynamodb';
import {
  BILLING_DRILL_ENV,
  billingCounts,
  billingDepsOn,
  duplicateInvoices,
  invoiceEventKeys,
  invoicesOfAll,
  invoicesPublished,
  runSchedule,
} from './support/billing-drill';
import { printDrill } from './support/drills';
import { useLocalStackDrill } from './support/local-stack-drill';

/**
 * Drill (docs/terms.md I3, L4): the billing run's writes carried out by DynamoDB whose
 * answers were lost. A proxy between the local stack and DynamoDB Local cuts the
 * connection once DynamoDB has answered a contract's invoicing transaction; the SDK sends
 * it again. The resend must count as written: no contract listed failed, no invoice
 * issued twice, every InvoiceIssued published once, the run completed.
 */
jest.setTimeout(60_000);

const CONTRACTS = 60;
const LOST = 15;
const TOKENLESS = 40;
const MONTHS = ['2024-01', '2024-02'] as const;
const SCHEDULED = '2024-03-02T03:00:00+09:00';

const drill = useLocalStackDrill('billing-lost', { proxied: true, env: BILLING_DRILL_ENV });

/** The transaction of a contract's invoices: its invoice items are the only ones under INVOICES#. */
const invoicingTransaction = (target: string, body: string) => target.endsWith('.TransactWriteItems') && body.includes('"INVOICES#');

it('issues each invoice once, and lists no contract failed, when the answers to committed invoicing transactions are lost', async () => {
  const seeder = extraClient();
  const seeded = await seedContracts({ client: seeder, settings: drill.settings, count: CONTRACTS, contract: (n) => dueContract('BLOST', n) });
  seeder.destroy();
  const ids = seeded.map((s) => s.contractId);
  const expected = ids.flatMap((id) => MONTHS.map((month) => invoiceIdOf(id, month)));

  const before = drill.proxy.counts.answersLost;
  drill.proxy.loseAnswers(LOST, invoicingTransaction);
  const first = await runSchedule(drill, SCHEDULED);
  const answersLost = drill.proxy.counts.answersLost - before;
  const again = await runSchedule(drill, SCHEDULED);
  await invoicesPublished(drill, expected.length);
  // Anything the rerun issued would follow within moments.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const seen = await drill.seen();
  const stalled = await drill.stalled(5_000);
  const byContract = await invoicesOfAll(drill, ids);
  const listed = [...byContract.values()].flat();

  const counts = billingCounts(expected, seen, listed, stalled);
  const keys = invoiceEventKeys(seen.events);
  const detail = {
    contracts: CONTRACTS,
    answersLost,
    run: `${first.status} ${first.body.status} ${first.body.invoices} invoices`,
    failed: first.body.failed.length,
    rerun: `${again.status} ${again.body.status} ${again.body.invoices} invoices`,
    duplicateInvoices: duplicateInvoices(byContract),
  };
  printDrill('billing run with lost write answers', counts, detail);

  expect(counts).toEqual({
    delivered: expected.length,
    outcomes: expected.length,
    duplicates: 0,
    deadLetters: 0,
    lost: 0,
    stalled: 0,
    invoices: expected.length,
  });
  expect(answersLost).toBe(LOST);
  expect(first).toMatchObject({ status: 200, body: { status: 'completed', invoices: expected.length, failed: [] } });
  expect(again).toMatchObject({ status: 200, body: { status: 'completed', invoices: expected.length, failed: [] } });
  expect(detail.duplicateInvoices).toBe(0);
  expect(new Set(keys)).toEqual(new Set(expected));
  expect(seen.deadLetters).toEqual([]);
});

it('takes a resend that DynamoDB carries out again (no idempotency token) as its own write, by the write id it stored', async () => {
  const seeder = extraClient();
  const seeded = await seedContracts({ client: seeder, settings: drill.settings, count: TOKENLESS, contract: (n) => dueContract('BLOST2', n) });
  seeder.destroy();
  const ids = seeded.map((s) => s.contractId);
  const expected = ids.flatMap((id) => MONTHS.map((month) => invoiceIdOf(id, month)));
  // A billing function of its own through the proxy, whose transactions go without their
  // ClientRequestToken: DynamoDB does the resend again (as after the token's 10 minutes),
  // its version condition fails against the first write, and the item it returns says whose.
  let tokensDropped = 0;
  const client = new DynamoDBClient({ endpoint: drill.proxy.url, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown };
      if (request.body instanceof Uint8Array) {
        const body = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
        if ('ClientRequestToken' in body) {
          delete body.ClientRequestToken;
          tokensDropped += 1;
          request.body = new TextEncoder().encode(JSON.stringify(body));
        }
      }
      return next(args);
    },
    // Before the body's length is taken and it is signed.
    { step: 'build', priority: 'high', name: 'dropClientRequestToken' },
  );
  const letters: unknown[] = [];
  const before = drill.proxy.counts.answersLost;
  drill.proxy.loseAnswers(LOST, invoicingTransaction);
  const outcomes = await runBilling(
    billingDepsOn(drill, client, { deadLetter: (reason, payload) => void letters.push({ reason, payload }) }),
    '2024-02',
    () => Number.POSITIVE_INFINITY,
    { ...DEFAULT_BILLING_TUNING, pageSize: 10, writeConcurrency: 4 },
  );
  client.destroy();
  const answersLost = drill.proxy.counts.answersLost - before;
  const seen = await invoicesPublished(drill, expected.length + CONTRACTS * MONTHS.length);
  const stalled = await drill.stalled(5_000);
  const byContract = await invoicesOfAll(drill, ids);
  const ours = new Set(expected);
  const counts = billingCounts(
    expected,
    { ...seen, events: seen.events.filter((e) => ours.has(String(e.event.detail.eventKey))) },
    [...byContract.values()].flat(),
    stalled,
  );
  const detail = {
    contracts: TOKENLESS,
    answersLost,
    tokensDropped,
    issuedByRun: outcomes.reduce((sum, o) => sum + o.invoicesIssued, 0),
    failed: outcomes.flatMap((o) => o.failed).length,
    duplicateInvoices: duplicateInvoices(byContract),
  };
  printDrill('billing run with lost answers, resent without a token', counts, detail);

  expect(counts).toEqual({
    delivered: expected.length,
    outcomes: expected.length,
    duplicates: 0,
    deadLetters: 0,
    lost: 0,
    stalled: 0,
    invoices: expected.length,
  });
  expect(detail).toEqual({ contracts: TOKENLESS, answersLost: LOST, tokensDropped: TOKENLESS, issuedByRun: expected.length, failed: 0, duplicateInvoices: 0 });
  expect(letters).toEqual([]);
});
