import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dueContract, JANUARY_RUN } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import { createMonthlyRenewalHandler } from '../../../functions/handlers/monthly-renewal';
import type { RenewalSummary } from '../../../functions/use-cases/monthly-renewal';
import { FakeEventBridge, type PublishedEvent } from '../../support/fake-event-bridge';
import { extraClient, freshTable } from '../support/dynamodb';
import { storeOn } from '../support/suite';
import { drillCounts, printDrill } from './support/drills';
import { testDeps } from '../../support/handler-deps';

/**
 * Fault drill: the monthly renewal killed midway, twice, then run to the end. A kill is
 * a process dying: from the chosen contract write on, every DynamoDB and EventBridge
 * request of that run hangs forever. Every due contract must end renewed exactly once
 * (term 2, one ContractRenewed entry, version 2), with at least one ContractRenewed
 * event each (an event published just before a kill may be published again: consumers
 * dedupe on contractId and term number, docs/design.md §3).
 */
const DUE = 400;
/** Contract writes after which each killed run dies. */
const KILLS = [60, 130];
const TUNING = { pageSize: 25, shardConcurrency: 2, writeConcurrency: 4 };

/** Makes every request of the clients it is attached to hang once `writes` contract writes have gone out. */
class KillSwitch {
  private writes = 0;
  killed = false;

  constructor(private readonly after: number) {}

  attach(client: DynamoDBClient | FakeEventBridge['client'], countsWrites: boolean): void {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const conditionalPut = context.commandName === 'PutItemCommand' && Boolean((args.input as { ConditionExpression?: string }).ConditionExpression);
        if (countsWrites && conditionalPut && ++this.writes > this.after) this.killed = true;
        if (this.killed) return new Promise<never>(() => {});
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'killSwitch' },
    );
  }
}

it('renews every due contract exactly once across two killed runs and a rerun', async () => {
  const table = await freshTable('drill-renewal-kill');
  const store = storeOn(table);
  const seeded = await seedContracts({ client: table.client, settings: table.settings, count: DUE, contract: (n) => dueContract('KILL', n) });
  const buses: FakeEventBridge[] = [];
  const run = (dynamoDb: DynamoDBClient, bus: FakeEventBridge) => {
    buses.push(bus);
    return createMonthlyRenewalHandler({ ...testDeps({ settings: table.settings, dynamoDb, eventBridge: bus.client }), tuning: TUNING })({
      scheduledTime: JANUARY_RUN,
    });
  };

  for (const after of KILLS) {
    const kill = new KillSwitch(after);
    const dynamoDb = extraClient();
    const bus = new FakeEventBridge();
    kill.attach(dynamoDb, true);
    kill.attach(bus.client, false);
    void run(dynamoDb, bus);
    while (!kill.killed) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const final: RenewalSummary = await run(table.client, new FakeEventBridge());
  const again: RenewalSummary = await run(table.client, new FakeEventBridge());

  const contracts = await store.getContracts(seeded.map((c) => c.contractId));
  const events: PublishedEvent[] = buses.flatMap((bus) => bus.ofType('ContractRenewed'));
  const eventsPer = new Map<string, number>();
  for (const event of events) eventsPer.set(event.detail.contract.contractId, (eventsPer.get(event.detail.contract.contractId) ?? 0) + 1);
  const renewalsOf = (history: { type: string }[]) => history.filter((entry) => entry.type === 'ContractRenewed').length;
  const counts = {
    due: DUE,
    killedAfterWrites: KILLS.join('+'),
    renewedByRerun: final.renewed,
    recoveredFromOutbox: final.recovered,
    renewedOnce: contracts.filter((c) => c.term?.number === 2 && c.version === 2 && renewalsOf(c.history) === 1).length,
    renewedTwice: contracts.filter((c) => renewalsOf(c.history) > 1 || (c.term?.number ?? 0) > 2).length,
    notRenewed: contracts.filter((c) => renewalsOf(c.history) === 0).length,
    events: events.length,
    contractsWithEvent: eventsPer.size,
    eventsRepeated: events.length - eventsPer.size,
    secondRerunRenewed: again.renewed,
  };
  const drill = drillCounts(
    seeded.map((c) => `${c.contractId}#term-2`),
    events.map((event) => event.detail.eventKey as string),
    [],
    counts.notRenewed,
  );
  printDrill('renewal killed and rerun', drill, counts);
  expect(drill).toMatchObject({ delivered: DUE, lost: 0, stalled: 0, deadLetters: 0 });
  // At-least-once: a run killed between publishing a page and clearing its outbox has the page published again,
  // at most the pages in flight when it died (one per shard it was working on).
  expect(drill.duplicates).toBeLessThanOrEqual(KILLS.length * TUNING.shardConcurrency * TUNING.pageSize);
  expect(counts).toMatchObject({ renewedOnce: DUE, renewedTwice: 0, notRenewed: 0, contractsWithEvent: DUE, secondRerunRenewed: 0 });
  expect(final).toMatchObject({ complete: true, failed: [], skipped: [] });
  expect(events.every((event) => event.detail.contract.term.number === 2)).toBe(true);
  table.client.destroy();
}, 60_000);
