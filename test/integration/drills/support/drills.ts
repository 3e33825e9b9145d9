import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { pendingOutcomeRecords } from '../../../../local/pending-outcomes';
import type { TestTable } from '../../support/dynamodb';

/** Helpers the fault drills share. */

/** Fisher–Yates with a seeded generator (mulberry32): the same shuffle on every run. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Contract items in the table, counted by a full scan: duplicates under any customer or line would show. */
export async function countContracts({ client, settings }: TestTable): Promise<number> {
  let count = 0;
  let start: Record<string, any> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: settings.tableName,
        Select: 'COUNT',
        FilterExpression: 'begins_with(PK, :contract)',
        ExpressionAttributeValues: { ':contract': { S: 'CONTRACT#' } },
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** The one summary line a drill prints: its name and counts. */
export function printCounts(drill: string, counts: Record<string, unknown>): void {
  console.log(
    `${drill}: ${Object.entries(counts)
      .map(([name, value]) => `${name} ${JSON.stringify(value)}`)
      .join(', ')}`,
  );
}

/**
 * The six counts every drill prints first: what was delivered, the outcomes published,
 * how many of those repeat one already published (at-least-once: bounded by the faults),
 * dead letters, what was lost (neither an outcome nor a dead letter) and what stalled
 * (stored but never published).
 */
export interface DrillCounts {
  delivered: number;
  outcomes: number;
  duplicates: number;
  deadLetters: number;
  lost: number;
  stalled: number;
}

/** The counts from keys: one per delivery, one per published outcome (its eventKey or orderId), one per dead letter. */
export function drillCounts(delivered: readonly string[], outcomes: readonly string[], deadLettered: readonly string[], stalled: number): DrillCounts {
  const published = new Set(outcomes);
  const lettered = new Set(deadLettered);
  return {
    delivered: delivered.length,
    outcomes: outcomes.length,
    duplicates: outcomes.length - published.size,
    deadLetters: deadLettered.length,
    lost: [...new Set(delivered)].filter((key) => !published.has(key) && !lettered.has(key)).length,
    stalled,
  };
}

/** The drill's line: the six counts, then what is particular to it. */
export function printDrill(drill: string, counts: DrillCounts, detail: Record<string, unknown> = {}): void {
  printCounts(drill, { ...counts, ...detail });
}

/** countStalled once it has come down to 0, or after `withinMs` what is still unpublished (the marks follow the outcomes by a moment). */
export async function stalledAfter(client: DynamoDBClient, tableName: string, withinMs: number): Promise<number> {
  for (let waited = 0; ; waited += 100) {
    const stalled = await countStalled(client, tableName);
    if (stalled === 0 || waited >= withinMs) return stalled;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Order items whose outcome is stored and not published: what a drill calls stalled once
 * its outcomes have settled. The same scan the local stack's restart catch-up publishes.
 */
export async function countStalled(client: DynamoDBClient, tableName: string): Promise<number> {
  return (await pendingOutcomeRecords(client, tableName, 'drill')).length;
}
