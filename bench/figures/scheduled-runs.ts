import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What the billing and renewal figures share about a scheduled run: its writes counted as it goes, and what its index still lists afterwards. */

/**
 * The run's contract writes (each a TransactWriteItems) on `client`, counted by an SDK
 * middleware of the given name, for the progress line: the count so far.
 */
export function countTransactions(client: DynamoDBClient, name: string): () => number {
  let transactions = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'TransactWriteItemsCommand') transactions += 1;
      return result;
    },
    { step: 'initialize', name },
  );
  return () => transactions;
}

/** Contracts an index still lists as due, over every shard and page of `dueOn` (0 after a complete run). */
export async function countStillDue(
  shards: number,
  dueOn: (shard: number, cursor: string | null, limit: number) => Promise<{ contractIds: readonly string[]; cursor: string | null }>,
): Promise<number> {
  let due = 0;
  for (let shard = 0; shard < shards; shard++) {
    let cursor: string | null = null;
    do {
      const page = await dueOn(shard, cursor, 1_000);
      due += page.contractIds.length;
      cursor = page.cursor;
    } while (cursor);
  }
  return due;
}
