import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDbTable } from './dynamodb/table';
import type { OutboxKey } from './records';

/** What the outcome publisher writes (functions/use-cases/publish-outcomes.ts): its mark on the outbox. */
export interface OutboxStore {
  /** Marks an order or FACT item published once EventBridge took its outcome. */
  markPublished(key: OutboxKey): Promise<void>;
}

export function dynamoDbOutboxStore(table: DynamoDbTable): OutboxStore {
  return {
    async markPublished(key) {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: { PK: key.PK, SK: key.SK },
          // leaseUntil 0: nobody holds the right to publish it any more (an order's lease; facts have none to renew).
          UpdateExpression: 'SET published = :yes, leaseUntil = :none',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':yes': true, ':none': 0 },
        }),
      );
    },
  };
}
