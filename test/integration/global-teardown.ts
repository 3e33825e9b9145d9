import type { DynamoDbLocal } from '../../local/dynamodb-local';

/** Stops the DynamoDB Local that global-setup started (none when DYNAMODB_ENDPOINT was given). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { dynamoDbLocal?: DynamoDbLocal };
  await holder.dynamoDbLocal?.stop();
  delete holder.dynamoDbLocal;
}
