import { SQSClient } from '@aws-sdk/client-sqs';
import { dynamoDbCall, type MinimalCall } from './dynamodb-calls';

/** Figure 4's reference for the inbound functions: DynamoDB, and the SQS client they hold for dead letters (made, not called). */
let sqs: SQSClient | undefined;

export const handler = async (event: { calls: MinimalCall[] }): Promise<void> => {
  sqs ??= new SQSClient({});
  for (const call of event.calls) if (call.op !== 'PutEvents') await dynamoDbCall(call);
};
