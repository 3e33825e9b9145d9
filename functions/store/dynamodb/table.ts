import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  type PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { jitteredBackoff } from '../../retry/backoff';
import { InvalidCursorError } from '../../domain/errors';
import type { WriteResult } from '../records';

/**
 * The one table of docs/design.md §1 and what every item kind's module does with it: the
 * document client, conditional writes and transactions that say what a failed condition
 * means, paged queries and the opaque page tokens.
 */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** What a failed condition on one item of a transaction means to the caller. */
export type FailureMeaning = 'order-exists' | 'stale' | 'impossible';

export const NOT_EXISTS = 'attribute_not_exists(PK)';
const MAX_RETRY_ROUNDS = 8;
// DynamoDB caps a BatchGetItem at 100 keys; unprocessed keys come back under load.
const BATCH_GET_LIMIT = 100;

export interface DynamoDbTableOptions {
  client: DynamoDBClient;
  tableName: string;
  renewalShards: number;
}

export class DynamoDbTable {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;
  readonly renewalShards: number;

  constructor(options: DynamoDbTableOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.name = options.tableName;
    this.renewalShards = options.renewalShards;
  }

  /** The condition that an item is still at the version read (optimistic concurrency). */
  atVersion(expected: number) {
    return {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expected },
    };
  }

  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.name, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * The items under these keys, strongly consistent, 100 keys a BatchGetItem; the keys it
   * leaves unprocessed are asked again after a backoff (8 rounds at most). Missing items
   * are left out, and the order is DynamoDB's: callers place them by key.
   */
  async getAll(keys: Array<{ PK: string; SK: string }>, projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_LIMIT);
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_RETRY_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${round} rounds`);
        if (round > 0) await backoff(round);
        const { Responses, UnprocessedKeys } = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) } },
          }),
        );
        items.push(...(Responses?.[this.name] ?? []));
        pending = UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
    }
    return items;
  }

  /**
   * A transaction; `onFailed[i]` says what it means when item i's condition fails. A
   * conflict with another transaction in flight is retried as is: the conditions are
   * evaluated again at commit. `ours` tells, from the first item a failed condition
   * returned, that the transaction had landed already (a resend after a lost answer).
   */
  async transact(
    items: TransactItem[],
    onFailed: FailureMeaning[],
    ours: (existing: Record<string, AttributeValue> | undefined) => boolean = () => false,
  ): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { status: 'written' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed' && ours(reasons[0].Item)) return { status: 'written' };
        const codes = reasons.map((reason) => reason.Code ?? 'None');
        const failed = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [onFailed[i]] : []));
        if (failed.includes('order-exists')) return { status: 'order-exists' };
        if (failed.includes('stale')) return { status: 'stale' };
        if (failed.includes('impossible')) throw new Error(`write refused by a condition that cannot fail: ${JSON.stringify(codes)}`, { cause: error });
        if (!codes.includes('TransactionConflict') || attempt >= MAX_RETRY_ROUNDS) throw error;
        await backoff(attempt);
      }
    }
  }

  /** A conditional write: false when its condition failed; conflicts with a transaction are retried. */
  async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(command as PutCommand);
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        if (!(error instanceof TransactionConflictException) || attempt >= MAX_RETRY_ROUNDS) throw error;
        await backoff(attempt);
      }
    }
  }
}

/** Concurrent losers of a transaction conflict, or unprocessed keys under load, spread out before trying again. */
export function backoff(attempt: number): Promise<void> {
  return jitteredBackoff(attempt, { baseMs: 20, capMs: 1000 });
}

/** A page's LastEvaluatedKey as an opaque token, and back; a token that is not one of ours is a bad request. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, names?: string[], expected: Record<string, string> = {}): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    // A key of another query (another month, say) would make DynamoDB refuse the request.
    if (
      typeof key === 'object' &&
      key !== null &&
      !Array.isArray(key) &&
      Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && v.length <= 1024) &&
      (names === undefined || Object.keys(key).sort().join() === names.join()) &&
      Object.entries(expected).every(([name, value]) => (key as Record<string, unknown>)[name] === value)
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // falls through to the refusal
  }
  throw new InvalidCursorError('nextToken');
}
