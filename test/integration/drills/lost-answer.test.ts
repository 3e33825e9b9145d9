import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dueContract, JANUARY_RUN } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import { createContractApplicationHandler } from '../../../functions/handlers/contract-application';
import { createMonthlyRenewalHandler } from '../../../functions/handlers/monthly-renewal';
import { ORDER_SLOT } from '../../../functions/store/records';
import { LOCAL_CREDENTIALS, LOCAL_DYNAMODB_REGION } from '../../../local/dynamodb-local';
import { testDeps } from '../../support/handler-deps';
import { dynamoDbEndpoint, freshTable } from '../support/dynamodb';
import { application, fixedClock, harness, inboundEvent } from '../support/fixtures';
import { storeOn } from '../support/suite';
import { drillCounts, printDrill } from './support/drills';
import { FaultyProxy } from './support/faulty-proxy';

/**
 * Drill (docs/terms.md L4): a write DynamoDB carried out whose answer was lost. A proxy
 * cuts the connection once DynamoDB has answered; the SDK sends the write again, and the
 * condition meets our own result. It must count as written: every renewal published once,
 * an application's outcome its first.
 */
const DUE = 60;
const LOST = 12;

let proxy: FaultyProxy;
let client: DynamoDBClient;
beforeAll(async () => {
  proxy = await FaultyProxy.start(dynamoDbEndpoint());
  client = new DynamoDBClient({ endpoint: proxy.url, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
});
afterAll(async () => {
  client.destroy();
  await proxy.close();
});

const renewalTransaction = (target: string, body: string) => target.endsWith('.TransactWriteItems') && body.includes('"CONTRACT#');

it('publishes every renewal once when the answers to committed renewal writes are lost', async () => {
  const table = await freshTable('drill-lost-answer');
  const store = storeOn(table);
  const seeded = await seedContracts({ client: table.client, settings: table.settings, count: DUE, contract: (n) => dueContract('LOST', n) });
  // The renewal's facts are published from the table's stream, as on AWS.
  const h = harness(table);
  await h.started;
  const bus = h.bus;
  const run = createMonthlyRenewalHandler({
    ...testDeps({ ...h.deps, dynamoDb: client, clock: fixedClock(JANUARY_RUN) }),
    tuning: { pageSize: 20, writeConcurrency: 4 },
  });

  proxy.loseAnswers(LOST, renewalTransaction);
  const first = await run({ scheduledTime: JANUARY_RUN });
  const again = await run({ scheduledTime: JANUARY_RUN });
  await h.drain();
  await h.close();

  const events = bus.published.filter((e) => e.detailType === 'ContractRenewed').map((e) => e.detail.contract.contractId as string);
  const contracts = await store.getContracts(seeded.map((s) => s.contractId));
  // A due renewal is what was delivered here; it stalled if the contract was not renewed.
  const drill = drillCounts(
    seeded.map((s) => `${s.contractId}#term-2`),
    bus.published.filter((e) => e.detailType === 'ContractRenewed').map((e) => e.detail.eventKey as string),
    [],
    contracts.filter((c) => c.term?.number !== 2).length,
  );
  const counts = {
    due: DUE,
    answersLost: proxy.counts.answersLost,
    renewed: first.renewed,
    skipped: first.skipped.length,
    events: events.length,
    duplicates: events.length - new Set(events).size,
    lost: seeded.filter((s) => !events.includes(s.contractId)).length,
    inTerm2: contracts.filter((c) => c.term?.number === 2).length,
    rerunRenewed: again.renewed,
  };
  printDrill('lost answer (renewal)', drill, counts);
  expect(drill).toEqual({ delivered: DUE, outcomes: DUE, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(counts).toEqual({ due: DUE, answersLost: LOST, renewed: DUE, skipped: 0, events: DUE, duplicates: 0, lost: 0, inTerm2: DUE, rerunRenewed: 0 });
});

it("takes a resent transaction after a lost answer as the first one's (its ClientRequestToken): one contract, a first outcome", async () => {
  const table = await freshTable('drill-lost-answer-tx');
  const store = storeOn(table);
  const apply = createContractApplicationHandler(testDeps({ settings: table.settings, dynamoDb: client }));
  const detail = application();
  proxy.loseAnswers(1, (target) => target.endsWith('.TransactWriteItems'));
  const before = proxy.counts.answersLost;

  const result = await apply(inboundEvent('ContractApplicationSubmitted', detail));
  const order = await store.getOrder({ orderId: detail.orderId, slot: ORDER_SLOT });
  const onLine = await store.getLine(detail.lineId);

  // No stream mapping runs here: the drill is about the write, so the outcome stored with the order counts as its outcome.
  const drill = drillCounts([detail.orderId], order ? [order.outcome.detail.eventKey] : [], [], 0);
  printDrill('lost answer (application)', drill, {
    answersLost: proxy.counts.answersLost - before,
    outcome: result,
    contractsOnLine: onLine?.contractIds.length,
    publisher: 'none: outcomes counted as stored',
  });
  expect(drill).toMatchObject({ delivered: 1, outcomes: 1, duplicates: 0, lost: 0 });
  expect(proxy.counts.answersLost - before).toBe(1);
  expect(result).toEqual({ orderId: detail.orderId, outcome: 'ContractCreated', duplicate: false });
  expect(order?.outcome.detailType).toBe('ContractCreated');
  expect(onLine?.contractIds).toHaveLength(1);
});
