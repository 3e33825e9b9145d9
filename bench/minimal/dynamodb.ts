import { dynamoDbCall, type MinimalCall } from './dynamodb-calls';

/** Figure 4's reference for the lookup function: the DynamoDB client only. */
export const handler = async (event: { calls: MinimalCall[] }): Promise<void> => {
  for (const call of event.calls) if (call.op !== 'PutEvents') await dynamoDbCall(call);
};
