import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The reference of figure 4: a Lambda handler that imports only the DynamoDB client,
 * built and loaded exactly as ours are. Like ours, it makes its client on the first call.
 */
let client: DynamoDBClient | undefined;

export const handler = async (event: { key: string }) => {
  client ??= new DynamoDBClient({});
  return client.send(new GetItemCommand({ TableName: 'reference', Key: { PK: { S: event.key }, SK: { S: event.key } } }));
};
