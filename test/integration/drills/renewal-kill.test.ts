import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dueContract, JANUARY_RUN } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import { createMonthlyRenewalHandler } from '../../../functions/handlers/monthly-renewal';
import type { RenewalSummary } from '../../../functions/use-cases/monthly-renewal';
import type { PublishedEvent } from '../../support/fake-event-bridge';
import { extraClient, freshTable } from '../support/dynamodb';
import { fixedClock, harness } from '../support/fixtures';
import { storeOn } from '../support/suite';
import { drillCounts, printDrill } from './support/drills';
import { KillSwitch } from './support/kill-switch';
import { testDeps } from '../../support/handler-deps';

/**
 * Fault drill: the monthly renewal killed midway, twice, then run to the end. A kill is
 * a process dying: from the chosen contract write on, every DynamoDB request of that run
 * hangs forever. Every due contract must end renewed exactly once (term 2, one
 * ContractRenewed entry, version 2), with its ContractRenewed event: written in the same
 * transaction as the renewal and published from the table's stream by the outcome
 * publisher (the one outbox, docs/design.md §3), so a kill can lose none.
 */
const DUE = 400;
/** Contract writes after which each killed run dies. */
const KILLS = [60, 130];
const TUNING = { pageSize: 25, shardConcurrency: 2, writeConcurrency: 4 };

it('renews every due contract exactly once across two killed runs and a rerun', async () => {
  const table = await freshTable('drill-renewal-kill');
  const store = storeOn(table);
  // The table's stream mapped to the outcome publisher, as on AWS.
  const h = harness(table);
  await h.started;
  const seeded = await seedContracts({ client: table.client, settings: table.settings, count: DUE, contract: (n) => dueContract('KILL', n) });
  const run = (dynamoDb: DynamoDBClient) =>
    createMonthlyRenewalHandler({ ...testDeps({ ...h.deps, dynamoDb, clock: fixedClock(JANUARY_RUN) }), tuning: TUNING })({ scheduledTime: JANUARY_RUN });

  for (const after of KILLS) {
    const kill = new KillSwitch(after);
    const dynamoDb = extraClient();
    kill.attach(dynamoDb);
    void run(dynamoDb);
    while (!kill.killed) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const final: RenewalSummary = await run(table.client);
  const again: RenewalSummary = await run(table.client);
  await h.drain();

  const contracts = await store.getContracts(seeded.map((c) => c.contractId));
  const events: PublishedEvent[] = h.bus.ofType('ContractRenewed');
  const eventsPer = new Map<string, number>();
  for (const event of events) eventsPer.set(event.detail.contract.contractId, (eventsPer.get(event.detail.contract.contractId) ?? 0) + 1);
  const renewalsOf = (history: { type: string }[]) => history.filter((entry) => entry.type === 'ContractRenewed').length;
  const counts = {
    due: DUE,
    killedAfterWrites: KILLS.join('+'),
    renewedByRerun: final.renewed,
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
  // The kills stop the renewal, not the publisher: every fact is published once.
  expect(drill.duplicates).toBe(0);
  expect(counts).toMatchObject({ renewedOnce: DUE, renewedTwice: 0, notRenewed: 0, contractsWithEvent: DUE, secondRerunRenewed: 0 });
  expect(final).toMatchObject({ complete: true, failed: [] });
  // A write a killed run had in flight may land after the rerun read the (eventually consistent) index: skipped, never renewed twice.
  expect(final.skipped.every((s) => s.reason.includes('already renewed'))).toBe(true);
  expect(events.every((event) => event.detail.contract.term.number === 2)).toBe(true);
  await h.close();
  table.client.destroy();
}, 60_000);
