import { DynamoDBClient, GetItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * What a minimal handler of figure 4 does: the same DynamoDB calls as the function it
 * stands for, sent raw (inputs already in wire form), with one client made on the first
 * call as ours are. No zod, no domain, no Powertools.
 */
export type MinimalCall =
  | { op: 'GetItem'; input: ConstructorParameters<typeof GetItemCommand>[0] }
  | { op: 'Query'; input: ConstructorParameters<typeof QueryCommand>[0] }
  | { op: 'TransactWriteItems'; input: ConstructorParameters<typeof TransactWriteItemsCommand>[0] }
  | { op: 'UpdateItem'; input: ConstructorParameters<typeof UpdateItemCommand>[0] }
  | { op: 'PutEvents'; input: unknown };

let dynamoDb: DynamoDBClient | undefined;

export async function dynamoDbCall(call: Exclude<MinimalCall, { op: 'PutEvents' }>): Promise<void> {
  dynamoDb ??= new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
  if (call.op === 'GetItem') await dynamoDb.send(new GetItemCommand(call.input));
  else if (call.op === 'Query') await dynamoDb.send(new QueryCommand(call.input));
  else if (call.op === 'TransactWriteItems') await dynamoDb.send(new TransactWriteItemsCommand(call.input));
  else await dynamoDb.send(new UpdateItemCommand(call.input));
}
