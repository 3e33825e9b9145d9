import { ScanCommand } from '@aws-sdk/client-dynamodb';
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
