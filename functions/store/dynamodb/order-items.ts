import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readStored, storedOrderSchema } from '../../schemas/stored-items';
import type { NewOrder, OrderKey, OrderRecord, WriteResult } from '../records';
import { NOT_EXISTS, type DynamoDbTable, type TransactItem } from './table';

/**
 * Order items (docs/design.md §1): `ORDER#<orderId>` / `ORDER` (or `REUSED#<fingerprint>`),
 * the request's fingerprint and its outcome, an item of the one outbox: `published` false
 * until the outcome publisher has published it, with the lease of docs/design.md §3.
 */
const orderPk = (orderId: string) => `ORDER#${orderId}`;

export class OrderItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** `withinMs`: the most the read may take, all attempts included (a failed invocation's remaining time). */
  async get(key: OrderKey, options: { withinMs?: number } = {}): Promise<OrderRecord | null> {
    const { withinMs } = options;
    // Each attempt may take all of it, the attempts together no more.
    const limit = withinMs === undefined ? {} : { requestTimeout: withinMs, abortSignal: AbortSignal.timeout(withinMs) };
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: { PK: orderPk(key.orderId), SK: key.slot }, ConsistentRead: true }),
      limit,
    );
    return Item ? readStored(storedOrderSchema, `${orderPk(key.orderId)} ${key.slot}`, { ...Item, slot: key.slot }) : null;
  }

  /** The order's put in a transaction: it fails as `order-exists` when the orderId is taken. */
  put(order: NewOrder): TransactItem {
    return { Put: { TableName: this.table.name, Item: this.item(order), ConditionExpression: NOT_EXISTS } };
  }

  /** An order refused without a state change: only its outcome is kept. */
  async record(order: NewOrder): Promise<WriteResult> {
    const written = await this.table.conditional(new PutCommand({ TableName: this.table.name, Item: this.item(order), ConditionExpression: NOT_EXISTS }));
    return written ? { status: 'written' } : { status: 'order-exists' };
  }

  /** Renews the publishing lease of an unpublished outcome if it is still `seenLeaseUntil`: a new stream record of it. */
  requeue(key: OrderKey, seenLeaseUntil: number, leaseUntil: number): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { PK: orderPk(key.orderId), SK: key.slot },
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: 'published = :no AND leaseUntil = :seen',
        ExpressionAttributeValues: { ':lease': leaseUntil, ':no': false, ':seen': seenLeaseUntil },
      }),
    );
  }

  private item(order: NewOrder): Record<string, unknown> {
    const { orderId, slot, ...rest } = order;
    return { PK: orderPk(orderId), SK: slot, orderId, ...rest, published: false };
  }
}
