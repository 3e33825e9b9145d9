import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings } from '../../../functions/wiring/settings';
import { outcomes } from '../../../functions/domain/outbound-events';
import { ORDER_SLOT } from '../../../functions/store/records';
import { tableStore } from '../../../bench/deps';
import { STREAM_PUBLISH_LEASE_MS } from '../../../functions/use-cases/order-idempotency';
import { OUTBOUND_SOURCE } from '../../../functions/topology/routing';
import { createTables, localDynamoDbClient, startDynamoDbLocal } from '../../../local/dynamodb-local';
import type { EventRecord } from '../../../local/event-bus';
import { startLocalStack } from '../../../local/stack';
import { silentLogger } from '../../support/observability';
import { newOrderId } from '../support/fixtures';
import { drillCounts, printDrill } from './support/drills';

/**
 * Drill: outcomes stored but not yet published when the stack stopped (or DynamoDB Local
 * died) are published by the next start over the same data folder. The orders are written
 * as the inbound functions store them, while no stream mapping runs, then the stack starts.
 */
jest.setTimeout(120_000);

const PENDING = 25;

it('publishes at start what a previous run stored and did not publish, each once, and marks it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'omakase-restart-'));
  const settings = loadSettings({ TABLE_NAME: `drill-restart-${randomUUID().slice(0, 8)}` });
  try {
    // The previous run: its orders are in the table, their outcomes were never published.
    const database = await startDynamoDbLocal({ dataDir });
    const client = localDynamoDbClient(database.endpoint);
    await createTables(client, settings.tableName);
    const store = tableStore({ client, tableName: settings.tableName, renewalShards: settings.renewalShards });
    const orderIds = Array.from({ length: PENDING }, () => newOrderId('restart'));
    for (const orderId of orderIds) {
      const outcome = outcomes.applicationRejected(orderId, []);
      await store.recordOrder({
        orderId,
        slot: ORDER_SLOT,
        fingerprint: 'fp',
        outcome,
        leaseUntil: Date.now() + STREAM_PUBLISH_LEASE_MS,
        at: '2024-06-01T10:00:00+09:00',
      });
    }
    client.destroy();
    await database.stop();

    const stack = await startLocalStack({ port: 0, settings, dataDir, logger: silentLogger() });
    let events: EventRecord[] = [];
    try {
      for (let waited = 0; waited < 20_000; waited += 100) {
        events = ((await (await fetch(`${stack.url}/_local/events`)).json()) as { events: EventRecord[] }).events;
        if (events.filter((e) => e.event.source === OUTBOUND_SOURCE).length >= PENDING) break;
        await sleep(100);
      }
      const published = events.filter((e) => e.event.source === OUTBOUND_SOURCE).map((e) => e.event.detail.orderId as string);
      const readerClient = localDynamoDbClient(stack.dynamoDb.endpoint);
      const reader = tableStore({ client: readerClient, tableName: settings.tableName, renewalShards: settings.renewalShards });
      // The publisher marks each order once EventBridge has its outcome: a moment after the event shows.
      let marked: boolean[] = [];
      for (let waited = 0; waited < 10_000; waited += 100) {
        marked = await Promise.all(orderIds.map(async (orderId) => (await reader.getOrder({ orderId, slot: ORDER_SLOT }))?.published === true));
        if (marked.every(Boolean)) break;
        await sleep(100);
      }
      const counts = {
        stored: PENDING,
        outcomes: published.length,
        duplicates: published.length - new Set(published).size,
        lost: orderIds.filter((id) => !published.includes(id)).length,
        stalled: marked.filter((m) => !m).length,
        health: (await fetch(`${stack.url}/health`)).status,
      };
      readerClient.destroy();
      const drill = drillCounts(
        orderIds,
        events.filter((e) => e.event.source === OUTBOUND_SOURCE).map((e) => e.event.detail.eventKey as string),
        [],
        counts.stalled,
      );
      printDrill('restart', drill, { health: counts.health });
      expect(drill).toEqual({ delivered: PENDING, outcomes: PENDING, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
      expect(counts).toEqual({ stored: PENDING, outcomes: PENDING, duplicates: 0, lost: 0, stalled: 0, health: 200 });
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
