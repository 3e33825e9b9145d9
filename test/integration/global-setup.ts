import { startDynamoDbLocal } from '../../local/dynamodb-local';

/**
 * One DynamoDB Local for the whole integration run (a JVM start costs seconds); each test
 * file creates its own table on it. With DYNAMODB_ENDPOINT set, that database is used.
 * The endpoint reaches the test workers through the environment they inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DYNAMODB_ENDPOINT) return;
  const dynamoDb = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
  (globalThis as { dynamoDbLocal?: typeof dynamoDb }).dynamoDbLocal = dynamoDb;
}
