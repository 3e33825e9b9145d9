import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Contract } from '../functions/domain/contract';
import type { Settings } from '../functions/wiring/settings';
import { tableStore } from './deps';
import { mapLimit } from '../functions/use-cases/concurrency';
import { progressLines } from './timing';

/**
 * Puts contracts in the table with BatchWriteItem (25 items a call, a few calls in
 * flight), each item exactly as the store writes it (TableStore.contractItem),
 * so that a renewal run finds them in its index. For seeding only: no order or line items.
 */
const ITEMS_PER_CALL = 25;
const CALLS_IN_FLIGHT = 4;
const MAX_ROUNDS = 10;

export interface SeedOptions {
  client: DynamoDBClient;
  settings: Settings;
  count: number;
  contract: (n: number) => Contract;
  /** Progress lines; none when omitted. */
  report?: (line: string) => void;
}

export interface SeededContract {
  contractId: string;
  key: { PK: unknown; SK: unknown };
}

/** The contracts seeded, in order. */
export async function seedContracts({ client, settings, count, contract, report }: SeedOptions): Promise<SeededContract[]> {
  const store = tableStore({ client, tableName: settings.tableName, renewalShards: settings.renewalShards });
  const doc = DynamoDBDocumentClient.from(client);
  const calls = Array.from({ length: Math.ceil(count / ITEMS_PER_CALL) }, (_, call) => call * ITEMS_PER_CALL);
  let seeded = 0;
  const progress = report ? progressLines(report, 'seeded', count, () => seeded) : null;
  try {
    const ids = await mapLimit(calls, CALLS_IN_FLIGHT, async (first) => {
      const contracts = Array.from({ length: Math.min(ITEMS_PER_CALL, count - first) }, (_, i) => contract(first + i));
      const items = contracts.map((c) => store.contractItem(c));
      let requests = items.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 1; requests.length > 0; round++) {
        if (round > MAX_ROUNDS) throw new Error(`BatchWriteItem left ${requests.length} items unprocessed after ${MAX_ROUNDS} rounds`);
        if (round > 1) await sleep(20 * 2 ** round);
        const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [settings.tableName]: requests } }));
        requests = (UnprocessedItems?.[settings.tableName] ?? []) as typeof requests;
      }
      seeded += contracts.length;
      return contracts.map((c, i) => ({ contractId: c.contractId, key: { PK: items[i]?.PK, SK: items[i]?.SK } }));
    });
    return ids.flat();
  } finally {
    progress?.stop();
  }
}
