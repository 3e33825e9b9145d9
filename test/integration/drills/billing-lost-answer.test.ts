import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_BILLING_TUNING, runBilling } from '../../../functions/use-cases/monthly-billing';
import { LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION } from '../../../local/dynamodb-local';
import {
  BILLING_DRILL_ENV,
  billingCounts,
  billingDepsOn,
  DUE_MONTHS,
  duplicateInvoices,
  expectCompleted,
  expectEachOnce,
  invoiceEventKeys,
  invoicesOfAll,
  invoicesPublished,
  keptLetters,
  MARCH_RUN,
  runLine,
  runSchedule,
  seedDueContracts,
  settledAfterRun,
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

const drill = useLocalStackDrill('billing-lost', { proxied: true, env: BILLING_DRILL_ENV });

/** The transaction of a contract's invoices: its invoice items are the only ones under INVOICES#. */
const invoicingTransaction = (target: string, body: string) => target.endsWith('.TransactWriteItems') && body.includes('"INVOICES#');

it('issues each invoice once, and lists no contract failed, when the answers to committed invoicing transactions are lost', async () => {
  const { ids, expected } = await seedDueContracts(drill, 'BLOST', CONTRACTS);

  const before = drill.proxy.counts.answersLost;
  drill.proxy.loseAnswers(LOST, invoicingTransaction);
  const first = await runSchedule(drill, MARCH_RUN);
  const answersLost = drill.proxy.counts.answersLost - before;
  const again = await runSchedule(drill, MARCH_RUN);
  await invoicesPublished(drill, expected.length);
  // With anything the rerun issued.
  const { seen, stalled, byContract, listed } = await settledAfterRun(drill, ids);

  const counts = billingCounts(expected, seen, listed, stalled);
  const keys = invoiceEventKeys(seen.events);
  const detail = {
    contracts: CONTRACTS,
    answersLost,
    run: runLine(first),
    failed: first.body.failed.length,
    rerun: runLine(again),
    duplicateInvoices: duplicateInvoices(byContract),
  };
  printDrill('billing run with lost write answers', counts, detail);

  expectEachOnce(counts, expected.length);
  expect(answersLost).toBe(LOST);
  expectCompleted(first, expected.length);
  expectCompleted(again, expected.length);
  expect(detail.duplicateInvoices).toBe(0);
  expect(new Set(keys)).toEqual(new Set(expected));
  expect(seen.deadLetters).toEqual([]);
});

it('takes a resend that DynamoDB carries out again (no idempotency token) as its own write, by the write id it stored', async () => {
  const { ids, expected } = await seedDueContracts(drill, 'BLOST2', TOKENLESS);
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
  const { letters, sink } = keptLetters();
  const before = drill.proxy.counts.answersLost;
  drill.proxy.loseAnswers(LOST, invoicingTransaction);
  const outcomes = await runBilling(billingDepsOn(drill, client, sink), '2024-02', () => Number.POSITIVE_INFINITY, {
    ...DEFAULT_BILLING_TUNING,
    pageSize: 10,
    writeConcurrency: 4,
  });
  client.destroy();
  const answersLost = drill.proxy.counts.answersLost - before;
  const seen = await invoicesPublished(drill, expected.length + CONTRACTS * DUE_MONTHS.length);
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

  expectEachOnce(counts, expected.length);
  expect(detail).toEqual({ contracts: TOKENLESS, answersLost: LOST, tokensDropped: TOKENLESS, issuedByRun: expected.length, failed: 0, duplicateInvoices: 0 });
  expect(letters).toEqual([]);
});
