import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsApi } from '../aws/aws-api';

/**
 * DynamoDB's operations with items as plain values (what lib-dynamodb's document client
 * does, for the operations the store issues): attribute maps are marshalled on the way
 * out and unmarshalled on the way back; everything else is passed as written. Reads by
 * key are strongly consistent: the store decides on what it reads.
 */
export type Item = Record<string, unknown>;

interface Conditioned {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export interface PutInput extends Conditioned {
  TableName: string;
  Item: Item;
}

export interface UpdateInput extends Conditioned {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
}

export interface DeleteInput extends Conditioned {
  TableName: string;
  Key: Item;
}

export interface QueryInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ConsistentRead?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
}

export type TransactItem = { Put: PutInput } | { Update: UpdateInput } | { Delete: DeleteInput };

type WireMap = Record<string, AttributeValue>;

/** An item or key as DynamoDB takes it; undefined attributes are left out, as the store never stores them. */
export const toWireMap = (map: Item): WireMap => marshall(map, { removeUndefinedValues: true });

// Attribute maps in the inputs above; every other field is already in wire form.
const ATTRIBUTE_MAPS = ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;

function toWire<T extends object>(input: T): object {
  const wire: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of ATTRIBUTE_MAPS) {
    const map = wire[field] as Item | undefined;
    if (map !== undefined) wire[field] = toWireMap(map);
  }
  return wire;
}

const fromWire = (map: WireMap): Item => unmarshall(map);

export class DynamoDbDocument {
  constructor(private readonly api: AwsApi) {}

  async get(TableName: string, Key: Item): Promise<Item | undefined> {
    const { Item } = await this.api.call<{ Item?: WireMap }>('GetItem', toWire({ TableName, Key, ConsistentRead: true }));
    return Item && fromWire(Item);
  }

  async batchGet(table: string, keys: Item[]): Promise<{ items: Item[]; unprocessed: Item[] }> {
    const { Responses, UnprocessedKeys } = await this.api.call<{ Responses?: Record<string, WireMap[]>; UnprocessedKeys?: Record<string, { Keys?: WireMap[] }> }>(
      'BatchGetItem',
      { RequestItems: { [table]: { Keys: keys.map(toWireMap), ConsistentRead: true } } },
    );
    return { items: (Responses?.[table] ?? []).map(fromWire), unprocessed: (UnprocessedKeys?.[table]?.Keys ?? []).map(fromWire) };
  }

  async query(input: QueryInput): Promise<{ items: Item[]; lastKey: Item | undefined }> {
    const { Items, LastEvaluatedKey } = await this.api.call<{ Items?: WireMap[]; LastEvaluatedKey?: WireMap }>('Query', toWire(input));
    return { items: (Items ?? []).map(fromWire), lastKey: LastEvaluatedKey && fromWire(LastEvaluatedKey) };
  }

  async put(input: PutInput): Promise<void> {
    await this.api.call('PutItem', toWire(input));
  }

  async update(input: UpdateInput): Promise<void> {
    await this.api.call('UpdateItem', toWire(input));
  }

  async delete(input: DeleteInput): Promise<void> {
    await this.api.call('DeleteItem', toWire(input));
  }

  /** `token` makes a resent request (after a lost answer) apply at most once, as the SDK's generated ClientRequestToken does. */
  async transactWrite(items: TransactItem[], token: string): Promise<void> {
    const TransactItems = items.map((item) =>
      Object.fromEntries(Object.entries(item).map(([kind, input]) => [kind, toWire(input as object)])),
    );
    await this.api.call('TransactWriteItems', { TransactItems, ClientRequestToken: token });
  }
}
